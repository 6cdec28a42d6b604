using System.Globalization;
using System.Text.Json;
using Smpc.Analytics.Columnar;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// A study as the organisations run it, every role its own OS process on loopback: `smpc certs --contributors`,
/// three `smpc party serve` (store and compute), two data stewards' `smpc contribute`, and an analyst's `smpc analyze`
/// that links the two files and aggregates by group — compared with the same join and aggregates in plaintext. A
/// party is then stopped and restarted from its store, and the same question gets the same answer. The analyst's
/// process never holds a share.
/// </summary>
[Collection("processes")]
public sealed class PartyServiceStudyProcessTests : IDisposable
{
    static readonly TimeSpan Generous = PartyServiceProcesses.Generous;
    readonly string _dir = CliProcess.TempFolder("smpc-study-services");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    CliProcess Serve(int id) => PartyServiceProcesses.Serve(_dir, id);

    void WaitServing(IEnumerable<CliProcess> parties) => PartyServiceProcesses.WaitServing(_dir, parties);

    static readonly string[] Wards = VisitsAndClaims.Wards;

    [Fact]
    public void Two_stewards_contribute_and_an_analyst_links_and_aggregates_at_three_party_services()
    {
        var ports = CliProcess.FreePorts(6);
        using (var certs = CliProcess.Start(_dir, "certs", "--study", "services-e2e", "--out", "certs", "--ports", string.Join(',', ports[..3]),
                   "--upload-ports", string.Join(',', ports[3..]), "--contributors", "clinic,insurer"))
            Assert.True(certs.WaitForExit(Generous) == 0, certs.ToString());

        // Two organisations' files: visits (ssn, ward, cost) and claims (ssn, plan, premium); 180 people in both.
        var random = new Random(7);
        var people = Enumerable.Range(0, 400).Select(i => $"{random.Next(100, 600)}{random.Next(10, 99)}{1000 + i}").ToArray();
        var data = VisitsAndClaims.Write(_dir, people, 300, 120, random, "process test", ["join","groupby","count","sum","mean"]);
        var (visits, claims) = (data.Visits, data.Claims);

        // The study is registry-gated: study.json pins the registry's token key; the analyst holds a work token.
        var registry = Smpc.Governance.Transparency.LogKey.Generate("registry-tokens");
        var studyJson = Path.Combine(_dir, "certs", "study.json");
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(studyJson))!;
        node["registry"] = new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = registry.Name, ["publicKey"] = Convert.ToBase64String(registry.Public.Key), ["studyId"] = "registry-study-7",
        };
        File.WriteAllText(studyJson, node.ToJsonString());
        var approved = new[] { "visits", "claims" }.ToDictionary(d => d, d => Smpc.Governance.TermsDocument.Hash(Smpc.Governance.TermsDocument.Canonical(
            Smpc.Governance.DataUse.DataUseTerms.Load(Path.Combine(_dir, $"{d}.terms.json")))));
        var token = Smpc.Governance.Gating.StudyToken.Issue(registry, new Smpc.Governance.Gating.StudyTokenClaims
        {
            Study = "registry-study-7", Analyst = "analyst", Role = "analyst", Stage = "Analysis", Terms = approved,
            IssuedAt = DateTime.UtcNow.AddMinutes(-1), Expires = DateTime.UtcNow.AddMinutes(55), Id = "work-1",
        });

        var parties = new[] { Serve(0), Serve(1), Serve(2) };
        try
        {
            foreach (var (dataset, contributor) in new[] { ("visits", "clinic"), ("claims", "insurer") })
                using (var c = CliProcess.Start(_dir, "contribute", "--config", "certs/study.json", "--dataset", dataset, "--file", $"{dataset}.csv",
                           "--schema", $"{dataset}.schema.json", "--terms", $"{dataset}.terms.json", "--contributor", contributor, "--timeout", "30"))
                    Assert.True(c.WaitForExit(Generous) == 0, c.ToString());

            var linked = (from v in visits join c in claims on v.Ssn equals c.Ssn select v).ToList();
            Assert.Equal(180, linked.Count);
            string Analyze()
            {
                WaitServing(parties);
                using var a = CliProcess.Start(_dir, "analyze", "--config", "certs/study.json", "--join", "visits,claims", "--passes", "ssn",
                    "--stat", "count,mean", "--column", "cost", "--group-by", "ward", "--format", "csv", "--connect-timeout", "120", "--work-token", token);
                Assert.True(a.WaitForExit(Generous) == 0, a.ToString());
                return a.Stdout;
            }
            var csv = Analyze();
            var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal("ward,count,mean(cost),status,rule", lines[0]);
            foreach (var ward in Wards)
            {
                var cells = lines.Single(l => l.StartsWith(ward + ",")).Split(',');
                var rows = linked.Where(v => v.Ward == ward).ToList();
                Assert.Equal(rows.Count, long.Parse(cells[1], CultureInfo.InvariantCulture));
                // Fixed point with 12 fraction bits: each cost is encoded within 2^-13; the mean's division is exact to its last bit.
                Assert.InRange(double.Parse(cells[2], CultureInfo.InvariantCulture) - rows.Average(v => v.Cost), -0.01, 0.01);
            }

            // A party stops and restarts from its store: the study continues, and the same question gets the same answer.
            parties[1].Kill();
            parties[1] = Serve(1);
            Assert.Equal(csv, Analyze());

            // Without the registry's work token the parties compute nothing.
            using (var ungated = CliProcess.Start(_dir, "analyze", "--config", "certs/study.json", "--dataset", "visits", "--stat", "count", "--format", "csv", "--connect-timeout", "120"))
            {
                Assert.Equal(3, ungated.WaitForExit(Generous));
                Assert.Contains("TokenMissing", ungated.Stderr);
            }

            // The analyst cannot reach a dataset's rows: a single person's cost is refused by the parties.
            using (var single = CliProcess.Start(_dir, "analyze", "--config", "certs/study.json", "--dataset", "visits", "--stat", "sum", "--column", "cost",
                       "--filter", $"ward = {visits[0].Ward} and cost = {visits[0].Cost.ToString(CultureInfo.InvariantCulture)}", "--format", "csv", "--connect-timeout", "120", "--work-token", token))
            {
                int code = single.WaitForExit(Generous);
                Assert.True(code == 3 || !single.Stdout.Contains(visits[0].Cost.ToString("0.00", CultureInfo.InvariantCulture)), single.ToString());
            }
        }
        finally
        {
            foreach (var p in parties) p.Kill();
        }
        var logs = string.Concat(Enumerable.Range(0, 3).Select(p => File.ReadAllText(Path.Combine(_dir, $"party-{p}.jsonl"))));
        Assert.Contains("compute-ready", logs);
        foreach (var v in visits.Take(50)) Assert.DoesNotContain(v.Ssn, logs);
    }
}
