using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Studies.Store;
using Smpc.Analytics.Transport;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// What three organisations and a data steward run by hand, as real OS processes on loopback: `smpc certs
/// --contributors`, three `smpc party serve`, then `smpc contribute`. The stores are then read as the parties' compute
/// side would read them, and the recombined shares compared with the file's values.
/// </summary>
[Collection("processes")]
public sealed class PartyServeProcessTests : IDisposable
{
    static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);
    readonly string _dir = CliProcess.TempFolder("smpc-serve");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    CliProcess Serve(int id, params string[] more)
    {
        var p = CliProcess.Start(_dir, ["party", "serve", "--id", $"{id}", "--store", $"store-{id}", "--health-urls", "http://127.0.0.1:0", "--log", $"party-{id}.jsonl", .. more]);
        Assert.True(p.WaitForOutput("ready", Generous), p.ToString());
        return p;
    }

    CliProcess Contribute(string dataset, string file, string certs = "certs", params string[] more) =>
        CliProcess.Start(_dir, ["contribute", "--config", $"{certs}/study.json", "--dataset", dataset, "--file", file, "--schema", "patients.schema.json",
            "--terms", "patients.terms.json", "--receipts", $"{dataset}.receipts.json", "--batch-size", "64", "--timeout", "15", .. more]);

    static readonly TableSchema Schema = new()
    {
        Name = "patients",
        Columns =
        [
            new ColumnSpec { Name = "ward", Kind = ColumnKind.Categorical, Domain = ["harbourside", "millbrook", "thornfield"] },
            new ColumnSpec { Name = "stay_cost", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 100000 },
        ],
        Identifiers = [new IdentifierSpec { Name = "ssn", Kind = IdentifierKind.Ssn }],
    };

    (string Path, List<string[]> Rows) WriteData(string name, int rows, int seed)
    {
        var random = new Random(seed);
        var data = new List<string[]>();
        for (int r = 0; r < rows; r++)
            data.Add([$"{random.Next(100, 600)}{random.Next(10, 99)}{random.Next(1000, 9999)}", Schema.Columns[0].Domain![random.Next(3)],
                (random.Next(100000, 9000000) / 100.0).ToString("0.00", CultureInfo.InvariantCulture)]);
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "ssn,ward,stay_cost\n" + string.Concat(data.Select(d => string.Join(',', d) + "\n")));
        return (path, data);
    }

    [Fact]
    public async Task Contributed_files_are_stored_by_three_party_services_and_survive_a_party_failure_and_restarts()
    {
        var ports = CliProcess.FreePorts(12);
        using (var certs = CliProcess.Start(_dir, "certs", "--study", "serve-e2e", "--out", "certs", "--ports", string.Join(',', ports[..3]),
                   "--upload-ports", string.Join(',', ports[3..6]), "--contributors", "census"))
            Assert.True(certs.WaitForExit(Generous) == 0, certs.ToString());
        using (var certs = CliProcess.Start(_dir, "certs", "--study", "serve-e2e-b", "--out", "certs-b", "--ports", string.Join(',', ports[6..9]),
                   "--upload-ports", string.Join(',', ports[9..]), "--contributors", "census"))
            Assert.True(certs.WaitForExit(Generous) == 0, certs.ToString());
        File.WriteAllText(Path.Combine(_dir, "patients.schema.json"), JsonSerializer.Serialize(Schema, TableSchema.Json));
        File.WriteAllText(Path.Combine(_dir, "patients.terms.json"),
            """{"dataset":"patients","steward":"e2e","purpose":"process test","redisclosure":{"internalUseOnly":true},"linkageColumns":["ssn"]}""");
        var first = WriteData("first.csv", 300, 1);
        var second = WriteData("second.csv", 200, 2);
        var config = StudyConfig.Load(Path.Combine(_dir, "certs", "study.json"));
        var configB = StudyConfig.Load(Path.Combine(_dir, "certs-b", "study.json"));
        var bad = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(bad, "ssn,ward,stay_cost\n123456789,harbourside,10.5\n234567890,lakeshore,11\n");

        string[] both = ["--config", "certs/study.json", "--config", "certs-b/study.json"];
        var parties = new[] { Serve(0, both), Serve(1, both), Serve(2, both) };
        try
        {
            // A bad file: named at file:line:column, exit 1, nothing sent.
            using (var c = Contribute("bad", bad))
            {
                Assert.Equal(1, c.WaitForExit(Generous));
                Assert.Contains("bad.csv:3:", c.Stderr);
                Assert.Contains("lakeshore", c.Stderr);
            }
            // Study B's steward uploads to study B on the same three services, naming its certificate and key files.
            using (var c = Contribute("other", second.Path, "certs-b", "--cert", "certs-b/contributor-census.crt", "--key", "certs-b/contributor-census.key"))
                Assert.True(c.WaitForExit(Generous) == 0, c.ToString());

            using (var c = Contribute("first", first.Path))
                Assert.True(c.WaitForExit(Generous) == 0, c.ToString());
            var receipts = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "first.receipts.json"))).RootElement.GetProperty("receipts");
            Assert.Equal([300, 300, 300], receipts.EnumerateArray().Select(r => r.GetProperty("rows").GetInt64()));

            // The health endpoint answers with the study and its dataset count.
            var healthUrl = Regex.Match(parties[1].Stdout, @"health on (http://\S+)").Groups[1].Value;
            using (var http = new HttpClient())
            {
                var health = JsonDocument.Parse(await http.GetStringAsync(healthUrl + "health")).RootElement;
                Assert.Equal("ok", health.GetProperty("status").GetString());
                Assert.Equal(1, health.GetProperty("party").GetInt32());
                Assert.Equal(1, health.GetProperty("studies")[0].GetProperty("datasets").GetInt32());
            }

            // Party 2 is down: the contribution fails naming it and commits nothing at the other two.
            parties[2].Kill();
            using (var c = Contribute("second", second.Path))
            {
                Assert.Equal(3, c.WaitForExit(Generous));
                Assert.Contains("party 2", c.Stderr, StringComparison.OrdinalIgnoreCase);
            }
            // Party 2 restarts from its store alone (the study is recorded there); the rerun succeeds.
            parties[2] = Serve(2);
            using (var c = Contribute("second", second.Path))
                Assert.True(c.WaitForExit(Generous) == 0, c.ToString());
        }
        finally
        {
            foreach (var p in parties) p.Kill();
        }

        // All parties stopped: each store, opened with its party's key, holds both datasets; recombined, they are the files.
        var stores = Enumerable.Range(0, 3).Select(p => new PartyStore(Path.Combine(_dir, $"store-{p}"), p)).ToArray();
        try
        {
            for (int p = 0; p < 3; p++) stores[p].Open(config, StudyCredentials.Load(config, StudyMember.Party(p)));
            foreach (var (dataset, rows) in new[] { ("first", first.Rows), ("second", second.Rows) })
            {
                var views = stores.Select(s => s.Load(config.Study, dataset)).ToArray();
                Assert.Equal(["ward", "stay_cost", "ssn_key"], views[0].Table.Columns.Select(c => c.Name));
                ulong[] Open(string column, int vector) => ReplicatedSharing.Reconstruct([.. views.Select(v => v.Table[column].Vectors().ElementAt(vector))]);
                // The category is stored as one xor-shared code per row (its domain index), not one-hot.
                Assert.Equal(rows.Select(r => (ulong)Schema.Columns[0].Domain!.ToList().IndexOf(r[1])),
                    ReplicatedSharing.ReconstructBoolean([.. views.Select(v => v.Table["ward"].Code!)]));
                Assert.Equal(rows.Select(r => (ulong)Math.Round(double.Parse(r[2], CultureInfo.InvariantCulture) * 256)), Open("stay_cost", 0));
            }
            Assert.Equal(["first", "second"], stores[1].Datasets(config.Study));
            // Study B's dataset lives only in study B's folder, under study B's key.
            for (int p = 0; p < 3; p++) stores[p].Open(configB, StudyCredentials.Load(configB, StudyMember.Party(p)));
            Assert.Equal(["other"], stores[0].Datasets(configB.Study));
            Assert.Equal(200, stores[2].Load(configB.Study, "other").Table.RowCount);
        }
        finally
        {
            foreach (var s in stores) s.Dispose();
        }

        // The logs name events and counts, never a value or an identifier of the files.
        var logs = string.Concat(Enumerable.Range(0, 3).Select(p => File.ReadAllText(Path.Combine(_dir, $"party-{p}.jsonl"))));
        Assert.Contains("upload-committed", logs);
        var tokens = Regex.Split(Regex.Replace(logs, "\"time\":\"[^\"]*\"", ""), @"[^A-Za-z0-9.\-]+").ToHashSet();
        foreach (var cell in first.Rows.Concat(second.Rows).SelectMany(r => r).Distinct())
            Assert.DoesNotContain(cell, tokens);
    }
}
