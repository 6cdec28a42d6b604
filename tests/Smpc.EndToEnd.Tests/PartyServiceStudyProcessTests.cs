using System.Globalization;
using System.Text.Json;
using Smpc.Analytics.Columnar;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// A study as the organisations run it, every role its own OS process on loopback: `smpc certs --contributors`,
/// three `smpc party serve` (store and compute), two data stewards' `smpc contribute`, and an analyst's `smpc analyze`
/// that links the two files and aggregates by group — compared with the same join and aggregates in plaintext. A
/// party is then stopped and restarted from its store, and the same question gets the same answer. The analyst's
/// process never holds a share. The study is registry-gated and each party logs what it computed at the registry
/// (a stub of its endpoint) with its own compute operator's token, from study.json's registry.url and registryToken, and
/// countersigns the stub log's heads with its own witness key (registry.log, witnessKey).
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

        // The study is registry-gated: study.json pins the registry's token key; the analyst holds a work token. Each
        // party logs what it computes at the registry (here a stub of its endpoint) with its own operator's token.
        var registry = Smpc.Governance.Transparency.LogKey.Generate("registry-tokens");
        using var registryLog = new RegistryLogStub();
        var studyJson = Path.Combine(_dir, "certs", "study.json");
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(studyJson))!;
        node["registry"] = new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = registry.Name, ["publicKey"] = Convert.ToBase64String(registry.Public.Key), ["studyId"] = "registry-study-7", ["url"] = registryLog.Url,
        };
        // The parties also witness the registry's log: its key pinned, each with its own witness key (registered there).
        node["registry"]!["log"] = new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = registryLog.Log.PublicKey.Name, ["publicKey"] = Convert.ToBase64String(registryLog.Log.PublicKey.Key),
        };
        for (int p = 0; p < 3; p++)
        {
            File.WriteAllText(Path.Combine(_dir, "certs", $"party-{p}.registry-token"), $"smpc_pat_operator{p}\n");
            var party = node["parties"]!.AsArray().Single(x => (int)x!["id"]! == p)!;
            party["registryToken"] = $"party-{p}.registry-token";
            registryLog.RegisterWitness(Smpc.Governance.Transparency.LogKey.LoadOrCreate(Path.Combine(_dir, "certs", $"party-{p}.witness.key"), $"party-{p}").Public);
            party["witnessKey"] = $"party-{p}.witness.key";
        }
        File.WriteAllText(studyJson, node.ToJsonString());
        var approved = new[] { "visits", "claims" }.ToDictionary(d => d, d => Smpc.Governance.TermsDocument.Hash(Smpc.Governance.TermsDocument.Canonical(
            Smpc.Governance.DataUse.DataUseTerms.Load(Path.Combine(_dir, $"{d}.terms.json")))));
        var token = Smpc.Governance.Gating.StudyToken.Issue(registry, new Smpc.Governance.Gating.StudyTokenClaims
        {
            Study = "registry-study-7", Analyst = "analyst", Role = "analyst", Stage = "Analysis", Terms = approved,
            IssuedAt = DateTime.UtcNow.AddMinutes(-1), Expires = DateTime.UtcNow.AddMinutes(55), Id = "work-1",
        });

        var parties = new[] { Serve(0), Serve(1), Serve(2) };
        bool singleRefused = false;
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
                singleRefused = code == 3;
            }

            // The work token is revoked at the registry (a lost laptop): the running parties refuse it, study.json unedited.
            registryLog.Revoke("work-1");
            Thread.Sleep(TimeSpan.FromSeconds(11));   // each party keeps the list it fetched for 10 s
            using (var revoked = CliProcess.Start(_dir, "analyze", "--config", "certs/study.json", "--dataset", "visits", "--stat", "count", "--format", "csv",
                       "--connect-timeout", "120", "--work-token", token))
            {
                Assert.Equal(3, revoked.WaitForExit(Generous));
                Assert.Contains("TokenRevoked", revoked.Stderr);
            }
        }
        finally
        {
            foreach (var p in parties) p.Kill();
        }
        var logs = string.Concat(Enumerable.Range(0, 3).Select(p => File.ReadAllText(Path.Combine(_dir, $"party-{p}.jsonl"))));
        Assert.Contains("compute-ready", logs);
        foreach (var v in visits.Take(50)) Assert.DoesNotContain(v.Ssn, logs);

        // Each party logged its own computations with its own operator's token: the join (query) and aggregate (release)
        // of each analysis under the work token, and the refusal of the single person's sum; no identifier or value.
        var posted = registryLog.Snapshot();
        Assert.All(posted, r => Assert.Equal("/api/studies/registry-study-7/log/computations", r.Path));
        for (int p = 0; p < 3; p++)
        {
            var mine = posted.Where(r => r.Token == $"smpc_pat_operator{p}").Select(r => r.Json).ToList();
            Assert.All(mine, r => Assert.Equal(p, r.GetProperty("party").GetInt32()));
            Assert.Contains(mine, r => r.GetProperty("kind").GetString() == "query" && r.GetProperty("tokenId").GetString() == "work-1");
            Assert.Contains(mine, r => r.GetProperty("kind").GetString() == "release" && r.GetProperty("resultSha256").GetString()!.Length == 64
                                       && r.GetProperty("datasets").EnumerateArray().Select(d => d.GetString()).SequenceEqual(["visits", "claims"]));
            if (singleRefused)   // (the request without a token was refused at its first step, listing the datasets: not a computation)
                Assert.Contains(mine, r => r.GetProperty("kind").GetString() == "refusal" && r.GetProperty("rule").GetString() is { Length: > 0 });
        }
        // Each party asked the registry for the revoked work tokens with its own operator's token.
        for (int p = 0; p < 3; p++) Assert.Contains($"smpc_pat_operator{p}", registryLog.RevocationReads);
        // Each party countersigned the log's heads (at service start, after its entries, party 1 again after its restart
        // from the head kept beside its store).
        var cosigned = registryLog.Cosigned.ToList();
        foreach (var p in new[] { 0, 1, 2 })
        {
            var sizes = cosigned.Where(c => c.Witness == $"party-{p}").Select(c => c.Size).ToList();
            Assert.True(sizes.Count >= 2, $"party {p} cosigned {sizes.Count} heads");
            Assert.True(sizes.Max() > posted.Count(r => r.Token == $"smpc_pat_operator{p}"), "the last head a party cosigned covers its entries");
            Assert.True(File.Exists(Path.Combine(_dir, $"store-{p}", "witness", "services-e2e.head.json")));
        }
        Assert.All(registryLog.Log.Heads.Where(h => h.Cosignatures.Count > 0), h => Assert.True(h.SignedBy(registryLog.Log.PublicKey)));
        Assert.Equal(posted.Count, posted.Count(r => r.Token is "smpc_pat_operator0" or "smpc_pat_operator1" or "smpc_pat_operator2"));
        var bodies = string.Join("\n", posted.Select(r => r.Body));
        foreach (var v in visits) Assert.DoesNotContain(v.Ssn, bodies);
        // (visits[0]'s cost is in the analyst's own filter text, which the request in words carries.)
        foreach (var v in visits.Skip(1).Where(v => v.Cost % 1 != 0 && v.Cost != visits[0].Cost)) Assert.DoesNotContain(v.Cost.ToString(CultureInfo.InvariantCulture), bodies);
    }
}
