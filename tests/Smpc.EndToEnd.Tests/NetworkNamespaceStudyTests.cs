using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smpc.Analytics.Columnar;
using Smpc.Governance.Transparency;
using Xunit.Abstractions;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// A study on six hosts under the registry: the three party services, two data stewards and the analyst each in its own
/// network namespace (<see cref="NetworkNamespaces"/>), reaching each other only over veths and a bridge, and the real
/// `smpc registry` on a seventh host. The study is created in the registry with its members, its terms documented and
/// approved and taken to analysis there; the parties are registry-gated (its token key and log key pinned, each with
/// its compute operator's token and its own witness key) and reach it through a forwarder on their own loopback (the
/// registry's client sends a token over plain HTTP to loopback only). The analyst gets short-lived work tokens from the
/// registry. The study runs twice: once with direct links, once with every link (party–party, steward–party,
/// analyst–party) passing an `smpc relay` that adds 20 ms of round-trip time. Both give the same CSV, equal to a
/// plaintext join and group-by of the same files, and the relays show which hosts they carried. A request without a
/// token, and one with a token the parties were told is revoked, are refused with the rule named. The registry's log,
/// exported by its administrator and verified offline, holds each party's join and release of each run under that
/// run's token, and heads each party countersigned. Needs root and iproute2 (skipped otherwise).
/// </summary>
[Collection("processes")]
public sealed class NetworkNamespaceStudyTests(ITestOutputHelper output) : IDisposable
{
    static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);
    static readonly string[] Hosts = ["p0", "p1", "p2", "clinic", "insurer", "analyst", "registry"];
    const int Clinic = 3, Insurer = 4, Analyst = 5, Registry = 6;
    /// <summary>The registry as every host that talks to it reaches it: on its own loopback (the registry itself, a forwarder elsewhere).</summary>
    const string RegistryUrl = "http://127.0.0.1:5080";
    static readonly int[] Ports = [47000, 47001, 47002], UploadPorts = [47100, 47101, 47102];
    static readonly string[] Wards = ["harbourside", "millbrook", "thornfield"];
    static readonly string[] Plans = ["basic", "plus"];
    readonly string _dir = CliProcess.TempFolder("smpc-netns");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Where the relay in front of party <paramref name="party"/> listens (on the hub's bridge).</summary>
    static string RelayAddress(int party) => $"{NetworkNamespaces.Subnet}.{110 + party}";

    [NetworkNamespacesFact]
    public async Task Six_hosts_in_network_namespaces_under_the_registry_give_the_plaintext_answers_directly_and_at_20_ms()
    {
        using (var certs = CliProcess.Start(_dir, "certs", "--study", "netns-e2e", "--out", "certs", "--host", NetworkNamespaces.Address(0),
                   "--ports", string.Join(',', Ports), "--upload-ports", string.Join(',', UploadPorts), "--contributors", "clinic,insurer",
                   "--analyst", RegistryPeople.Analyst))
            Assert.True(certs.WaitForExit(Generous) == 0, certs.ToString());
        // Each party at its own host.
        WriteConfig("study.json", party => NetworkNamespaces.Address(party));

        var random = new Random(11);
        var people = Enumerable.Range(0, 300).Select(i => $"{random.Next(100, 600)}{random.Next(10, 99)}{1000 + i}").ToArray();
        var visits = people.Take(220).Select(s => (Ssn: s, Ward: Wards[random.Next(3)], Cost: random.Next(1000, 900000) / 100.0)).ToList();
        var claims = people.Skip(80).Select(s => (Ssn: s, Plan: Plans[random.Next(2)], Premium: random.Next(100, 5000))).ToList();
        File.WriteAllText(Path.Combine(_dir, "visits.csv"), "ssn,ward,cost\n" + string.Concat(visits.Select(v => $"{v.Ssn},{v.Ward},{v.Cost.ToString("0.00", CultureInfo.InvariantCulture)}\n")));
        File.WriteAllText(Path.Combine(_dir, "claims.csv"), "ssn,plan,premium\n" + string.Concat(claims.Select(c => $"{c.Ssn},{c.Plan},{c.Premium}\n")));
        WriteSchema("visits", new ColumnSpec { Name = "ward", Kind = ColumnKind.Categorical, Domain = Wards }, new ColumnSpec { Name = "cost", Kind = ColumnKind.FixedPoint, FractionBits = 12, Min = 0, Max = 10000 });
        WriteSchema("claims", new ColumnSpec { Name = "plan", Kind = ColumnKind.Categorical, Domain = Plans }, new ColumnSpec { Name = "premium", Kind = ColumnKind.Integer, Min = 0, Max = 10000 });

        using var network = new NetworkNamespaces(Hosts);
        var clock = Stopwatch.StartNew();
        // The registry on its host listens on loopback only; a forwarder on the host's address stands in front of it
        // (as a reverse proxy would), and every party's and the analyst's host has a forwarder to it on its own loopback.
        using var registry = RegistryProcess.Start(_dir, "registry", RegistryUrl, network.Namespace(Hosts[Registry]));
        string front = $"{NetworkNamespaces.Address(Registry)}:5080";
        var forwarders = new List<CliProcess> { CliProcess.StartIn(network.Namespace(Hosts[Registry]), _dir, "relay", "--profile", "0/10000", "--listen", front, "--to", "127.0.0.1:5080") };
        foreach (var host in new[] { 0, 1, 2, Analyst })
            forwarders.Add(CliProcess.StartIn(network.Namespace(Hosts[host]), _dir, "relay", "--profile", "0/10000", "--listen", "127.0.0.1:5080", "--to", front));
        string direct, wan;
        try
        {
            foreach (var f in forwarders) Assert.True(f.WaitForOutput("relay: ready", Generous), f.ToString());
            // The study in the registry, from draft to analysis, by its people working at the registry's host.
            var users = new RegistryPeople(cookies => With(network.HttpClientIn(Hosts[Registry], cookies)), registry.AdminPassword!, registry.DemoPassword!);
            var study = await users.StudyAtAnalysisAsync("Six hosts", [
                new("visits", "va", "sam.okafor@va.example", Path.Combine(_dir, "visits.terms.json"), Path.Combine(_dir, "visits.csv")),
                new("claims", "bank", "riley.chen@bank.example", Path.Combine(_dir, "claims.terms.json"), Path.Combine(_dir, "claims.csv"))]);
            var witnesses = await users.GateAsync(Path.Combine(_dir, "certs", "study.json"), study, RegistryUrl);
            // The analyst asks for work tokens from the analyst's host.
            using var analystHttp = With(network.HttpClientIn(Hosts[Analyst]));
            analystHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await users.TokenAsync(RegistryPeople.Analyst));
            var (firstToken, firstId) = await RegistryPeople.WorkTokenAsync(analystHttp, study.Id);
            output.WriteLine($"registry up and the study at analysis: {clock.Elapsed.TotalSeconds:F1} s");

            // The wide-area variants: every role dials the other parties at their relays; the parties restart having
            // been told the first work token is revoked.
            void Revoke(JsonNode node) => node["registry"]!["revokedTokens"] = new JsonArray(firstId);
            for (int self = 0; self < 3; self++)
                WriteConfig($"study-wan-p{self}.json", party => party == self ? NetworkNamespaces.Address(party) : RelayAddress(party), Revoke);
            WriteConfig("study-wan.json", RelayAddress, Revoke);

            direct = RunStudy(network, "direct", party => "certs/study.json", "certs/study.json", firstToken, refusedToken: null, "TokenMissing");

            var (secondToken, secondId) = await RegistryPeople.WorkTokenAsync(analystHttp, study.Id);
            foreach (var party in new[] { 0, 1, 2 }) network.AddHubAddress(RelayAddress(party));
            var relays = Enumerable.Range(0, 3).Select(party => CliProcess.StartIn(network.Hub, _dir, "relay", "--profile", "wan20",
                "--listen", $"{RelayAddress(party)}:{Ports[party]}", "--to", $"{NetworkNamespaces.Address(party)}:{Ports[party]}",
                "--listen", $"{RelayAddress(party)}:{UploadPorts[party]}", "--to", $"{NetworkNamespaces.Address(party)}:{UploadPorts[party]}")).ToArray();
            try
            {
                foreach (var r in relays) Assert.True(r.WaitForOutput("relay: ready", Generous), r.ToString());
                wan = RunStudy(network, "wan20", party => $"certs/study-wan-p{party}.json", "certs/study-wan.json", secondToken, refusedToken: firstToken, "TokenRevoked");
            }
            finally
            {
                foreach (var r in relays) r.Dispose();
            }
            // Every link passed a relay: the analyst and both stewards reached each party through it, and the parties each
            // other (party i dials the parties below it).
            for (int party = 0; party < 3; party++)
                foreach (var from in new[] { Analyst, Clinic, Insurer }.Concat(Enumerable.Range(party + 1, 2 - party)))
                    Assert.Contains($"connection from {NetworkNamespaces.Address(from)}:", relays[party].Stdout);
            // Each party reached the registry across the network, from its own host.
            for (int party = 0; party < 3; party++) Assert.Contains($"connection from {NetworkNamespaces.Address(party)}:", forwarders[0].Stdout);

            clock.Restart();
            // The registry's log, exported at its host by its administrator and verified offline: each party logged its
            // join and release of each run under that run's work token, and countersigned heads that cover them.
            using (var export = CliProcess.StartIn(network.Namespace(Hosts[Registry]), _dir, "audit", "export", "--registry", RegistryUrl,
                       "--token", await users.TokenAsync(RegistryProcess.AdminEmail), "--out", "registry-log.json"))
                Assert.True(export.WaitForExit(Generous) == 0, export.ToString());
            using (var verify = CliProcess.Start(_dir, "audit", "verify", "registry-log.json", "--keys", "registry-log.json"))
            {
                Assert.True(verify.WaitForExit(Generous) == 0, verify.ToString());
                Assert.StartsWith("sound:", verify.Stdout);
            }
            var log = LogExport.Load(Path.Combine(_dir, "registry-log.json"));
            var computed = log.Entries.Where(e => e.Study == study.Id && e.Kind is LogEntryKind.Query or LogEntryKind.Release).ToList();
            var operators = new List<string?>();
            for (int party = 0; party < 3; party++)
            {
                var mine = computed.Where(e => e.Data["party"] == $"{party}").ToList();
                operators.Add(Assert.Single(mine.Select(e => e.Actor).Distinct()));   // each party posts with its own operator's token
                foreach (var tokenId in new[] { firstId, secondId })
                {
                    Assert.Contains(mine, e => e.Kind == LogEntryKind.Query && e.Data["tokenId"] == tokenId && e.Data["datasets"] == "visits,claims");
                    Assert.Contains(mine, e => e.Kind == LogEntryKind.Release && e.Data["tokenId"] == tokenId && e.Data["resultSha256"].Length == 64);
                }
                var cosigned = log.Heads.Where(h => h.CosignedBy(witnesses[party].Public)).ToList();
                output.WriteLine($"party {party}: {mine.Count} entries in the registry's log, {cosigned.Count} heads countersigned (last at size {cosigned.Max(h => h.Size)})");
                Assert.True(cosigned.Count >= 4, $"party {party} countersigned {cosigned.Count} heads (at each service start and after its entries, in both runs)");
                Assert.True(cosigned.Max(h => h.Size) > mine.Max(e => e.Index), $"party {party}'s last countersigned head covers its entries");
            }
            Assert.Equal(3, operators.Distinct().Count());
            output.WriteLine($"the log exported, verified and read: {clock.Elapsed.TotalSeconds:F1} s");
            var texts = string.Join("\n", computed.Select(e => System.Text.Encoding.UTF8.GetString(e.Canonical())));
            foreach (var v in visits) Assert.DoesNotContain(v.Ssn, texts);
        }
        finally
        {
            foreach (var f in forwarders) f.Dispose();
        }

        Assert.Equal(direct, wan);
        var linked = (from v in visits join c in claims on v.Ssn equals c.Ssn select v).ToList();
        Assert.Equal(140, linked.Count);
        var lines = direct.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("ward,count,mean(cost),status,rule", lines[0]);
        output.WriteLine(direct);
        Assert.Equal(Wards.Length + 1, lines.Length - 1);
        foreach (var ward in Wards.Append("(all)"))
        {
            var cells = lines.Single(l => l.StartsWith(ward + ",", StringComparison.Ordinal)).Split(',');
            Assert.Equal("released", cells[3]);
            var rows = linked.Where(v => v.Ward == ward || ward == "(all)").ToList();
            Assert.Equal(rows.Count, long.Parse(cells[1], CultureInfo.InvariantCulture));
            // Fixed point with 12 fraction bits: each cost is encoded within 2^-13; the mean's division is exact to its last bit.
            Assert.InRange(double.Parse(cells[2], CultureInfo.InvariantCulture) - rows.Average(v => v.Cost), -0.01, 0.01);
        }
    }

    static HttpClient With(HttpClient http)
    {
        http.BaseAddress = new Uri(RegistryUrl);
        return http;
    }

    /// <summary>Three party services, two contributions and one analysis under <paramref name="workToken"/>, each in its
    /// host's namespace; the analyst's CSV. Before it, a request with <paramref name="refusedToken"/> (null: none) is
    /// refused by the parties with <paramref name="refusedRule"/>.</summary>
    string RunStudy(NetworkNamespaces network, string label, Func<int, string> partyConfig, string othersConfig, string workToken, string? refusedToken, string refusedRule)
    {
        var clock = Stopwatch.StartNew();
        var parties = new CliProcess[3];
        try
        {
            for (int id = 0; id < 3; id++)
                parties[id] = CliProcess.StartIn(network.Namespace(Hosts[id]), _dir, "party", "serve", "--id", $"{id}", "--store", $"{label}-store-{id}",
                    "--config", partyConfig(id), "--health-urls", "http://127.0.0.1:0", "--log", $"{label}-party-{id}.jsonl");
            foreach (var p in parties) Assert.True(p.WaitForOutput("ready", Generous), p.ToString());
            var started = clock.Elapsed;

            foreach (var (dataset, contributor, host) in new[] { ("visits", "clinic", Clinic), ("claims", "insurer", Insurer) })
                using (var c = CliProcess.StartIn(network.Namespace(Hosts[host]), _dir, "contribute", "--config", othersConfig, "--dataset", dataset,
                           "--file", $"{dataset}.csv", "--schema", $"{dataset}.schema.json", "--terms", $"{dataset}.terms.json", "--contributor", contributor, "--timeout", "60"))
                    Assert.True(c.WaitForExit(Generous) == 0, c.ToString());
            var contributed = clock.Elapsed;

            WaitComputeReady(label, parties);
            var meshed = clock.Elapsed;
            using (var refused = CliProcess.StartIn(network.Namespace(Hosts[Analyst]), _dir, ["analyze", "--config", othersConfig, "--dataset", "visits", "--stat", "count",
                       "--format", "csv", "--connect-timeout", "120", .. refusedToken is null ? Array.Empty<string>() : ["--work-token", refusedToken]]))
            {
                Assert.Equal(3, refused.WaitForExit(Generous));
                Assert.Contains(refusedRule, refused.Stderr);
            }
            using var analyst = CliProcess.StartIn(network.Namespace(Hosts[Analyst]), _dir, "analyze", "--config", othersConfig, "--join", "visits,claims",
                "--passes", "ssn", "--stat", "count,mean", "--column", "cost", "--group-by", "ward", "--format", "csv", "--connect-timeout", "120", "--work-token", workToken);
            Assert.True(analyst.WaitForExit(Generous) == 0, analyst.ToString());
            output.WriteLine($"{label}: parties up {started.TotalSeconds:F1} s, contributions {(contributed - started).TotalSeconds:F1} s, " +
                             $"mesh {(meshed - contributed).TotalSeconds:F1} s, analysis {(clock.Elapsed - meshed).TotalSeconds:F1} s");

            var logs = string.Concat(Enumerable.Range(0, 3).Select(p => File.ReadAllText(Path.Combine(_dir, $"{label}-party-{p}.jsonl"))));
            foreach (var line in File.ReadLines(Path.Combine(_dir, "visits.csv")).Skip(1).Take(50)) Assert.DoesNotContain(line.Split(',')[0], logs);
            return analyst.Stdout;
        }
        finally
        {
            foreach (var p in parties) p?.Dispose();
        }
    }

    /// <summary>Waits until each party's log shows its compute side joined the other two (the parties' mesh is up).</summary>
    void WaitComputeReady(string label, CliProcess[] parties)
    {
        var deadline = DateTime.UtcNow + Generous;
        for (int id = 0; id < 3; id++)
        {
            var log = Path.Combine(_dir, $"{label}-party-{id}.jsonl");
            while (!(File.Exists(log) && File.ReadAllText(log).Contains("compute-ready", StringComparison.Ordinal)))
            {
                Assert.True(DateTime.UtcNow < deadline && !parties[id].HasExited, $"party {id} did not join the mesh: {parties[id]}\n{(File.Exists(log) ? File.ReadAllText(log) : "")}");
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>certs/study.json (from `smpc certs`) with party j at <paramref name="host"/>(j) and any other
    /// <paramref name="change"/>, written as certs/<paramref name="name"/>.</summary>
    void WriteConfig(string name, Func<int, string> host, Action<JsonNode>? change = null)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "certs", "study.json")))!;
        foreach (var party in node["parties"]!.AsArray()) party!["host"] = host(party["id"]!.GetValue<int>());
        change?.Invoke(node);
        File.WriteAllText(Path.Combine(_dir, "certs", name), node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    void WriteSchema(string name, params ColumnSpec[] columns)
    {
        File.WriteAllText(Path.Combine(_dir, $"{name}.schema.json"), JsonSerializer.Serialize(new TableSchema
        {
            Name = name, Columns = columns, Identifiers = [new IdentifierSpec { Name = "ssn", Kind = IdentifierKind.Ssn }],
        }, TableSchema.JsonInfo));
        File.WriteAllText(Path.Combine(_dir, $"{name}.terms.json"),
            $$"""{"dataset":"{{name}}","steward":"e2e","purpose":"namespace test","minCellSize":5,"allowedOperations":["join","groupby","count","sum","mean"],"redisclosure":{"internalUseOnly":true},"linkageColumns":["ssn"]}""");
    }
}
