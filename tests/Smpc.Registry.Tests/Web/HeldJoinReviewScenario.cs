using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smpc.Analytics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Studies.Registry;
using Smpc.Governance;
using Smpc.Governance.DataUse;
using Smpc.Governance.Gating;
using Smpc.Governance.Review;
using Smpc.Governance.Transparency;
using Smpc.Registry.Api;
using Smpc.Registry.Hosting;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// Output checking of joins, fetched from a later session. The veterans' steward documents terms v2 whose outputReview
/// covers "join". A first session (embedded registry-gated parties) links veterans ⋈ bank twice (both passes, and SSN
/// only): each join's disclosed counts are held for review and nothing of them reaches the analyst; a count on the held
/// join's table is held too (the table stays at the parties). The first session ends. The steward approves the first
/// join and the count, and rejects the SSN-only join. A second session of the same analyst and study — holding no key of
/// its own from the first — fetches by id: the approved join's counts equal an unreviewed run on the same data and the
/// plaintext engine's, the count equals the unreviewed count; the rejected join is never delivered. Another study's
/// session cannot use the records, and a record whose logged digest was altered opens nothing. Run on each database.
/// </summary>
internal static class HeldJoinReviewScenario
{
    const string Analyst = ComputationLogScenario.Analyst;
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
        var stewards = new Dictionary<string, string> { ["veterans"] = "sam.okafor@va.example", ["bank"] = "riley.chen@bank.example", ["survey"] = "jordan.kim@stats.example" };

        var stewardKey = SealedBox.NewKeyPair();
        var plainVeterans = RegistrySeeder.Terms("veterans") with { FormatVersion = 2, AllowedAnalysts = [Analyst] };
        var veteransTerms = plainVeterans with { OutputReview = new OutputReview { ReviewerKey = stewardKey.PublicKey, Operations = ["join"] } };
        var bankTerms = RegistrySeeder.Terms("bank") with { AllowedAnalysts = [Analyst] };
        var study = await (await coordinator.GetAsync(studyPath)).ReadAsync<StudyResponse>();
        foreach (var (name, terms) in new[] { ("veterans", veteransTerms), ("bank", bankTerms) })
            using (var s = await As(stewards[name]))
            {
                var put = await s.PutAsync($"{studyPath}/datasets/{study.Datasets.Single(d => d.Name == name).Id}/terms",
                    new StringContent(JsonSerializer.Serialize(terms, DataUseTerms.Json), Encoding.UTF8, "application/json"));
                Assert.Equal(2, (await put.ReadAsync<TermsVersionResponse>()).Version);
            }
        study = await (await coordinator.GetAsync(studyPath)).ReadAsync<StudyResponse>();
        var veterans = study.Datasets.Single(d => d.Name == "veterans");
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
        var operatorTokens = new string[3];
        for (int p = 0; p < 3; p++) operatorTokens[p] = await Http.TokenAsync(server, Operators[p]);
        using var analystRegistry = new RegistryClient(server.BaseAddress.ToString(), await Http.TokenAsync(server, Analyst));

        var folder = SyntheticAgencies.Locate(null);
        string veteransCsv = Path.Combine(folder, "veterans.csv"), bankCsv = Path.Combine(folder, "bank.csv");
        var veteransSchema = TableSchema.Load(Path.Combine(folder, "veterans.schema.json"));
        var bankSchema = TableSchema.Load(Path.Combine(folder, "bank.schema.json"));
        var both = new JoinRequest { Datasets = ["veterans", "bank"], Name = "linked" };
        var ssnOnly = new JoinRequest { Datasets = ["veterans", "bank"], Name = "linked_ssn", Passes = [LinkageKeyKind.Ssn] };
        var total = new AggregateRequest { Dataset = "linked", Statistics = [StatisticKind.Count] };

        // The references: the same joins and count on the same data under terms without review, at the party services
        // and on the plaintext engine.
        JoinRelease reference, referenceSsn;
        Release referenceTotal;
        using (var plain = SecureStudy.Embedded("veterans-reference", Analyst))
        {
            plain.Contribute(veteransCsv, veteransSchema, plainVeterans);
            plain.Contribute(bankCsv, bankSchema, bankTerms);
            reference = plain.Join(both);
            referenceSsn = plain.Join(ssnOnly);
            referenceTotal = plain.Aggregate(total);
        }
        using (var truth = new SecureStudy("veterans-plaintext", new PlaintextEngine(), Analyst))
        {
            truth.Contribute(veteransCsv, veteransSchema, plainVeterans);
            truth.Contribute(bankCsv, bankSchema, bankTerms);
            Assert.Equal(Counts(truth.Join(both)), Counts(reference));
        }
        Assert.NotNull(reference.JoinedRows);
        Assert.NotEqual(Counts(reference), Counts(referenceSsn));   // the two joins disclose different counts

        string store = Path.Combine(Path.GetTempPath(), "smpc-held-" + Guid.NewGuid().ToString("N")[..10]);
        var logs = Enumerable.Range(0, 3).Select(p => new RegistryComputationLog(server.BaseAddress.ToString(), operatorTokens[p], studyId)).ToArray();
        var reviews = Enumerable.Range(0, 3).Select(p => new RegistryReleaseReviews(server.BaseAddress.ToString(), operatorTokens[p], studyId)).ToArray();
        try
        {
            ReleaseUnderReviewException heldJoin, heldSsn, heldTotal;
            string seenByAnalyst;
            using (var first = SecureStudy.Embedded("veterans-study", Analyst,
                       gates: p => new PartyGate(new StudyTokenCheck { Registry = registryKey, Study = studyId }) { Log = logs[p], Reviews = reviews[p] }))
            {
                first.HeldReleases = new HeldReleaseStore(store);
                first.WorkToken = issued.GetProperty("token").GetString()!;
                first.Contribute(veteransCsv, veteransSchema, veteransTerms);
                first.Contribute(bankCsv, bankSchema, bankTerms);
                // Explained first: the join would be held, and for whose review.
                Assert.Contains(first.Explain(both).RulesApplied, r => r.StartsWith("OutputReview: the join's counts would be held", StringComparison.Ordinal)
                                                                       && r.Contains($"{veteransTerms.Steward} (dataset 'veterans')", StringComparison.Ordinal));
                heldJoin = Assert.Throws<ReleaseUnderReviewException>(() => first.Join(both));
                Assert.Equal("join", heldJoin.Operation);
                Assert.Contains($"join's counts are waiting for review by {veteransTerms.Steward} (dataset 'veterans')", heldJoin.Message);
                Assert.Equal("veterans", Assert.Single(heldJoin.WaitingFor).Dataset);
                Assert.Empty(first.Joins);                                          // nothing of the join reached the analyst
                heldSsn = Assert.Throws<ReleaseUnderReviewException>(() => first.Join(ssnOnly));
                // Asked again (a notebook cell run twice): the same review, not a second one.
                Assert.Equal(heldJoin.ReviewId, Assert.Throws<ReleaseUnderReviewException>(() => first.Join(both)).ReviewId);
                // The joined table stays at the parties; a count on it would disclose the joined rows: held for the same steward.
                heldTotal = Assert.Throws<ReleaseUnderReviewException>(() => first.Aggregate(total));
                Assert.Equal("aggregate", heldTotal.Operation);
                Assert.Equal("veterans", Assert.Single(heldTotal.WaitingFor).Dataset);
                Assert.Contains(first.Explain(total).RulesApplied, r => r.StartsWith("OutputReview: the release would be held", StringComparison.Ordinal));
                // An aggregate on veterans alone is not a join: released at once, as the terms say.
                Assert.DoesNotContain(first.Explain(new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Count] }).RulesApplied,
                                      r => r.StartsWith("OutputReview", StringComparison.Ordinal));
                Assert.NotEmpty(first.Mean("veterans", "monthly_benefit", "service_era").ReleasedRows);
                Assert.Empty(first.Joins);
                var stillWaiting = Assert.Throws<ReleaseUnderReviewException>(() => first.FetchHeld(analystRegistry, studyId, heldJoin.ReviewId));
                var pendingBody = await (await analyst.GetAsync($"{studyPath}/reviews/{heldJoin.ReviewId}/release")).Content.ReadAsStringAsync();
                Assert.Contains("\"pending\"", pendingBody);
                seenByAnalyst = string.Join("\n", heldJoin.Message, heldSsn.Message, heldTotal.Message, stillWaiting.Message, pendingBody);
                foreach (var id in new[] { heldJoin.ReviewId, heldSsn.ReviewId, heldTotal.ReviewId })
                {
                    seenByAnalyst = seenByAnalyst.Replace(id, "<id>");
                    var record = Path.Combine(store, id + ".json");
                    Assert.True(File.Exists(record), $"no record of review {id} in the analyst's store");
                    if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(record));
                }
            }
            // Nothing the analyst saw before approval holds a disclosed count of either join or of the count on it.
            var counts = Counts(reference).Concat(Counts(referenceSsn)).Concat(Enumerable.Range(0, referenceTotal.RowCount)
                .Select(r => referenceTotal.Value(r, referenceTotal.ValueColumns[0])).OfType<double>().Select(v => (long)v))
                .Where(v => v >= 20).Distinct().SelectMany(v => new[] { v.ToString(System.Globalization.CultureInfo.InvariantCulture), v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) });
            var leaked = ComputationLogScenario.Found(seenByAnalyst, counts);
            Assert.True(leaked.Count == 0, "the analyst saw counts before approval: " + string.Join(", ", leaked));

            // The steward opens the join's copies: the counts of the unreviewed run.
            var list = await (await steward.GetAsync($"{studyPath}/datasets/{veterans.Id}/reviews")).ReadAsync<List<ReviewView>>();
            Assert.Equal(3, list.Count);
            var view = list.Single(v => v.ReviewId == heldJoin.ReviewId);
            Assert.Contains("veterans", view.Request);
            var opened = view.Copies.Select(c => SealedBox.Open(c.Sealed, stewardKey.PrivateKey, ReleaseReview.StewardContext(heldJoin.ReviewId, "veterans", c.Party))).ToList();
            Assert.All(opened, o => Assert.Equal(opened[0], o));
            Assert.Equal(Wire(reference), Wire(PartyWire.FromWire(PartyWire.Decode<JoinWire>(opened[0], "join"), reference.Cost)));
            string Decide(string id) => $"{studyPath}/datasets/{veterans.Id}/reviews/{id}";
            Assert.Equal(HttpStatusCode.OK, (await steward.PostAsJsonAsync(Decide(heldJoin.ReviewId), new ReviewDecision(true, null))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await steward.PostAsJsonAsync(Decide(heldTotal.ReviewId), new ReviewDecision(true, null))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await steward.PostAsJsonAsync(Decide(heldSsn.ReviewId), new ReviewDecision(false, "SSN-only match rates are out of scope"))).StatusCode);

            // A later session of the same analyst and study, with no key of its own from the first: fetches by id.
            using (var second = SecureStudy.Embedded("veterans-study", Analyst))
            {
                second.HeldReleases = new HeldReleaseStore(store);
                Assert.Equal(new[] { heldJoin.ReviewId, heldSsn.ReviewId, heldTotal.ReviewId }.Order(StringComparer.Ordinal), second.HeldReviewIds);
                var join = second.FetchReviewedJoin(analystRegistry, studyId, heldJoin.ReviewId);
                Assert.Equal(Wire(reference), Wire(join));                           // exactly the unreviewed run's counts
                Assert.Equal(Counts(reference), Counts(join));
                Assert.Equal([0, 1, 2], join.LogEntries.Select(e => e.Party).Order());
                Assert.Same(join, Assert.Single(second.Joins));
                Assert.Same(join, second.FetchHeld(analystRegistry, studyId, heldJoin.ReviewId));   // fetched once, recorded once
                var count = second.FetchReviewed(analystRegistry, studyId, heldTotal.ReviewId);
                Assert.Equal(Table(referenceTotal), Table(count));
                var rejected = Assert.Throws<StudyRefusedException>(() => second.FetchHeld(analystRegistry, studyId, heldSsn.ReviewId));
                Assert.Equal("OutputReview", rejected.Rule);
                Assert.Contains("SSN-only match rates are out of scope", rejected.Message);
                Assert.False(File.Exists(Path.Combine(store, heldSsn.ReviewId + ".json")), "a rejected release's key is kept");
                Assert.Single(second.Joins);                                        // the rejected join was never delivered
                Assert.Empty(second.HeldReviewIds);
                var again = Assert.Throws<SmpcException>(() => second.FetchHeld(analystRegistry, studyId, heldSsn.ReviewId));
                Assert.Contains("knows no release held for review", again.Message);
            }

            // Another study's session cannot use the records.
            using (var other = SecureStudy.Embedded("another-study", Analyst))
            {
                other.HeldReleases = new HeldReleaseStore(store);
                Assert.Empty(other.HeldReviewIds);
                var refused = Assert.Throws<SmpcException>(() => other.FetchHeld(analystRegistry, studyId, heldJoin.ReviewId));
                Assert.Contains("was asked by 'alex.rivera@research.example' in study 'veterans-study'", refused.Message);
            }

            // A record whose digest is not the one the parties logged opens nothing, though the three copies agree.
            string tampered = Path.Combine(Path.GetTempPath(), "smpc-held-" + Guid.NewGuid().ToString("N")[..10]);
            Directory.CreateDirectory(tampered);
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(store, heldJoin.ReviewId + ".json")))!;
            json["review"]!["resultSha256"] = new string('0', 64);
            File.WriteAllText(Path.Combine(tampered, heldJoin.ReviewId + ".json"), json.ToJsonString());
            using (var third = SecureStudy.Embedded("veterans-study", Analyst))
            {
                third.HeldReleases = new HeldReleaseStore(tampered);
                var refused = Assert.Throws<SmpcException>(() => third.FetchHeld(analystRegistry, studyId, heldJoin.ReviewId));
                Assert.Contains("does not match the digest the compute parties logged", refused.Message);
                Assert.Empty(third.Joins);
            }
            Directory.Delete(tampered, true);

            // The log: each party logged each request for a held join (the first join was asked twice) under the digest
            // keyed with the analyst's review key, never the plain digest the registry could test guesses against.
            var export = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "log");
            Assert.True(LogVerifier.Verify(export).Sound);
            foreach (var (held, asked) in new[] { (heldJoin, 2), (heldSsn, 1) })
                Assert.Equal(3 * asked, export.Entries.Count(e => e.Data.TryGetValue("resultSha256", out var d) && d == held.Review.ResultSha256));
            Assert.DoesNotContain(export.Entries, e => e.Data.TryGetValue("resultSha256", out var d) && d == PartyWire.Digest(reference));
        }
        finally
        {
            foreach (var l in logs) l.Dispose();
            foreach (var r in reviews) r.Dispose();
            if (Directory.Exists(store)) Directory.Delete(store, true);
        }
    }

    /// <summary>What a join disclosed: joined rows and matches per pass.</summary>
    static long[] Counts(JoinRelease j) => [j.JoinedRows ?? -1, .. j.MatchCounts.Select(m => m.Count ?? -1)];

    static string Wire(JoinRelease j) => JsonSerializer.Serialize(PartyWire.ToWire(j) with { Sequence = 0 }, PartyWire.Json);

    static string Table(Release r) => JsonSerializer.Serialize(PartyWire.ToWire(r) with { Sequence = 0 }, PartyWire.Json);
}

public sealed class SqliteHeldJoinReviewTests
{
    [Fact]
    public async Task A_join_under_review_discloses_no_count_until_approved_and_a_later_session_fetches_it_by_id()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        await HeldJoinReviewScenario.RunAsync(server);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresHeldJoinReviewTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_join_under_review_discloses_no_count_until_approved_and_a_later_session_fetches_it_by_id_on_postgresql()
    {
        await using var server = await RegistryServer.StartAsync(connection: await postgres.CreateDatabaseAsync("heldjoins"), demo: true);
        await HeldJoinReviewScenario.RunAsync(server);
    }
}
