using System.Security.Cryptography;
using System.Text.Json;
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Synthetic.Tests;

/// <summary>
/// Two runs with the same seed and sizes: one with every rate as in the presets, one with
/// <see cref="NoiseRates.NameOrderSwapped"/> and <see cref="NoiseRates.Moved"/> turned on in all three files.
/// Both kinds are drawn last in a record's stream, so the two runs hold the same records of the same people and
/// differ only where the second run's truth flags a swap or a move.
/// </summary>
public sealed class NameOrderAndMoveRuns : IDisposable
{
    public static readonly Dictionary<string, (double Swapped, double Moved)> Rates = new()
    {
        ["veterans"] = (0.02, 0.05), ["bank"] = (0.05, 0.10), ["survey"] = (0.08, 0.20),
    };

    public SyntheticOptions Options { get; } = SyntheticOptions.ForSize(31, 20_000);
    public SyntheticOptions Noisy { get; }
    public string PlainDir { get; }
    public string NoisyDir { get; }
    readonly string _root = Path.Combine(Path.GetTempPath(), "smpc-synth-tests", Guid.NewGuid().ToString("N"));

    public NameOrderAndMoveRuns()
    {
        NoiseRates With(NoiseRates r, string d) => r with { NameOrderSwapped = Rates[d].Swapped, Moved = Rates[d].Moved };
        Noisy = Options with
        {
            VeteranNoise = With(Options.VeteranNoise, "veterans"),
            BankNoise = With(Options.BankNoise, "bank"),
            SurveyNoise = With(Options.SurveyNoise, "survey"),
        };
        PlainDir = Path.Combine(_root, "plain");
        NoisyDir = Path.Combine(_root, "noisy");
        SyntheticGenerator.Generate(Options, PlainDir);
        SyntheticGenerator.Generate(Noisy, NoisyDir);
    }

    internal Table File(string dir, string name) => new(Path.Combine(dir, name));

    public JsonElement Truth(string dir) => JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(dir, "truth", "ground-truth.json"))).RootElement;

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}

public class NameOrderAndMoveTests(NameOrderAndMoveRuns runs) : IClassFixture<NameOrderAndMoveRuns>, IDisposable
{
    public static TheoryData<string> Datasets => new("veterans", "bank", "survey");

    readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var dir in _folders) if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>Per record of dataset d, in file order: the row of each run and the record's truth row of the noisy run.</summary>
    List<(string[] Plain, string[] Noisy, string[] Truth, HashSet<string> Flags)> Records(string d, out Table file, out Table records)
    {
        var plain = runs.File(runs.PlainDir, d + ".csv");
        file = runs.File(runs.NoisyDir, d + ".csv");
        records = runs.File(runs.NoisyDir, "truth/records.csv");
        var t = records;
        var truthById = t.Rows.Where(r => t.Get(r, "dataset") == d).ToDictionary(r => t.Get(r, "record_id"));
        Assert.Equal(plain.Rows.Count, file.Rows.Count);
        var list = new List<(string[], string[], string[], HashSet<string>)>();
        for (int i = 0; i < file.Rows.Count; i++)
        {
            string id = file.Rows[i][0];
            Assert.Equal(plain.Rows[i][0], id);
            var truth = truthById[id];
            list.Add((plain.Rows[i], file.Rows[i], truth, t.Get(truth, "noise").Split(';', StringSplitOptions.RemoveEmptyEntries).ToHashSet()));
        }
        return list;
    }

    [Fact]
    public void With_the_new_rates_at_zero_the_documented_run_writes_the_committed_bytes()
    {
        // The library run behind data/synthetic (smpc synth --seed 2026 --size 10000), with the two new rates set to 0
        // explicitly, gives the committed files: same SHA-256 for each, and ground-truth.json's own hashes agree.
        var o = SyntheticOptions.ForSize(ulong.Parse(Repo.DocumentedSeed), int.Parse(Repo.DocumentedSize));
        o = o with
        {
            VeteranNoise = o.VeteranNoise with { NameOrderSwapped = 0, Moved = 0 },
            BankNoise = o.BankNoise with { NameOrderSwapped = 0, Moved = 0 },
            SurveyNoise = o.SurveyNoise with { NameOrderSwapped = 0, Moved = 0 },
        };
        Assert.Equal(SyntheticOptions.ForSize(ulong.Parse(Repo.DocumentedSeed), int.Parse(Repo.DocumentedSize)), o);
        string dir = Path.Combine(Path.GetTempPath(), "smpc-synth-tests", Guid.NewGuid().ToString("N"));
        _folders.Add(dir);
        var result = SyntheticGenerator.Generate(o, dir);
        Assert.Equal(12, result.Files.Count);
        string Sha(string path) { using var f = System.IO.File.OpenRead(path); return Convert.ToHexStringLower(SHA256.HashData(f)); }
        var recorded = runs.Truth(Repo.Samples).GetProperty("files");
        foreach (var f in result.Files)
        {
            string committed = Sha(Path.Combine(Repo.Samples, f));
            Assert.True(committed == Sha(Path.Combine(dir, f)), $"data/synthetic/{f} differs from what the generator writes with the new rates at 0.");
            if (f != "truth/ground-truth.json") Assert.Equal(recorded.GetProperty(f).GetProperty("sha256").GetString(), committed);
        }
        string records = System.IO.File.ReadAllText(Path.Combine(Repo.Samples, "truth", "records.csv"));
        Assert.DoesNotContain(NoiseFlags.NameOrderSwapped, records);
        Assert.DoesNotContain(NoiseFlags.Moved, records);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Swaps_and_moves_occur_at_the_set_rates_within_four_binomial_standard_deviations(string d)
    {
        var list = Records(d, out _, out _);
        var noise = runs.Truth(runs.NoisyDir).GetProperty("noise").GetProperty(d);
        var (swapped, moved) = NameOrderAndMoveRuns.Rates[d];
        foreach (var (flag, rate) in new[] { (NoiseFlags.NameOrderSwapped, swapped), (NoiseFlags.Moved, moved) })
        {
            var entry = noise.GetProperty(flag);
            long n = entry.GetProperty("eligible").GetInt64(), k = entry.GetProperty("records").GetInt64();
            Assert.Equal(rate, entry.GetProperty("rate").GetDouble());
            Assert.Equal(list.Count, n);                                  // every record can get either
            Assert.Equal(list.Count(r => r.Flags.Contains(flag)), k);      // the count is the records flagged in truth/records.csv
            double expected = n * rate, sd = Math.Sqrt(n * rate * (1 - rate));
            Assert.True(Math.Abs(k - expected) <= 4 * sd, $"{d} {flag}: {k} of {n}, expected {expected:F0} ± {4 * sd:F0} (4 sd)");
        }
        // At rate 0 the kinds are not listed at all.
        var plain = runs.Truth(runs.PlainDir).GetProperty("noise").GetProperty(d);
        Assert.False(plain.TryGetProperty(NoiseFlags.NameOrderSwapped, out _));
        Assert.False(plain.TryGetProperty(NoiseFlags.Moved, out _));
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void A_swapped_record_has_first_and_last_name_exchanged(string d)
    {
        var list = Records(d, out var file, out var records);
        var persons = runs.File(runs.NoisyDir, "truth/persons.csv");
        var personById = persons.Rows.ToDictionary(r => persons.Get(r, "person_id"));
        string[] otherNameDefects = [NoiseFlags.FirstNameTypo, NoiseFlags.LastNameTypo, NoiseFlags.Nickname, NoiseFlags.LastNameChanged, NoiseFlags.ExtraWhitespace];
        int againstTruth = 0;
        foreach (var (plain, noisy, truth, flags) in list)
        {
            string first = file.Get(noisy, "first_name"), last = file.Get(noisy, "last_name");
            string what = $"{d} {noisy[0]}: '{first}' '{last}' (flags {string.Join(';', flags)})";
            if (!flags.Contains(NoiseFlags.NameOrderSwapped))
            {
                Assert.True(file.Get(plain, "first_name") == first && file.Get(plain, "last_name") == last, what);
                continue;
            }
            // Exactly the two fields exchanged, as the record would otherwise have them.
            Assert.True(file.Get(plain, "first_name") == last && file.Get(plain, "last_name") == first, what);
            // And against the truth: the surname in the given-name field, the given name in the surname field.
            if (otherNameDefects.Any(flags.Contains)) continue;
            var person = personById[records.Get(truth, "person_id")];
            Assert.True(NoiseTests.Same(persons.Get(person, "last_name"), NoiseTests.StripSuffix(first), d), what);
            Assert.True(NoiseTests.Same(persons.Get(person, "first_name"), last, d), what);
            againstTruth++;
        }
        Assert.True(againstTruth > 50, $"{d}: only {againstTruth} swapped records to check against the truth");
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void A_moved_record_carries_another_valid_state_and_nothing_else_changes(string d)
    {
        var list = Records(d, out var file, out var records);
        var domain = TableSchema.Load(Path.Combine(runs.NoisyDir, d + ".schema.json")).Columns.Single(c => c.Name == "state").Domain!;
        var pop = new Population(runs.Noisy);
        var home = Enumerable.Range(0, pop.Count).Select(pop.Person).ToDictionary(p => p.Id, p => p.State);
        int state = Array.IndexOf(file.Header, "state"), first = Array.IndexOf(file.Header, "first_name"), last = Array.IndexOf(file.Header, "last_name");
        int moves = 0;
        var destinations = new Dictionary<string, int>();
        foreach (var (plain, noisy, truth, flags) in list)
        {
            string what = $"{d} {noisy[0]}: state {noisy[state]} (otherwise {plain[state]}, flags {string.Join(';', flags)})";
            Assert.True(domain.Contains(noisy[state]), what);
            if (flags.Contains(NoiseFlags.Moved))
            {
                moves++;
                Assert.True(noisy[state] != plain[state], what);
                Assert.True(noisy[state] != home[records.Get(truth, "person_id")], what + " is the person's own state");
                destinations[noisy[state]] = destinations.GetValueOrDefault(noisy[state]) + 1;
            }
            else Assert.True(noisy[state] == plain[state], what);
            // Every other field is as in the run without the new kinds (names only exchanged, checked above).
            for (int c = 0; c < noisy.Length; c++)
                if (c != state && !(flags.Contains(NoiseFlags.NameOrderSwapped) && (c == first || c == last)))
                    Assert.True(plain[c] == noisy[c], $"{what}: column {file.Header[c]} '{plain[c]}' became '{noisy[c]}'");
        }
        Assert.True(moves > 0);
        // Moves go where people live: California (39.5 M) is a likelier destination than Wyoming (0.6 M).
        Assert.True(destinations.GetValueOrDefault("CA") > destinations.GetValueOrDefault("WY"), $"{d}: destinations {string.Join(", ", destinations.OrderBy(x => x.Key))}");

        // The file's state counts in the ground truth are those of the rows as written.
        var counts = runs.Truth(runs.NoisyDir).GetProperty("aggregates").GetProperty(d);
        if (counts.TryGetProperty("rows_by_state", out var byState))
            foreach (var p in byState.EnumerateObject())
                Assert.Equal(list.Count(r => r.Noisy[state] == p.Name), p.Value.GetInt64());
    }

    [Fact]
    public void The_truth_still_links_every_record_to_its_person()
    {
        var plainRecords = runs.File(runs.PlainDir, "truth/records.csv");
        var records = runs.File(runs.NoisyDir, "truth/records.csv");
        var persons = runs.File(runs.NoisyDir, "truth/persons.csv").Column("person_id").ToHashSet();
        Assert.Equal(System.IO.File.ReadAllBytes(Path.Combine(runs.PlainDir, "truth", "persons.csv")),
            System.IO.File.ReadAllBytes(Path.Combine(runs.NoisyDir, "truth", "persons.csv")));
        Assert.Equal(plainRecords.Rows.Count, records.Rows.Count);
        for (int i = 0; i < records.Rows.Count; i++)
        {
            var (a, b) = (plainRecords.Rows[i], records.Rows[i]);
            foreach (var c in new[] { "dataset", "record_id", "person_id", "duplicate_of" }) Assert.Equal(plainRecords.Get(a, c), records.Get(b, c));
            Assert.Contains(records.Get(b, "person_id"), persons);
        }
        foreach (var d in new[] { "veterans", "bank", "survey" })
        {
            var ids = runs.File(runs.NoisyDir, d + ".csv").Rows.Select(r => r[0]).ToList();
            var linked = records.Rows.Where(r => records.Get(r, "dataset") == d).Select(r => records.Get(r, "record_id")).ToList();
            Assert.Equal(ids.Order(StringComparer.Ordinal), linked.Order(StringComparer.Ordinal));
            // A duplicate points to a record of the same person.
            var personOf = records.Rows.Where(r => records.Get(r, "dataset") == d).ToDictionary(r => records.Get(r, "record_id"), r => records.Get(r, "person_id"));
            foreach (var r in records.Rows.Where(r => records.Get(r, "dataset") == d && records.Get(r, "duplicate_of") != ""))
                Assert.Equal(personOf[records.Get(r, "duplicate_of")], records.Get(r, "person_id"));
            Assert.Contains(records.Rows, r => records.Get(r, "dataset") == d && records.Get(r, "noise").Contains(NoiseFlags.Moved));
            Assert.Contains(records.Rows, r => records.Get(r, "dataset") == d && records.Get(r, "noise").Contains(NoiseFlags.NameOrderSwapped));
        }
    }

    [Fact]
    public void The_new_rates_are_checked_like_the_others()
    {
        var bad = SyntheticOptions.ForSize(1, 1_000) with { BankNoise = NoiseRates.Bank with { NameOrderSwapped = 1.5, Moved = -0.1 } };
        var problems = bad.Problems().ToList();
        Assert.Contains("bank noise: NameOrderSwapped = 1.5 is not a probability", problems);
        Assert.Contains("bank noise: Moved = -0.1 is not a probability", problems);
        Assert.Equal(0.0, NoiseRates.Veterans.NameOrderSwapped + NoiseRates.Bank.NameOrderSwapped + NoiseRates.Survey.NameOrderSwapped);
        Assert.Equal(0.0, NoiseRates.Veterans.Moved + NoiseRates.Bank.Moved + NoiseRates.Survey.Moved);
        Assert.Equal(0.05, SyntheticGenerator.NoiseRate(NoiseRates.Bank with { Moved = 0.05 }, NoiseFlags.Moved));
        Assert.Equal(0.02, SyntheticGenerator.NoiseRate(NoiseRates.Bank with { NameOrderSwapped = 0.02 }, NoiseFlags.NameOrderSwapped));
    }
}
