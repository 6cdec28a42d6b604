using System.Globalization;
using System.Text.Json;
using Microsoft.DotNet.Interactive;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Interactive.Tests.Kernel;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Parties;
using Smpc.Governance;
using Smpc.Governance.DataUse;
using Smpc.Governance.Gating;
using Smpc.Governance.Review;
using Smpc.Governance.Transparency;

namespace Smpc.Analytics.Interactive.Tests.Remote;

/// <summary>
/// Output checking in a notebook. The veterans' terms require a steward's review of every release; the study's three
/// registry-gated party services (in this process) hold each release at the registry (<see cref="ReviewRegistry"/>).
/// <c>#!secure-aggregate</c> then says the release is held — whose review, the release id, the registry's study page, the
/// magic that fetches it — and shows nothing of it; <c>#!secure-release --id</c> shows it again as held, and with
/// <c>--wait</c> fails once the time is up. After approval, a second notebook (another kernel and study session of the
/// same analyst and study) shows it with <c>#!secure-release --id --wait</c> as the usual table with its footer linking
/// the parties' log entries, equal to an unreviewed run and to the plaintext means; a rejected release fails its cell
/// with the steward's reason and is never shown. A <c>#!secure-join</c> under the same terms shows the notice for the
/// join's counts, and the later notebook shows the approved join as a join with its counts, equal to the unreviewed run.
/// </summary>
public sealed class HeldReleaseMagicTests : IDisposable
{
    const string Analyst = "alex.rivera@research.example", AnalystToken = "smpc_pat_analyst_notebook";
    readonly string _store = Path.Combine(Path.GetTempPath(), "smpc-held-nb-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_store, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public async Task A_held_aggregate_says_whose_review_it_waits_for_and_secure_release_shows_it_in_a_later_notebook_once_approved()
    {
        var folder = SyntheticAgencies.Locate(null);
        string csv = Path.Combine(folder, "veterans.csv");
        var schema = TableSchema.Load(Path.Combine(folder, "veterans.schema.json"));
        var stewardKey = SealedBox.NewKeyPair();
        var plainTerms = DataUseTerms.Load(Path.Combine(folder, "veterans.terms.json")) with { FormatVersion = 2, AllowedAnalysts = [Analyst] };
        var terms = plainTerms with { OutputReview = new OutputReview { ReviewerKey = stewardKey.PublicKey } };
        string bankCsv = Path.Combine(folder, "bank.csv");
        var bankSchema = TableSchema.Load(Path.Combine(folder, "bank.schema.json"));
        var bankTerms = DataUseTerms.Load(Path.Combine(folder, "bank.terms.json")) with { AllowedAnalysts = [Analyst] };
        Release reference;
        JoinRelease referenceJoin;
        using (var plain = SecureStudy.Embedded("veterans-reference", Analyst))
        {
            plain.Contribute(csv, schema, plainTerms);
            plain.Contribute(bankCsv, bankSchema, bankTerms);
            reference = plain.Mean("veterans", "monthly_benefit", "service_era");
            referenceJoin = plain.Join(new JoinRequest { Datasets = ["veterans", "bank"], Name = "vb" });
        }

        var studyId = Guid.NewGuid();
        using var registry = new ReviewRegistry(studyId, AnalystToken, new Dictionary<string, string> { ["veterans"] = terms.Steward });
        var tokenKey = LogKey.Generate("registry-tokens");
        var now = DateTime.UtcNow;
        string workToken = StudyToken.Issue(tokenKey, new StudyTokenClaims
        {
            Study = studyId.ToString(), Analyst = Analyst, Role = "analyst", Stage = "Analysis",
            Terms = new Dictionary<string, string> { ["veterans"] = TermsDocument.Hash(TermsDocument.Canonical(terms)), ["bank"] = TermsDocument.Hash(TermsDocument.Canonical(bankTerms)) },
            IssuedAt = now.AddMinutes(-1), Expires = now.AddMinutes(14), Id = Guid.NewGuid().ToString("N"),
        });
        SecureStudy Session()
        {
            var study = SecureStudy.Embedded("veterans-study", Analyst,
                gates: p => new PartyGate(new StudyTokenCheck { Registry = tokenKey.Public, Study = studyId.ToString() }) { Log = registry.Log(p), Reviews = registry });
            study.HeldReleases = new HeldReleaseStore(_store);
            study.WorkToken = workToken;
            return study;
        }
        string signIn = $"#!secure-study --registry {registry.Url} --token {AnalystToken} --study {studyId}";
        const string mean = "#!secure-aggregate --dataset veterans --stat mean --column monthly_benefit --group-by service_era";

        string heldId, rejectedId, joinId;
        using (var first = TestKernel.Create(loadExtension: false))
        {
            var extension = SecureAnalyticsExtension.Load(first, announce: false);
            var study = Session();
            study.Contribute(csv, schema, terms);
            extension.Studies.Add("veterans", study);
            (await first.Run(signIn)).ShouldSucceed();

            var held = await first.Run(mean);
            held.ShouldSucceed();
            heldId = Assert.Single(registry.ReviewIds);
            var notice = Assert.Single(held.Html(), h => h.Contains("smpc-held"));
            Assert.Contains("Held for review", notice);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(terms.Steward), notice);
            Assert.Contains("dataset <code>veterans</code>", notice);
            Assert.Contains(heldId, notice);
            Assert.Contains($"href=\"{registry.Url}studies/{studyId}\"", notice);
            Assert.Contains($"#!secure-release --id {heldId} --wait 600", notice);
            Assert.DoesNotContain(held.Html(), h => h.Contains("smpc-footer") || h.Contains("<table"));
            var shown = string.Join("\n", held.Html()).Replace(heldId, "");
            foreach (var r in reference.ReleasedRows)
                Assert.DoesNotContain(reference.Text(r, reference.ValueColumns[0]), shown);
            Assert.Empty(study.Releases);

            // Asked once while pending: the notice again. With --wait: the cell fails once the time is up.
            var pending = await first.Run($"#!secure-release --id {heldId}");
            pending.ShouldSucceed();
            Assert.Contains(pending.Html(), h => h.Contains("Held for review") && h.Contains(heldId));
            var waited = await first.Run($"#!secure-release --id {heldId} --wait 2");
            Assert.Contains("Still held after 2 s", waited.Failure());
            Assert.Contains($"waiting for review by {terms.Steward} (dataset 'veterans')", waited.Failure());
            Assert.Contains("--wait must be a whole number of seconds", (await first.Run($"#!secure-release --id {heldId} --wait soon")).Failure());

            (await first.Run("#!secure-aggregate --dataset veterans --stat count --group-by branch")).ShouldSucceed();
            rejectedId = Assert.Single(registry.ReviewIds, id => id != heldId);

            // A join under terms that review every release: its counts are held, and the cell says so.
            study.Contribute(bankCsv, bankSchema, bankTerms);
            var heldJoin = await first.Run("#!secure-join --datasets veterans,bank --name vb");
            heldJoin.ShouldSucceed();
            joinId = Assert.Single(registry.ReviewIds, id => id != heldId && id != rejectedId);
            var joinNotice = Assert.Single(heldJoin.Html(), h => h.Contains("smpc-held"));
            Assert.Contains("its counts (joined rows, matches per pass) are held", joinNotice);
            Assert.Contains(joinId, joinNotice);
            Assert.DoesNotContain(heldJoin.Html(), h => h.Contains("smpc-footer"));
            Assert.Empty(study.Joins);
        }
        registry.Decide(joinId, approve: true);
        registry.Decide(heldId, approve: true);
        registry.Decide(rejectedId, approve: false, reason: "branch counts are out of scope");

        // A later notebook: another kernel and another session of the same analyst and study.
        using var second = TestKernel.Create(loadExtension: false);
        var again = SecureAnalyticsExtension.Load(second, announce: false);
        var later = Session();
        again.Studies.Add("veterans", later);
        Assert.Contains("sign in first with #!secure-study --registry URL --study ID", (await second.Run($"#!secure-release --id {heldId}")).Failure());
        (await second.Run(signIn)).ShouldSucceed();
        var approved = await second.Run($"#!secure-release --id {heldId} --wait 30 --name means");
        approved.ShouldSucceed();
        var table = Assert.Single(approved.Html(), h => h.Contains("smpc-footer"));
        Assert.Contains("log entry #", table);
        Assert.Contains($"href=\"{registry.Url}api/studies/{studyId}/log/", table);
        var release = Assert.IsType<Release>((await second.Run("meansRelease")).ReturnValue());
        Assert.Equal(Wire(reference), Wire(release));                              // exactly the unreviewed run
        Assert.Equal([0, 1, 2], release.LogEntries.Select(e => e.Party).Order());
        var rows = File.ReadAllLines(csv);
        var header = rows[0].Split(',');
        int era = Array.IndexOf(header, "service_era"), benefit = Array.IndexOf(header, "monthly_benefit");
        var records = rows.Skip(1).Select(l => l.Split(',')).ToList();
        string column = release.ValueColumns.Single(c => c.Contains("mean", StringComparison.OrdinalIgnoreCase));
        int compared = 0;
        for (int r = 0; r < release.RowCount; r++)
            if (release.Value(r, column) is { } value && release.Key(r, "service_era") is { } e && e != Release.AllLabel)
            {
                double truth = records.Where(x => x[era] == e).Average(x => double.Parse(x[benefit], CultureInfo.InvariantCulture));
                Assert.True(Math.Abs(value - truth) <= 0.01 + 1e-6 * Math.Abs(truth), $"{e}: released {value}, plaintext {truth}");
                compared++;
            }
        Assert.True(compared >= 2, "too few released cells compared");

        var rejected = await second.Run($"#!secure-release --id {rejectedId}");
        Assert.Contains("rejected", rejected.Failure());
        Assert.Contains("branch counts are out of scope", rejected.Failure());
        Assert.DoesNotContain(rejected.Html(), h => h.Contains("smpc-footer"));
        Assert.Single(later.Releases);

        var join = await second.Run($"#!secure-release --id {joinId}");
        join.ShouldSucceed();
        Assert.Contains(join.Html(), h => h.Contains("smpc-footer") && h.Contains("log entry #"));
        var fetched = Assert.IsType<JoinRelease>((await second.Run("vb")).ReturnValue());
        Assert.Equal(JsonSerializer.Serialize(PartyWire.ToWire(referenceJoin) with { Sequence = 0 }, PartyWire.Json),
                     JsonSerializer.Serialize(PartyWire.ToWire(fetched) with { Sequence = 0 }, PartyWire.Json));
    }

    static string Wire(Release r) => JsonSerializer.Serialize(PartyWire.ToWire(r) with { Sequence = 0 }, PartyWire.Json);
}
