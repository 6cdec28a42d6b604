using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Studies.Registry;
using Smpc.Analytics;
using Smpc.Governance.DataUse;
using Smpc.Governance;
using Smpc.Governance.Gating;
using Smpc.Governance.Review;
using Smpc.Governance.Transparency;
using Smpc.Registry.Api;
using Smpc.Registry.Hosting;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// Output checking: the veterans' steward documents terms v2 that require a review of every release (outputReview with
/// the steward's key). Three registry-gated party services compute two releases for the analyst; each is held at the
/// registry sealed to the analyst's and the steward's keys, and the analyst gets only "waiting for review by …". Before
/// a decision the analyst fetches nothing, and no released value is in what the registry stores (its review rows and
/// log) or in what the analyst received. Another organisation's steward cannot decide (403). The steward opens the
/// copies sealed to them, approves the first (the analyst then gets exactly the release of an unreviewed run on the same
/// data, whose cells match the plaintext file) and rejects the second with a reason (the analyst never gets it). Every
/// step is in the transparency log. Run on each database.
/// </summary>
internal static class ReleaseReviewScenario
{
    const string Analyst = ComputationLogScenario.Analyst;              // the demo study's analyst and compute operators
    static readonly string[] Operators = ComputationLogScenario.Operators;

    public static async Task RunAsync(RegistryServer server)
    {
        var studyId = server.Report.Demo!.StudyId.ToString();
        string studyPath = $"/api/studies/{studyId}";
        async Task<HttpClient> As(string email) => server.Client().WithToken(await Http.TokenAsync(server, email));
        using var coordinator = await As("pat.quinn@research.example");
        using var analyst = await As(Analyst);
        using var admin = await As(server.Report.AdminEmail);
        using var steward = await As("sam.okafor@va.example");
        using var otherSteward = await As("riley.chen@bank.example");

        var stewardKey = SealedBox.NewKeyPair();                          // kept by the steward; the terms carry the public half
        var plainTerms = RegistrySeeder.Terms("veterans") with { FormatVersion = 2, AllowedAnalysts = [Analyst] };
        var terms = plainTerms with { OutputReview = new OutputReview { ReviewerKey = stewardKey.PublicKey } };
        var study = await (await coordinator.GetAsync(studyPath)).ReadAsync<StudyResponse>();
        var veterans = study.Datasets.Single(d => d.Name == "veterans");
        var put = await steward.PutAsync($"{studyPath}/datasets/{veterans.Id}/terms",
            new StringContent(JsonSerializer.Serialize(terms, DataUseTerms.Json), Encoding.UTF8, "application/json"));
        Assert.Equal(2, (await put.ReadAsync<TermsVersionResponse>()).Version);
        var stewards = new Dictionary<string, string> { ["veterans"] = "sam.okafor@va.example", ["bank"] = "riley.chen@bank.example", ["survey"] = "jordan.kim@stats.example" };
        study = await (await coordinator.GetAsync(studyPath)).ReadAsync<StudyResponse>();
        foreach (var d in study.Datasets.Where(d => !d.Approved))
            using (var s = await As(stewards[d.Name]))
                await (await s.PostAsJsonAsync($"{studyPath}/datasets/{d.Id}/approvals", new ApproveRequest(d.Terms!.Hash))).ReadAsync<TermsVersionResponse>();
        Assert.Equal(StudyStage.Approved, (await (await coordinator.PostAsync($"{studyPath}/advance", null)).ReadAsync<StageResponse>()).Stage);
        foreach (var d in study.Datasets)
            using (var s = await As(stewards[d.Name]))
                Assert.True((await s.PostAsJsonAsync($"{studyPath}/datasets/{d.Id}/uploads", new UploadRequest(new string('c', 64)))).IsSuccessStatusCode);
        Assert.Equal(StudyStage.DataCommitted, (await (await coordinator.PostAsync($"{studyPath}/advance", null)).ReadAsync<StageResponse>()).Stage);
        Assert.Equal(StudyStage.Analysis, (await (await coordinator.PostAsync($"{studyPath}/advance", null)).ReadAsync<StageResponse>()).Stage);

        var issued = await (await analyst.PostAsync($"{studyPath}/work-token", null)).ReadAsync<JsonElement>();
        var tokenKey = await (await analyst.GetAsync("/api/work-token-key")).ReadAsync<JsonElement>();
        var registryKey = new LogPublicKey(tokenKey.GetProperty("name").GetString()!, Convert.FromBase64String(tokenKey.GetProperty("publicKey").GetString()!));
        long sizeBefore = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "log").Entries.Count;

        var operatorTokens = new string[3];
        for (int p = 0; p < 3; p++) operatorTokens[p] = await Http.TokenAsync(server, Operators[p]);
        var logs = Enumerable.Range(0, 3).Select(p => new RegistryComputationLog(server.BaseAddress.ToString(), operatorTokens[p], studyId)).ToArray();
        var reviews = Enumerable.Range(0, 3).Select(p => new RegistryReleaseReviews(server.BaseAddress.ToString(), operatorTokens[p], studyId)).ToArray();
        using var analystRegistry = new RegistryClient(server.BaseAddress.ToString(), await Http.TokenAsync(server, Analyst));
        var folder = SyntheticAgencies.Locate(null);
        string csv = Path.Combine(folder, "veterans.csv");
        var schema = TableSchema.Load(Path.Combine(folder, "veterans.schema.json"));
        var means = new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Mean], Columns = ["monthly_benefit"], GroupBy = ["service_era"] };
        var counts = new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Count], GroupBy = ["branch"] };

        // The reference: the same request on the same data under terms without review.
        Release reference;
        using (var plain = SecureStudy.Embedded("veterans-reference", Analyst))
        {
            plain.Contribute(csv, schema, plainTerms);
            reference = plain.Aggregate(means);
        }

        var secure = SecureStudy.Embedded("veterans-study", Analyst,
            gates: p => new PartyGate(new StudyTokenCheck { Registry = registryKey, Study = studyId }) { Log = logs[p], Reviews = reviews[p] });
        string store = Path.Combine(Path.GetTempPath(), "smpc-held-" + Guid.NewGuid().ToString("N")[..10]);   // not the analyst's own store
        try
        {
            secure.HeldReleases = new HeldReleaseStore(store);
            secure.WorkToken = issued.GetProperty("token").GetString()!;
            secure.Contribute(csv, schema, terms);
            var held = Assert.Throws<ReleaseUnderReviewException>(() => secure.Aggregate(means));
            var heldCounts = Assert.Throws<ReleaseUnderReviewException>(() => secure.Aggregate(counts));
            Assert.Contains($"waiting for review by {terms.Steward} (dataset 'veterans')", held.Message);
            Assert.NotEqual(held.ReviewId, heldCounts.ReviewId);

            // Before a decision: the analyst gets "pending" and no copy; a fetch says whose review it waits for.
            var pendingBody = await (await analyst.GetAsync($"{studyPath}/reviews/{held.ReviewId}/release")).Content.ReadAsStringAsync();
            var pending = JsonSerializer.Deserialize<ReleaseFetch>(pendingBody, RegistryClient.Json)!;
            Assert.Equal("pending", pending.Status);
            Assert.Empty(pending.Copies);
            Assert.Equal(terms.Steward, Assert.Single(pending.WaitingFor).Steward);
            var stillWaiting = Assert.Throws<ReleaseUnderReviewException>(() => secure.FetchReviewed(analystRegistry, studyId, held.ReviewId));
            Assert.Contains("waiting for review by", stillWaiting.Message);
            var polls = new List<string>();
            Assert.Throws<ReleaseUnderReviewException>(() => secure.AwaitReviewed(analystRegistry, studyId, held.ReviewId, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100), polls.Add));
            Assert.NotEmpty(polls);
            Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.GetAsync($"{studyPath}/reviews/{held.ReviewId}/release")).StatusCode);

            // What the registry stores and what the analyst holds so far carry no released or row value.
            var stored = await server.WithDbAsync((db, _) => db.ReleaseReviews.AsNoTracking().ToListAsync());
            Assert.Equal(6, stored.Count);                                    // two reviews × three parties
            var export = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "log");
            var registryText = string.Join("\n", stored.SelectMany(r => new[] { r.Request, r.ReviewId, r.Analyst })
                .Concat(export.Entries.Skip((int)sizeBefore).Select(e => Encoding.UTF8.GetString(e.Canonical()))));
            // The sealed copies are base64 of ciphertext: checked as bytes, for values of six characters or more (three
            // random bytes match a short name by chance).
            var boxBytes = string.Join("\n", stored.SelectMany(r => new[] { r.ForAnalyst, r.ForSteward }).Select(b => Encoding.Latin1.GetString(Convert.FromBase64String(b))));
            var forbidden = ComputationLogScenario.PlaintextValues(csv);
            foreach (var r in Enumerable.Range(0, reference.RowCount))
                foreach (var c in reference.ValueColumns)
                    if (reference.Value(r, c) is { } v) forbidden.UnionWith(ComputationLogScenario.Formats(v).Append(reference.Text(r, c)).Where(x => x.Contains('.')));
            Assert.True(forbidden.Count > 20000, $"only {forbidden.Count} values checked");
            foreach (var (what, text, shortest) in new[] { ("the registry", registryText, 1), ("the registry's sealed copies", boxBytes, 6),
                         ("the analyst", pendingBody + held.Message + heldCounts.Message + stillWaiting.Message, 1) })
            {
                var found = shortest > 1 ? forbidden.Where(v => v.Length >= shortest && text.Contains(v, StringComparison.Ordinal)).Take(5).ToList()
                    : ComputationLogScenario.Found(text, forbidden);
                Assert.True(found.Count == 0, $"{what} holds released or row values before approval: " + string.Join(", ", found));
            }

            // Only a steward of the dataset's organisation decides; another organisation's steward is refused.
            string decide = $"{studyPath}/datasets/{veterans.Id}/reviews/{held.ReviewId}";
            Assert.Equal(HttpStatusCode.Forbidden, (await otherSteward.PostAsJsonAsync(decide, new ReviewDecision(true, null))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await otherSteward.GetAsync($"{studyPath}/datasets/{veterans.Id}/reviews")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync(decide, new ReviewDecision(true, null))).StatusCode);
            Assert.Contains(await (await steward.GetAsync("/api/actions")).ReadAsync<List<ActionResponse>>(), a => a.Kind == "review-release");

            // The steward sees what is to be released: the three copies sealed to them open to the same table.
            var list = await (await steward.GetAsync($"{studyPath}/datasets/{veterans.Id}/reviews")).ReadAsync<List<ReviewView>>();
            var view = list.Single(v => v.ReviewId == held.ReviewId);
            Assert.Equal(Analyst, view.Analyst);
            var seen = view.Copies.Select(c => SealedBox.Open(c.Sealed, stewardKey.PrivateKey, ReleaseReview.StewardContext(held.ReviewId, "veterans", c.Party))).ToList();
            Assert.Equal(3, seen.Count);
            Assert.All(seen, s => Assert.Equal(seen[0], s));
            var stewardSees = PartyWire.FromWire(PartyWire.Decode<ReleaseWire>(seen[0], "release"), reference.Cost);
            Assert.Equal(Table(reference), Table(stewardSees));

            Assert.Equal(HttpStatusCode.OK, (await steward.PostAsJsonAsync(decide, new ReviewDecision(true, null))).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await steward.PostAsJsonAsync(decide, new ReviewDecision(false, "again"))).StatusCode);
            string decideCounts = $"{studyPath}/datasets/{veterans.Id}/reviews/{heldCounts.ReviewId}";
            Assert.Equal(HttpStatusCode.BadRequest, (await steward.PostAsJsonAsync(decideCounts, new ReviewDecision(false, " "))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await steward.PostAsJsonAsync(decideCounts, new ReviewDecision(false, "branch counts are out of scope"))).StatusCode);
            Assert.DoesNotContain(await (await steward.GetAsync("/api/actions")).ReadAsync<List<ActionResponse>>(), a => a.Kind == "review-release");

            // Approved: the analyst gets exactly the release the parties computed, the reference's table, matching the file.
            var release = secure.AwaitReviewed(analystRegistry, studyId, held.ReviewId, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
            Assert.Equal(Table(reference), Table(release));
            Assert.Equal(reference.Request.Describe(), release.Request.Describe());
            var rows = File.ReadAllLines(csv);
            var header = rows[0].Split(',');
            int era = Array.IndexOf(header, "service_era"), benefit = Array.IndexOf(header, "monthly_benefit");
            var records = rows.Skip(1).Select(l => l.Split(',')).ToList();
            int compared = 0;
            string meanColumn = release.ValueColumns.Single(c => c.Contains("mean", StringComparison.OrdinalIgnoreCase));
            for (int r = 0; r < release.RowCount; r++)
                if (release.Value(r, meanColumn) is { } mean && release.Key(r, "service_era") is { } e && e != Release.AllLabel)
                {
                    double truth = records.Where(x => x[era] == e).Average(x => double.Parse(x[benefit], CultureInfo.InvariantCulture));
                    Assert.True(Math.Abs(mean - truth) <= 0.01 + 1e-6 * Math.Abs(truth), $"{e}: released {mean}, plaintext {truth}");
                    compared++;
                }
            Assert.True(compared >= 2, "too few released cells compared");

            // Rejected: never delivered, the reason is shown.
            var rejected = Assert.Throws<StudyRefusedException>(() => secure.FetchReviewed(analystRegistry, studyId, heldCounts.ReviewId));
            Assert.Equal("OutputReview", rejected.Rule);
            Assert.Contains("branch counts are out of scope", rejected.Message);
            var rejectedFetch = await (await analyst.GetAsync($"{studyPath}/reviews/{heldCounts.ReviewId}/release")).ReadAsync<ReleaseFetch>();
            Assert.Equal("rejected", rejectedFetch.Status);
            Assert.Empty(rejectedFetch.Copies);

            // The log: three pending entries per review (one per party), the approval, the rejection with its reason, and
            // the parties' release entries under the digest keyed with the analyst's review key.
            export = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "log");
            Assert.True(LogVerifier.Verify(export).Sound);
            var steps = export.Entries.Skip((int)sizeBefore).Where(e => e.Kind == LogEntryKind.ReleaseReview).ToList();
            foreach (var id in new[] { held.ReviewId, heldCounts.ReviewId })
                Assert.Equal(["0", "1", "2"], steps.Where(e => e.Data["review"] == id && e.Data["step"] == "pending").Select(e => e.Data["party"]).Order());
            Assert.Single(steps, e => e.Data["review"] == held.ReviewId && e.Data["step"] == "approved");
            Assert.Equal("branch counts are out of scope", Assert.Single(steps, e => e.Data["review"] == heldCounts.ReviewId && e.Data["step"] == "rejected").Data["reason"]);
            Assert.All(steps, e => Assert.Equal(studyId, e.Study));
            var releases = export.Entries.Skip((int)sizeBefore).Where(e => e.Kind == LogEntryKind.Release).ToList();
            Assert.Equal(6, releases.Count);
            Assert.Equal(3, releases.Count(e => e.Data["resultSha256"] == held.Review.ResultSha256));
            Assert.DoesNotContain(releases, e => e.Data["resultSha256"] == PartyWire.Digest(release));   // the registry cannot test guesses
        }
        finally
        {
            secure.Dispose();
            foreach (var l in logs) l.Dispose();
            foreach (var r in reviews) r.Dispose();
            if (Directory.Exists(store)) Directory.Delete(store, true);
        }
    }

    /// <summary>A release's table and metadata without its sequence number (which differs between two studies).</summary>
    static string Table(Release r) => JsonSerializer.Serialize(PartyWire.ToWire(r) with { Sequence = 0 }, PartyWire.Json);
}

public sealed class SqliteReleaseReviewTests
{
    [Fact]
    public async Task A_release_under_review_waits_for_the_steward_and_reaches_the_analyst_only_when_approved_on_sqlite()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        await ReleaseReviewScenario.RunAsync(server);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresReleaseReviewTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_release_under_review_waits_for_the_steward_and_reaches_the_analyst_only_when_approved_on_postgresql()
    {
        await using var server = await RegistryServer.StartAsync(connection: await postgres.CreateDatabaseAsync("reviews"), demo: true);
        await ReleaseReviewScenario.RunAsync(server);
    }
}
