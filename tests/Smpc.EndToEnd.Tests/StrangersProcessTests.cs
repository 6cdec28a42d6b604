using System.Globalization;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Tests;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// Issue 11, point 9, every role its own process: two agencies' files that no code in the project mentions
/// (<see cref="Strangers"/>: a harbour's licence registry and an allotment society's member list), their schemas
/// drafted by `smpc schema infer` and edited as a steward would, uploaded by two `smpc contribute` processes to three
/// `smpc party serve` processes, and analysed with `smpc analyze`: linked counts and means by county (the rare county
/// suppressed, an empty field), a median and an OLS fit, each compared with a plaintext computation of the same files.
/// </summary>
[Collection("processes")]
public sealed class StrangersProcessTests : IDisposable
{
    readonly string _dir = CliProcess.TempFolder("smpc-strangers");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>`smpc schema infer` on <paramref name="file"/>, with the steward's edit of the name kinds, saved beside it.</summary>
    void Infer(Strangers s, string dataset, string identifiers, string given, string family)
    {
        using var infer = CliProcess.Start(_dir, "schema", "infer", Path.Combine(s.Folder, $"{dataset}.csv"), "--identifiers", identifiers);
        Assert.True(infer.WaitForExit(PartyServiceProcesses.Generous) == 0, infer.ToString());
        var drafted = Path.Combine(_dir, $"{dataset}.draft.json");
        File.WriteAllText(drafted, infer.Stdout);
        var schema = Strangers.Edited(TableSchema.Load(drafted), given, family);
        Assert.Equal(dataset, schema.Name);
        schema.Save(Path.Combine(s.Folder, $"{dataset}.schema.json"));
        Strangers.Terms(dataset, schema.Columns.Select(c => c.Name), schema.Identifiers.Where(i => i.Kind != IdentifierKind.RecordId).Select(i => i.Name))
            .Save(Path.Combine(s.Folder, $"{dataset}.terms.json"));
    }

    /// <summary>`smpc analyze … --format csv` as rows of named fields (the header is the release's column names).</summary>
    List<Dictionary<string, string>> Analyze(params string[] args)
    {
        using var a = CliProcess.Start(_dir, ["analyze", "--config", "certs/study.json", .. args, "--format", "csv", "--connect-timeout", "120"]);
        Assert.True(a.WaitForExit(PartyServiceProcesses.Generous) == 0, a.ToString());
        var lines = a.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(','), (h, v) => (h, v)).ToDictionary(x => x.h, x => x.v))];
    }

    static double Number(string field) => double.Parse(field, CultureInfo.InvariantCulture);

    [Fact]
    public void Two_strangers_files_inferred_contributed_and_analysed_by_processes_equal_plaintext()
    {
        var s = new Strangers(Path.Combine(_dir, "data"));
        Infer(s, "harbour", "taxpayer_no,given,family,born,licence_ref", "given", "family");
        Infer(s, "allotments", "tin,vorname,nachname,geburtsdatum", "vorname", "nachname");
        var ports = CliProcess.FreePorts(6);
        using (var certs = CliProcess.Start(_dir, "certs", "--study", "strangers", "--out", "certs", "--ports", string.Join(',', ports[..3]),
                   "--upload-ports", string.Join(',', ports[3..]), "--contributors", "harbourmaster,society"))
            Assert.True(certs.WaitForExit(PartyServiceProcesses.Generous) == 0, certs.ToString());
        var parties = Enumerable.Range(0, 3).Select(id => PartyServiceProcesses.Serve(_dir, id)).ToArray();
        try
        {
            PartyServiceProcesses.Contribute(_dir, s.Folder, ("harbour", "harbourmaster"), ("allotments", "society"));
            PartyServiceProcesses.WaitServing(_dir, parties);
            var plain = StrangersDataTests.PlainJoin(s);

            // Linked counts and mean harvest by county: the join on the tax number, then name + date of birth.
            var byCounty = Analyze("--join", "harbour,allotments", "--name", "ha", "--stat", "count,mean", "--column", "harvest_kg", "--group-by", "county");
            Assert.Equal(plain.Count, Number(byCounty.Single(r => r["county"] == Release.AllLabel)["count"]));
            foreach (var county in Strangers.Counties)
            {
                var row = byCounty.Single(r => r["county"] == county);
                var linked = plain.Where(r => r.County == county).ToList();
                if (linked.Count < 11) Assert.True(row["count"] == "" && row["mean(harvest_kg)"] == "" && row["status"] != "released", $"{county}: {linked.Count} rows must be suppressed");
                if (row["count"] == "") continue;
                Assert.Equal(linked.Count, Number(row["count"]));
                // Two fraction digits are encoded with 8 fraction bits (within 2^-9); the division adds at most 10^-3.
                Assert.True(Math.Abs(Number(row["mean(harvest_kg)"]) - linked.Average(r => r.Harvest)) <= Math.ScaleB(1.0, -9) + 1e-3, county);
            }
            Assert.Contains(Strangers.Counties, c => plain.Count(r => r.County == c) < 11);

            // The joined dataset stays at the parties: a median and an OLS fit on it in later analyst jobs.
            var median = Number(Analyze("--dataset", "ha", "--stat", "median", "--column", "catch_tonnes").Single()["median(catch_tonnes)"]);
            Assert.True(Math.Abs(median - Plain.Quantile(plain.Select(r => r.Catch).ToList(), 0.5)) <= Math.ScaleB(1.0, -5) + 1e-9, $"median {median}");

            var fit = Analyze("--dataset", "ha", "--stat", "ols", "--column", "harvest_kg,catch_tonnes");
            var expected = Plain.Ols(plain.Select(r => r.Harvest).ToList(), plain.Select(r => r.Catch).ToList());
            foreach (var (term, b) in new[] { ("(intercept)", expected[0]), ("catch_tonnes", expected[1]) })
            {
                var row = fit.Single(r => r["term"] == term);
                Assert.True(Math.Abs(Number(row["coefficient"]) - b) <= 0.01 * Number(row["std_error"]) + 1e-6, $"{term}: {row["coefficient"]} vs {b}");
            }
        }
        finally
        {
            foreach (var p in parties) p.Dispose();
        }
        var logs = string.Concat(Enumerable.Range(0, 3).Select(p => File.ReadAllText(Path.Combine(_dir, $"party-{p}.jsonl"))));
        foreach (var person in s.People.Take(100)) Assert.DoesNotContain(person.Ssn, logs);      // no identifier in any party's log
    }
}
