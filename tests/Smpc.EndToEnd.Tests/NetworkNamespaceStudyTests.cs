using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smpc.Analytics.Columnar;
using Xunit.Abstractions;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// A study on six hosts: the three party services, two data stewards and the analyst each in its own network
/// namespace (<see cref="NetworkNamespaces"/>), reaching each other only over veths and a bridge. The study runs
/// twice: once with direct links, once with every link (party–party, steward–party, analyst–party) passing an
/// `smpc relay` that adds 20 ms of round-trip time. Both give the same CSV, equal to a plaintext join and group-by of
/// the same files, and the relays show which hosts they carried. Needs root and iproute2 (skipped otherwise).
/// </summary>
[Collection("processes")]
public sealed class NetworkNamespaceStudyTests(ITestOutputHelper output) : IDisposable
{
    static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);
    static readonly string[] Hosts = ["p0", "p1", "p2", "clinic", "insurer", "analyst"];
    const int Clinic = 3, Insurer = 4, Analyst = 5;
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
    public void Six_hosts_in_network_namespaces_give_the_plaintext_answers_directly_and_at_20_ms()
    {
        using (var certs = CliProcess.Start(_dir, "certs", "--study", "netns-e2e", "--out", "certs", "--host", NetworkNamespaces.Address(0),
                   "--ports", string.Join(',', Ports), "--upload-ports", string.Join(',', UploadPorts), "--contributors", "clinic,insurer"))
            Assert.True(certs.WaitForExit(Generous) == 0, certs.ToString());
        // Each party at its own host; the wide-area variants: every role dials the other parties at their relays.
        WriteConfig("study.json", party => NetworkNamespaces.Address(party));
        for (int self = 0; self < 3; self++)
            WriteConfig($"study-wan-p{self}.json", party => party == self ? NetworkNamespaces.Address(party) : RelayAddress(party));
        WriteConfig("study-wan.json", RelayAddress);

        var random = new Random(11);
        var people = Enumerable.Range(0, 300).Select(i => $"{random.Next(100, 600)}{random.Next(10, 99)}{1000 + i}").ToArray();
        var visits = people.Take(220).Select(s => (Ssn: s, Ward: Wards[random.Next(3)], Cost: random.Next(1000, 900000) / 100.0)).ToList();
        var claims = people.Skip(80).Select(s => (Ssn: s, Plan: Plans[random.Next(2)], Premium: random.Next(100, 5000))).ToList();
        File.WriteAllText(Path.Combine(_dir, "visits.csv"), "ssn,ward,cost\n" + string.Concat(visits.Select(v => $"{v.Ssn},{v.Ward},{v.Cost.ToString("0.00", CultureInfo.InvariantCulture)}\n")));
        File.WriteAllText(Path.Combine(_dir, "claims.csv"), "ssn,plan,premium\n" + string.Concat(claims.Select(c => $"{c.Ssn},{c.Plan},{c.Premium}\n")));
        WriteSchema("visits", new ColumnSpec { Name = "ward", Kind = ColumnKind.Categorical, Domain = Wards }, new ColumnSpec { Name = "cost", Kind = ColumnKind.FixedPoint, FractionBits = 12, Min = 0, Max = 10000 });
        WriteSchema("claims", new ColumnSpec { Name = "plan", Kind = ColumnKind.Categorical, Domain = Plans }, new ColumnSpec { Name = "premium", Kind = ColumnKind.Integer, Min = 0, Max = 10000 });

        using var network = new NetworkNamespaces(Hosts);
        var direct = RunStudy(network, "direct", party => "certs/study.json", "certs/study.json");

        foreach (var party in new[] { 0, 1, 2 }) network.AddHubAddress(RelayAddress(party));
        var relays = Enumerable.Range(0, 3).Select(party => CliProcess.StartIn(network.Hub, _dir, "relay", "--profile", "wan20",
            "--listen", $"{RelayAddress(party)}:{Ports[party]}", "--to", $"{NetworkNamespaces.Address(party)}:{Ports[party]}",
            "--listen", $"{RelayAddress(party)}:{UploadPorts[party]}", "--to", $"{NetworkNamespaces.Address(party)}:{UploadPorts[party]}")).ToArray();
        string wan;
        try
        {
            foreach (var r in relays) Assert.True(r.WaitForOutput("relay: ready", Generous), r.ToString());
            wan = RunStudy(network, "wan20", party => $"certs/study-wan-p{party}.json", "certs/study-wan.json");
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

    /// <summary>Three party services, two contributions and one analysis, each in its host's namespace; the analyst's CSV.</summary>
    string RunStudy(NetworkNamespaces network, string label, Func<int, string> partyConfig, string othersConfig)
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
            using var analyst = CliProcess.StartIn(network.Namespace(Hosts[Analyst]), _dir, "analyze", "--config", othersConfig, "--join", "visits,claims",
                "--passes", "ssn", "--stat", "count,mean", "--column", "cost", "--group-by", "ward", "--format", "csv", "--connect-timeout", "120");
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

    /// <summary>certs/study.json (from `smpc certs`) with party j at <paramref name="host"/>(j), written as certs/<paramref name="name"/>.</summary>
    void WriteConfig(string name, Func<int, string> host)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "certs", "study.json")))!;
        foreach (var party in node["parties"]!.AsArray()) party!["host"] = host(party["id"]!.GetValue<int>());
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
