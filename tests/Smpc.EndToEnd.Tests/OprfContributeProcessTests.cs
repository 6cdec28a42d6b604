using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smpc.Analytics.Columnar;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// `smpc contribute` with the parties' threshold OPRF (`smpc certs --pseudonymiser oprf`: "pseudonymiser": "oprf" in
/// study.json, and no contributors' key anywhere): two stewards' processes upload to three `smpc party serve` processes, and `smpc analyze` links them as
/// plaintext linkage of the files does. A party is restarted from its store in between, and a dataset contributed after
/// the restart links exactly like the one before it (the key shares are durable).
/// </summary>
[Collection("processes")]
public sealed class OprfContributeProcessTests : IDisposable
{
    static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);
    static readonly string[] Wards = ["harbourside", "millbrook", "thornfield"];
    readonly string _dir = CliProcess.TempFolder("smpc-oprf-contribute");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    int Contribute(string dataset, string file, string contributor, out string stderr)
    {
        using var c = CliProcess.Start(_dir, "contribute", "--config", "certs/study.json", "--dataset", dataset, "--file", file,
            "--schema", $"{dataset}.schema.json", "--terms", $"{dataset}.terms.json", "--contributor", contributor, "--timeout", "30");
        int code = c.WaitForExit(Generous);
        stderr = c.ToString();
        return code;
    }

    void WriteDataset(string name, string column, string[]? domain)
    {
        File.WriteAllText(Path.Combine(_dir, $"{name}.schema.json"), JsonSerializer.Serialize(new TableSchema
        {
            Name = name,
            Columns = [domain is null ? new ColumnSpec { Name = column, Kind = ColumnKind.Integer, Min = 0, Max = 10000 } : new ColumnSpec { Name = column, Kind = ColumnKind.Categorical, Domain = domain }],
            Identifiers = [new IdentifierSpec { Name = "ssn", Kind = IdentifierKind.Ssn }],
        }, TableSchema.JsonInfo));
        File.WriteAllText(Path.Combine(_dir, $"{name}.terms.json"),
            $$"""{"dataset":"{{name}}","steward":"e2e","purpose":"oprf process test","minCellSize":5,"allowedOperations":["join","groupby","count"],"redisclosure":{"internalUseOnly":true},"linkageColumns":["ssn"]}""");
    }

    [Fact]
    public void Stewards_contribute_with_the_parties_oprf_and_the_analyst_links_as_plaintext()
    {
        var ports = CliProcess.FreePorts(6);
        using (var certs = CliProcess.Start(_dir, "certs", "--study", "oprf-e2e", "--out", "certs", "--ports", string.Join(',', ports[..3]),
                   "--upload-ports", string.Join(',', ports[3..]), "--contributors", "clinic,insurer", "--pseudonymiser", "oprf"))
            Assert.True(certs.WaitForExit(Generous) == 0, certs.ToString());
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "certs", "study.json")))!.AsObject();
        Assert.Equal("oprf", node["pseudonymiser"]!.GetValue<string>());
        Assert.Null(node["contributorKey"]);                                 // the OPRF needs no key at any contributor
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir, "certs"), "contributors.key"));

        var random = new Random(5);
        var people = Enumerable.Range(0, 260).Select(i => $"{random.Next(100, 600)}{random.Next(10, 99)}{1000 + i}").ToArray();
        var visits = people.Take(200).Select(s => (Ssn: s, Ward: Wards[random.Next(3)])).ToList();
        var claims = people.Skip(80).Select(s => (Ssn: s, Premium: random.Next(100, 5000))).ToList();
        File.WriteAllText(Path.Combine(_dir, "visits.csv"), "ssn,ward\n" + string.Concat(visits.Select(v => $"{v.Ssn},{v.Ward}\n")));
        File.WriteAllText(Path.Combine(_dir, "claims.csv"), "ssn,premium\n" + string.Concat(claims.Select(c => $"{c.Ssn},{c.Premium}\n")));
        WriteDataset("visits", "ward", Wards);
        WriteDataset("later", "ward", Wards);
        WriteDataset("claims", "premium", null);
        var linked = (from v in visits join c in claims on v.Ssn equals c.Ssn select v).ToList();
        Assert.Equal(120, linked.Count);

        var parties = new[] { 0, 1, 2 }.Select(id => PartyServiceProcesses.Serve(_dir, id)).ToArray();
        try
        {
            Assert.True(Contribute("visits", "visits.csv", "clinic", out var log) == 0, log);
            Assert.Contains("check points", log);
            Assert.True(Contribute("claims", "claims.csv", "insurer", out log) == 0, log);

            // Party 1 restarts from its store; the same file contributed again afterwards gets the same pseudonyms.
            parties[1].Kill();
            parties[1] = PartyServiceProcesses.Serve(_dir, 1);
            Assert.True(Contribute("later", "visits.csv", "clinic", out log) == 0, log);

            foreach (var dataset in new[] { "visits", "later" })
            {
                PartyServiceProcesses.WaitServing(_dir, parties);
                using var a = CliProcess.Start(_dir, "analyze", "--config", "certs/study.json", "--join", $"{dataset},claims", "--passes", "ssn",
                    "--stat", "count", "--group-by", "ward", "--format", "csv", "--connect-timeout", "120");
                Assert.True(a.WaitForExit(Generous) == 0, a.ToString());
                var lines = a.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (var ward in Wards)
                    Assert.Equal(linked.Count(v => v.Ward == ward), long.Parse(lines.Single(l => l.StartsWith(ward + ",", StringComparison.Ordinal)).Split(',')[1], CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            foreach (var p in parties) p.Kill();
        }
        var logs = string.Concat(Enumerable.Range(0, 3).Select(p => File.ReadAllText(Path.Combine(_dir, $"party-{p}.jsonl"))));
        Assert.Contains("oprf-granted", logs);
        foreach (var v in visits.Take(50)) Assert.DoesNotContain(v.Ssn, logs);
    }
}
