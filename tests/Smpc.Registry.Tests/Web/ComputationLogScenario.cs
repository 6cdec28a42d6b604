using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics;
using Smpc.Governance.DataUse;
using Smpc.Governance;
using Smpc.Governance.Gating;
using Smpc.Governance.Transparency;
using Smpc.Registry.Api;
using Smpc.Registry.Hosting;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// Registry-gated party services log what they compute: the demo study is taken to its analysis stage through the API
/// (the veterans' steward names the analyst in terms v2, without 'state'), the analyst gets a work
/// token, and three party services (the embedded ones, each gated by the registry's token key and logging with its own
/// compute operator's token) run a release and a refusal for the analyst. Each leaves one entry per party, naming the
/// party's operator; a release's entries carry the digest of the release the analyst holds and its ε (and a release that
/// spent ε one budget-spend entry per party and dataset), a refusal's its rule; every entry verifies with its inclusion proof from the release's link; and no entry holds a row value, an
/// identifier or a value of the table (released or suppressed). Only the study's compute operators may post.
/// Run on each database (<see cref="SqliteComputationLogTests"/>, <see cref="PostgresComputationLogTests"/>).
/// </summary>
internal static class ComputationLogScenario
{
    internal const string Analyst = "alex.rivera@research.example";
    internal static readonly string[] Operators = ["jamie.flores@research.example", "lee.park@va.example", "casey.novak@stats.example"];

    public static async Task RunAsync(RegistryServer server)
    {
        var studyId = server.Report.Demo!.StudyId.ToString();
        string studyPath = $"/api/studies/{studyId}";
        async Task<HttpClient> As(string email) => server.Client().WithToken(await Http.TokenAsync(server, email));
        using var coordinator = await As("pat.quinn@research.example");
        using var analyst = await As(Analyst);
        using var admin = await As(server.Report.AdminEmail);

        var (terms, workToken, tokenId, registryKey) = await ToAnalysisAsync(server);

        // Only the study's compute operators may log a computation.
        var record = new ComputationRecord
        {
            Kind = "refusal", Party = 0, Analyst = Analyst, Operation = "aggregate", Request = "count on 'veterans'", Datasets = ["veterans"], Rule = "Test",
        };
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync($"{studyPath}/log/computations", record)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.PostAsJsonAsync($"{studyPath}/log/computations", record)).StatusCode);

        var operatorTokens = new string[3];
        for (int p = 0; p < 3; p++) operatorTokens[p] = await Http.TokenAsync(server, Operators[p]);
        // A record naming a dataset the study lacks, or a token the registry did not issue for it, is refused.
        using (var op = server.Client().WithToken(operatorTokens[0]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync($"{studyPath}/log/computations", record with { Datasets = ["elsewhere"] })).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync($"{studyPath}/log/computations", record with { TokenId = "0123456789abcdef0123456789abcdef" })).StatusCode);
        }

        long sizeBefore = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "log").Entries.Count;
        var logs = Enumerable.Range(0, 3).Select(p => new RegistryComputationLog(server.BaseAddress.ToString(), operatorTokens[p], studyId)).ToArray();
        var folder = SyntheticAgencies.Locate(null);
        Release release, noisy;
        PolicyException refused;
        try
        {
            using var secure = SecureStudy.Embedded("veterans-study", Analyst,
                gates: p => new PartyGate(new StudyTokenCheck { Registry = registryKey, Study = studyId }) { Log = logs[p] });
            secure.WorkToken = workToken;
            secure.Contribute(Path.Combine(folder, "veterans.csv"), TableSchema.Load(Path.Combine(folder, "veterans.schema.json")), terms);
            release = secure.Aggregate(new AggregateRequest
            {
                Dataset = "veterans", Statistics = [StatisticKind.Mean], Columns = ["monthly_benefit"], GroupBy = ["service_era", "branch"],
            });
            noisy = secure.Aggregate(new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Count], GroupBy = ["service_era"], Epsilon = 0.5 });
            refused = Assert.Throws<PolicyException>(() => secure.Mean("veterans", "monthly_benefit", "state"));
        }
        finally
        {
            foreach (var l in logs) l.Dispose();
        }
        Assert.Equal("AllowedColumns", refused.Rule);
        Assert.True(release.SuppressedCount > 0, "the table should have suppressed cells: " + release);

        var export = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "log");
        Assert.True(LogVerifier.Verify(export).Sound);
        var computed = export.Entries.Skip((int)sizeBefore).ToList();
        Assert.Equal(12, computed.Count);                                                  // 3 × (release, noisy release, its ε spend, refusal)
        var operatorIds = new List<string>();
        foreach (var email in Operators)
            operatorIds.Add((await server.WithDbAsync((db, _) => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.People, x => x.Email == email))).Id.ToString());

        List<LogEntry> Entries(Release r) =>
            computed.Where(e => e.Kind == LogEntryKind.Release && e.Data["resultSha256"] == PartyWire.Digest(r)).OrderBy(e => e.Data["party"]).ToList();
        var released = Entries(release);                                                  // by the digest of the release the analyst holds
        foreach (var (r, entries) in new[] { (release, released), (noisy, Entries(noisy)) })
        {
            Assert.Equal(["0", "1", "2"], entries.Select(e => e.Data["party"]));
            Assert.Equal(operatorIds, entries.Select(e => e.Actor));                      // each party's own operator
            Assert.All(entries, e =>
            {
                Assert.Equal(studyId, e.Study);
                Assert.Equal(Analyst, e.Data["analyst"]);
                Assert.Equal("veterans", e.Data["datasets"]);
                Assert.Equal(tokenId, e.Data["tokenId"]);
                Assert.Equal(r.Request.Describe(), e.Data["request"]);
                Assert.Equal(r.Sequence.ToString(CultureInfo.InvariantCulture), e.Data["sequence"]);
            });
        }
        Assert.All(released, e => Assert.False(e.Data.ContainsKey("epsilon")));
        Assert.All(Entries(noisy), e => Assert.Equal("0.5", e.Data["epsilon"]));          // ε spent is part of the release's entry
        // … and each party's charge to the budget of the dataset is an entry of its own, by the same operator.
        var spends = computed.Where(e => e.Kind == LogEntryKind.BudgetSpend).OrderBy(e => e.Data["party"]).ToList();
        Assert.Equal(["0", "1", "2"], spends.Select(e => e.Data["party"]));
        Assert.Equal(operatorIds, spends.Select(e => e.Actor));
        Assert.All(spends, e =>
        {
            Assert.Equal("veterans", e.Data["dataset"]);
            Assert.Equal("0.5", e.Data["epsilon"]);
            Assert.Equal(PartyWire.Digest(noisy), e.Data["resultSha256"]);
            Assert.Equal(tokenId, e.Data["tokenId"]);
        });
        var refusals = computed.Where(e => e.Kind == LogEntryKind.Refusal).OrderBy(e => e.Data["party"]).ToList();
        Assert.Equal(["0", "1", "2"], refusals.Select(e => e.Data["party"]));
        Assert.All(refusals, e => Assert.Equal("AllowedColumns", e.Data["rule"]));
        Assert.All(refusals, e => Assert.False(e.Data.ContainsKey("resultSha256")));

        // The release carries each party's entry, linked to its inclusion proof, which verifies against the log's key.
        Assert.Equal([0, 1, 2], release.LogEntries.Select(e => e.Party));
        Assert.Equal(released.Select(e => e.Index).Order(), release.LogEntries.Select(e => e.Index).Order());
        var logKey = export.Log;
        using var auditor = await As("taylor.brooks@stats.example");
        var proofs = new List<string>();
        foreach (var entry in release.LogEntries)
        {
            Assert.StartsWith(server.BaseAddress.ToString(), entry.Url);
            var text = await (await auditor.GetAsync(entry.Url)).Content.ReadAsStringAsync();
            var proof = InclusionProof.Parse(text, entry.Url);
            proof.Verify(logKey);
            Assert.Equal(entry.Index, proof.Entry.Index);
            Assert.Equal(LogEntryKind.Release, proof.Entry.Kind);
            proofs.Add(text);
        }
        foreach (var e in refusals)
            InclusionProof.Parse(await (await auditor.GetAsync($"{studyPath}/log/{e.Index}")).Content.ReadAsStringAsync(), "refusal").Verify(logKey);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync($"{studyPath}/log/{export.Entries.Count + 5}")).StatusCode);

        // No entry holds a row value: no identifier of any row, no decimal value of the file, no value of the table.
        var bytes = string.Join("\n", computed.Select(e => Encoding.UTF8.GetString(e.Canonical())).Concat(proofs));
        var forbidden = PlaintextValues(Path.Combine(folder, "veterans.csv"));
        foreach (var r in Enumerable.Range(0, release.RowCount))
            foreach (var c in release.ValueColumns)
                if (release.Value(r, c) is { } v) forbidden.UnionWith(Formats(v).Append(release.Text(r, c)).Where(x => x.Contains('.')));
        foreach (var cell in SuppressedMeans(Path.Combine(folder, "veterans.csv"), release)) forbidden.UnionWith(Formats(cell));
        Assert.True(forbidden.Count > 20000, $"only {forbidden.Count} values checked");
        var found = Found(bytes, forbidden);
        Assert.True(found.Count == 0, "log entries hold row or table values: " + string.Join(", ", found));
    }

    /// <summary>The demo study taken to its analysis stage through the API (terms v2 of 'veterans' name the analyst and
    /// drop 'state'; approvals, uploads, advances), and a work token for the analyst: the terms, the token and its id,
    /// and the registry's token key the parties pin.</summary>
    internal static async Task<(DataUseTerms Terms, string WorkToken, string TokenId, LogPublicKey TokenKey)> ToAnalysisAsync(RegistryServer server)
    {
        var studyId = server.Report.Demo!.StudyId.ToString();
        string studyPath = $"/api/studies/{studyId}";
        async Task<HttpClient> As(string email) => server.Client().WithToken(await Http.TokenAsync(server, email));
        using var coordinator = await As("pat.quinn@research.example");
        using var analyst = await As(Analyst);
        // Terms v2 of 'veterans' name the analyst's account (the one work tokens and study certificates carry).
        var terms = RegistrySeeder.Terms("veterans") with
        {
            AllowedAnalysts = [Analyst],
            AllowedColumns = RegistrySeeder.Terms("veterans").AllowedColumns.Where(c => c != "state").ToArray(),
        };
        var study = await (await coordinator.GetAsync(studyPath)).ReadAsync<StudyResponse>();
        var stewards = new Dictionary<string, string> { ["veterans"] = "sam.okafor@va.example", ["bank"] = "riley.chen@bank.example", ["survey"] = "jordan.kim@stats.example" };
        using (var steward = await As(stewards["veterans"]))
        {
            var put = await steward.PutAsync($"{studyPath}/datasets/{study.Datasets.Single(d => d.Name == "veterans").Id}/terms",
                new StringContent(JsonSerializer.Serialize(terms, DataUseTerms.Json), Encoding.UTF8, "application/json"));
            Assert.Equal(2, (await put.ReadAsync<TermsVersionResponse>()).Version);
        }
        study = await (await coordinator.GetAsync(studyPath)).ReadAsync<StudyResponse>();
        foreach (var d in study.Datasets.Where(d => !d.Approved))
            using (var steward = await As(stewards[d.Name]))
                await (await steward.PostAsJsonAsync($"{studyPath}/datasets/{d.Id}/approvals", new ApproveRequest(d.Terms!.Hash))).ReadAsync<TermsVersionResponse>();
        Assert.Equal(StudyStage.Approved, (await (await coordinator.PostAsync($"{studyPath}/advance", null)).ReadAsync<StageResponse>()).Stage);
        foreach (var d in study.Datasets)
            using (var steward = await As(stewards[d.Name]))
            {
                var upload = await steward.PostAsJsonAsync($"{studyPath}/datasets/{d.Id}/uploads", new UploadRequest(new string('c', 64)));
                Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
            }
        Assert.Equal(StudyStage.DataCommitted, (await (await coordinator.PostAsync($"{studyPath}/advance", null)).ReadAsync<StageResponse>()).Stage);
        Assert.Equal(StudyStage.Analysis, (await (await coordinator.PostAsync($"{studyPath}/advance", null)).ReadAsync<StageResponse>()).Stage);

        var issued = await (await analyst.PostAsync($"{studyPath}/work-token", null)).ReadAsync<JsonElement>();
        string workToken = issued.GetProperty("token").GetString()!, tokenId = issued.GetProperty("id").GetString()!;
        var tokenKey = await (await analyst.GetAsync("/api/work-token-key")).ReadAsync<JsonElement>();
        var registryKey = new LogPublicKey(tokenKey.GetProperty("name").GetString()!, Convert.FromBase64String(tokenKey.GetProperty("publicKey").GetString()!));
        return (terms, workToken, tokenId, registryKey);
    }

    /// <summary>Every identifier of the file (record id, SSN with and without separators, names of three letters or more,
    /// date of birth) and every decimal value (those with a point: a digit string alone could be part of a hash).</summary>
    /// <summary>The forbidden values <paramref name="text"/> holds (five at most): a value of letters and digits only (a
    /// name, a record id) as a whole word — inside a base64 signature or hex digest a short name turns up by chance — and
    /// any other (a decimal, a date, an SSN with dashes) anywhere.</summary>
    internal static List<string> Found(string text, IEnumerable<string> forbidden)
    {
        var words = System.Text.RegularExpressions.Regex.Split(text, "[^A-Za-z0-9]+").ToHashSet(StringComparer.Ordinal);
        return [.. forbidden.Where(v => v.All(char.IsAsciiLetterOrDigit) ? words.Contains(v) : text.Contains(v, StringComparison.Ordinal)).Take(5)];
    }

    internal static HashSet<string> PlaintextValues(string csv)
    {
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            values.Add(f[Col("va_id")]);
            if (f[Col("ssn")] is { Length: > 0 } ssn) { values.Add(ssn); values.Add(ssn.Replace("-", "")); }
            foreach (var name in new[] { f[Col("first_name")], f[Col("last_name")] }) if (name.Length >= 3) values.Add(name);
            values.Add(f[Col("dob")]);
            foreach (var x in f) if (x.Contains('.') && double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) values.Add(x);
        }
        return values;
    }

    /// <summary>The true means of the cells the release suppressed, computed from the plaintext file.</summary>
    static IEnumerable<double> SuppressedMeans(string csv, Release release)
    {
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        int era = Array.IndexOf(header, "service_era"), branch = Array.IndexOf(header, "branch"), benefit = Array.IndexOf(header, "monthly_benefit");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var r in release.SuppressedRows)
        {
            string? e = release.Key(r, "service_era"), b = release.Key(r, "branch");
            var cell = rows.Where(x => (e == Release.AllLabel || x[era] == e) && (b == Release.AllLabel || x[branch] == b)).Select(x => double.Parse(x[benefit], CultureInfo.InvariantCulture)).ToList();
            if (cell.Count > 0) yield return cell.Average();
        }
    }

    internal static IEnumerable<string> Formats(double v) =>
        new[] { v.ToString("R", CultureInfo.InvariantCulture), v.ToString("F2", CultureInfo.InvariantCulture), v.ToString("F1", CultureInfo.InvariantCulture) }
            .Where(s => s.Contains('.') && s.Length >= 4);
}

public sealed class SqliteComputationLogTests
{
    [Fact]
    public async Task Gated_party_services_log_each_release_and_refusal_once_per_party_without_row_values_on_sqlite()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        await ComputationLogScenario.RunAsync(server);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresComputationLogTests(PostgresServer postgres)
{
    [Fact]
    public async Task Gated_party_services_log_each_release_and_refusal_once_per_party_without_row_values_on_postgresql()
    {
        await using var server = await RegistryServer.StartAsync(connection: await postgres.CreateDatabaseAsync("computations"), demo: true);
        await ComputationLogScenario.RunAsync(server);
    }
}
