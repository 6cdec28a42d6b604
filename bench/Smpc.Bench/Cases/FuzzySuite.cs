using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Linkage.Bloom;
using Smpc.Analytics.Synthetic;
using Smpc.Bench.Harness;

namespace Smpc.Bench.Cases;

/// <summary>
/// Fuzzy linkage on the generator's agencies (ROWS bank records, 0.8·ROWS veterans, with the generator's identifier
/// noise): <c>fuzzy-inproc</c> times the secure decision (Dice threshold 0.9 and best match on secret-shared 1,024-bit
/// filters, <see cref="SecureFuzzyLinkage"/>) over the candidate pairs of the three blocking keys, after the exact
/// passes — the contributors' encoding and the blocking are set-up, not timed — and checks it against the hashed mode's
/// decisions. Once per process it also prints the quality lines on stdout:
/// <c>quality-exact ROWS precision recall f1</c>, <c>quality-hashed …</c> (exact + fuzzy in the clear) and
/// <c>quality-fuzzy …</c> (exact + fuzzy on shares), against the generator's true persons.
/// </summary>
public sealed class FuzzySuite : IBenchSuite
{
    public int Order => 22;

    static bool _printed;

    public IEnumerable<IBenchCase> Cases()
    {
        yield return new SelfTimedCase("fuzzy-inproc", "fuzzy linkage on shares: Dice ≥ 0.9 and best match on 1,024-bit Bloom filters, after SSN and name + date of birth",
            10_000, [10_000, 100_000], new RunPlan(1, 1), Measure);
    }

    sealed record Side(string[] Person, string?[] Ssn, string?[] NameDob, FuzzySide Fuzzy);

    static SelfTimedResult Measure(int rows)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"smpc-fuzzy-bench-{rows}");
        if (!File.Exists(Path.Combine(folder, "truth", "records.csv"))) SyntheticGenerator.Generate(SyntheticOptions.ForSize(2026, rows), folder);
        var persons = File.ReadLines(Path.Combine(folder, "truth", "records.csv")).Skip(1).Select(l => l.Split(',', 4))
            .ToDictionary(p => (p[0], p[1]), p => p[2]);
        var spec = new BloomSpec { Fields = [new("last_name", BloomFieldKind.Name, 10), new("first_name", BloomFieldKind.Name, 8), new("dob", BloomFieldKind.DateOfBirth, 8)] };
        var encoder = new BloomEncoder(spec, RandomNumberGenerator.GetBytes(32), "bench");
        var blocks = new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey());
        Side Load(string dataset, string idColumn)
        {
            var file = AgencyFile.Load(folder, dataset);
            var ids = file.Identifiers;
            var dob = file.Schema.Identifiers.Single(i => i.Kind == IdentifierKind.DateOfBirth);
            return new Side(((string?[])ids[idColumn]).Select(id => persons[(dataset, id!)]).ToArray(), LinkageKey.Ssn().KeysOf(ids),
                LinkageKey.NameDateOfBirth(latestDateOfBirth: new DateOnly(2026, 12, 31), dateLayout: dob.Format).KeysOf(ids),
                BloomRecords.Encode(ids, encoder, blocks, dateFormat: dob.Format));
        }
        var v = Load("veterans", "va_id");
        var b = Load("bank", "customer_id");
        var exact = ExactLinkageUnit.Link([(v.Ssn, b.Ssn), (v.NameDob, b.NameDob)]);
        HashSet<int> leftDone = [.. exact.Select(p => p.Left)], rightDone = [.. exact.Select(p => p.Right)];
        var (hashed, _) = FuzzyLinkageUnit.Link(v.Fuzzy, b.Fuzzy, 0.9, leftDone, rightDone);
        var (candidates, stats) = FuzzyLinkageUnit.Candidates(v.Fuzzy, b.Fuzzy, leftDone, rightDone);

        // Only the records the exact passes left take part: their filters are shared (contributor side, not timed).
        var leftRows = Enumerable.Range(0, v.Fuzzy.Count).Where(i => !leftDone.Contains(i)).ToArray();
        var rightRows = Enumerable.Range(0, b.Fuzzy.Count).Where(j => !rightDone.Contains(j)).ToArray();
        var leftIndex = leftRows.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
        var rightIndex = rightRows.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
        static FuzzySide Pick(FuzzySide s, int[] rows) => new(rows.Select(r => s.Filters[r]).ToList(), rows.Select(r => s.Blocks[r]).ToList());
        var local = candidates.Select(c => (leftIndex[c.Left], rightIndex[c.Right])).ToList();
        using var engine = BenchLinks.Engine();
        var left = engine.Share(BloomRecords.Bits(Pick(v.Fuzzy, leftRows), spec.Bits));
        var right = engine.Share(BloomRecords.Bits(Pick(b.Fuzzy, rightRows), spec.Bits));
        var before = engine.Traffic.Select(t => t.BytesSent).ToArray();
        var meter = new OperationMeter(engine);
        var clock = Stopwatch.StartNew();
        var decisions = SecureFuzzyLinkage.Decide(engine, left, leftRows.Length, right, rightRows.Length, spec.Bits, local, 0.9);
        var count = engine.Reveal(engine.Sum(engine.ToArithmetic(decisions.Links)), "number of fuzzy links")[0];
        double seconds = clock.Elapsed.TotalSeconds;
        var (bytes, rounds, _, _) = meter.Stop();
        var busiest = engine.Traffic.Select((t, i) => t.BytesSent - before[i]).Max();

        // Check (outside the timer): the secure decisions equal the hashed mode's.
        var linked = engine.Reveal(decisions.Links, "bench check");
        var secureLinks = candidates.Where((_, k) => linked[k]).ToList();
        string? problem = secureLinks.Order().SequenceEqual(hashed.Select(h => (h.Left, h.Right)).Order()) && (long)count == secureLinks.Count
            ? null : $"secure fuzzy links differ from the hashed mode's ({secureLinks.Count} vs {hashed.Count})";
        if (!_printed)
        {
            _printed = true;
            void Line(string name, List<(int, int)> links)
            {
                var q = LinkageQuality.Of(links, v.Person, b.Person);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {rows} {q.Precision:F4} {q.Recall:F4} {q.F1:F4}"));
            }
            Line("quality-exact", exact);
            Line("quality-hashed", [.. exact, .. hashed.Select(h => (h.Left, h.Right))]);
            Line("quality-fuzzy", [.. exact, .. secureLinks]);
            Console.Error.WriteLine($"  fuzzy-inproc {rows}: {candidates.Count:N0} candidate pairs for {leftRows.Length:N0} × {rightRows.Length:N0} records left after the exact passes " +
                $"({stats.Blocks:N0} blocks, largest {stats.LargestBlock}); {(double)candidates.Count / Math.Max(1, leftRows.Length + rightRows.Length):F2} candidates per record; " +
                $"{seconds / Math.Max(1, candidates.Count) * 1e6:F1} µs and {(double)busiest / Math.Max(1, candidates.Count):F0} bytes per candidate pair");
        }
        return new SelfTimedResult(seconds, busiest, bytes, rounds, problem);
    }
}
