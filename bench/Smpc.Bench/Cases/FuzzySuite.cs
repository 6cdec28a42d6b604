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
/// Fuzzy linkage on the generator's agencies (ROWS bank records, 0.8·ROWS veterans) with about 10% of the records carrying
/// a name or date-of-birth defect and 30% of SSNs missing (<see cref="SyntheticOptions.NoisyForSize"/>): <c>fuzzy-inproc</c>
/// times the secure join's fuzzy pass alone over every record of both files (<see cref="SecureJoin"/> with
/// <see cref="LinkagePass.OnFuzzy"/>: the shuffles, the opening of the blocking pseudonyms, candidate pairs, Dice threshold
/// 0.85 and best match on the shared 512-bit filters of the study's default encoding, the links) — blocking included;
/// the contributors' encoding and sharing are set-up — and checks its link count against the hashed mode's. Once per
/// process it prints the quality lines on stdout, for exact passes then the fuzzy pass on what they left:
/// <c>quality-exact ROWS precision recall f1</c>, <c>quality-hashed …</c> (the fuzzy decisions in the clear) and
/// <c>quality-fuzzy …</c> (the same decisions on shares, checked equal), against the generator's true persons.
/// </summary>
public sealed class FuzzySuite : IBenchSuite
{
    public int Order => 22;

    static bool _printed;

    public IEnumerable<IBenchCase> Cases()
    {
        yield return new SelfTimedCase("fuzzy-inproc", "the secure join's fuzzy pass over every record, blocking included: Dice ≥ 0.85 and best match on 512-bit Bloom filters, 10% noisy records",
            10_000, [10_000, 100_000], new RunPlan(1, 1), Measure);
    }

    sealed record Side(string[] Person, string?[] Ssn, string?[] NameDob, FuzzySide Fuzzy);

    static SelfTimedResult Measure(int rows)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"smpc-fuzzy-noisy10-bench-{rows}");
        if (!File.Exists(Path.Combine(folder, "truth", "records.csv"))) SyntheticGenerator.Generate(SyntheticOptions.NoisyForSize(2026, rows, 0.10), folder);
        var persons = File.ReadLines(Path.Combine(folder, "truth", "records.csv")).Skip(1).Select(l => l.Split(',', 4))
            .ToDictionary(p => (p[0], p[1]), p => p[2]);
        // The filter length: the study's default (512 bits), or SMPC_BENCH_FUZZY_BITS (e.g. 256, for files whose filters as one
        // ring element per bit would not fit in memory: every bit is a 64-bit share at each of the three parties).
        var encoding = Environment.GetEnvironmentVariable("SMPC_BENCH_FUZZY_BITS") is { } b64 && int.TryParse(b64, out int bitsWanted)
            ? new FuzzyEncodingSpec { Bits = bitsWanted } : new FuzzyEncodingSpec();
        var encoder = FuzzyPreparation.Encoder(encoding, RandomNumberGenerator.GetBytes(32));
        var blocks = new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey());
        const double Threshold = 0.85;
        using var engine = BenchLinks.Engine();
        (Side Side, SecretTable Table) Load(string dataset, string idColumn)
        {
            var file = AgencyFile.Load(folder, dataset);
            var ids = file.Identifiers;
            var dob = file.Schema.Identifiers.Single(i => i.Kind == IdentifierKind.DateOfBirth);
            var side = new Side(((string?[])ids[idColumn]).Select(id => persons[(dataset, id!)]).ToArray(), LinkageKey.Ssn().KeysOf(ids),
                LinkageKey.NameDateOfBirth(latestDateOfBirth: new DateOnly(2026, 12, 31), dateLayout: dob.Format).KeysOf(ids),
                BloomRecords.Encode(ids, encoder, blocks, dateFormat: dob.Format));
            // The contributor's shares: its record number and the fuzzy columns (set-up, not timed).
            var (specs, data) = FuzzyPreparation.Prepare(file.Schema, encoding, ids, encoder, blocks);
            data.Add("record", Enumerable.Range(0, ids.RowCount).Select(i => (long)i).ToArray());
            var schema = new TableSchema { Name = dataset, Columns = [new ColumnSpec { Name = "record", Kind = ColumnKind.Integer, Min = 0, Max = ids.RowCount }, .. specs] };
            return (side, ContributorEncoder.Share(engine, schema, data));
        }
        var (v, vTable) = Load("veterans", "va_id");
        var (b, bTable) = Load("bank", "customer_id");

        // Timed: the fuzzy pass of the secure join over every record of both files.
        var before = engine.Traffic.Select(t => t.BytesSent).ToArray();
        var meter = new OperationMeter(engine);
        var clock = Stopwatch.StartNew();
        var joined = SecureJoin.Run([new JoinInput(vTable), new JoinInput(bTable)],
            new JoinOptions { Passes = [LinkagePass.OnFuzzy(Threshold, encoding.Bits)], MinCellSize = 1, RoundingBase = 1 });
        double seconds = clock.Elapsed.TotalSeconds;
        var (bytes, rounds, _, _) = meter.Stop();
        var busiest = engine.Traffic.Select((t, i) => t.BytesSent - before[i]).Max();
        var (all, allStats) = FuzzyLinkageUnit.Link(v.Fuzzy, b.Fuzzy, Threshold);
        // Best match breaks an exact tie of Dice coefficients by the records' order, which on shares is the shuffled order:
        // the link count may then differ from the hashed mode's, by at most the candidates above the threshold in a tie.
        int tied = Tied(v.Fuzzy, b.Fuzzy, FuzzyLinkageUnit.Candidates(v.Fuzzy, b.Fuzzy).Pairs, Threshold);
        long linkedOnShares = joined.MatchCounts[0].Count ?? -1;
        string? problem = Math.Abs(linkedOnShares - all.Count) <= tied ? null
            : $"the fuzzy pass linked {linkedOnShares}, the hashed mode {all.Count} ({tied} candidates above the threshold in an exact tie)";

        if (!_printed)
        {
            _printed = true;
            // Quality (not timed): exact passes, then the fuzzy decisions on what they left — in the clear, and on shares.
            var exact = ExactLinkageUnit.Link([(v.Ssn, b.Ssn), (v.NameDob, b.NameDob)]);
            HashSet<int> leftDone = [.. exact.Select(p => p.Left)], rightDone = [.. exact.Select(p => p.Right)];
            var (hashed, _) = FuzzyLinkageUnit.Link(v.Fuzzy, b.Fuzzy, Threshold, leftDone, rightDone);
            var (candidates, _) = FuzzyLinkageUnit.Candidates(v.Fuzzy, b.Fuzzy, leftDone, rightDone);
            // On shares in chunks, as the join decides (memory bounded on large files): each chunk's records shared when asked for.
            static FuzzySide Pick(FuzzySide s, int[] rows) => new(rows.Select(r => s.Filters[r]).ToList(), rows.Select(r => s.Blocks[r]).ToList());
            var decisions = SecureFuzzyLinkage.Decide(engine,
                (lefts, rights) => (engine.Share(BloomRecords.Bits(Pick(v.Fuzzy, lefts), encoding.Bits)), engine.Share(BloomRecords.Bits(Pick(b.Fuzzy, rights), encoding.Bits))),
                encoding.Bits, candidates, Threshold, new FuzzyChunks((1L << 23) / encoding.Bits, 2_000_000));
            var linked = engine.Reveal(decisions.Links, "bench check");
            var secureLinks = candidates.Where((_, k) => linked[k]).ToList();
            if (!secureLinks.Order().SequenceEqual(hashed.Select(h => (h.Left, h.Right)).Order()))
                problem ??= $"secure fuzzy links differ from the hashed mode's ({secureLinks.Count} vs {hashed.Count})";
            void Line(string name, List<(int, int)> links)
            {
                var q = LinkageQuality.Of(links, v.Person, b.Person);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {rows} {q.Precision:F4} {q.Recall:F4} {q.F1:F4}"));
            }
            Line("quality-exact", exact);
            Line("quality-hashed", [.. exact, .. hashed.Select(h => (h.Left, h.Right))]);
            Line("quality-fuzzy", [.. exact, .. secureLinks]);
        }
        int records = v.Fuzzy.Count + b.Fuzzy.Count;
        Console.Error.WriteLine($"  fuzzy-inproc {rows}: {encoding.Bits}-bit filters; {v.Fuzzy.Count:N0} × {b.Fuzzy.Count:N0} records, {allStats.CandidatePairs:N0} candidate pairs " +
            $"({allStats.Blocks:N0} blocks, largest {allStats.LargestBlock}); {(double)allStats.CandidatePairs / records:F2} candidates per record; " +
            $"{seconds / Math.Max(1, allStats.CandidatePairs) * 1e6:F1} µs and {(double)busiest / Math.Max(1, allStats.CandidatePairs):F0} bytes per candidate pair (whole pass); {rounds} rounds");
        return new SelfTimedResult(seconds, busiest, bytes, rounds, problem);
    }

    /// <summary>Candidates at or above the threshold whose Dice coefficient equals, exactly, that of another candidate of
    /// one of their records (compared as 2·dot/(|a|+|b|) fractions, as the decision does).</summary>
    static int Tied(FuzzySide left, FuzzySide right, List<(int Left, int Right)> candidates, double threshold)
    {
        static int Ones(ulong[] f) => f.Sum(w => System.Numerics.BitOperations.PopCount(w));
        var score = candidates.Select(c => (Dot: (long)left.Filters[c.Left].Zip(right.Filters[c.Right], (a, b) => System.Numerics.BitOperations.PopCount(a & b)).Sum(),
                                           Sum: (long)Ones(left.Filters[c.Left]) + Ones(right.Filters[c.Right]))).ToArray();
        var above = score.Select(x => 2 * x.Dot >= threshold * x.Sum).ToArray();
        var tied = new bool[candidates.Count];
        var (byLeft, byRight) = FuzzyLinkageUnit.Groups(candidates);
        foreach (var g in byLeft.Concat(byRight))
            foreach (int k in g)
                foreach (int o in g)
                    if (k != o && above[k] && score[k].Dot * score[o].Sum == score[o].Dot * score[k].Sum) tied[k] = true;
        return tied.Count(t => t);
    }
}
