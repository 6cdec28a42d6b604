using System.Globalization;
using System.Text.RegularExpressions;
using Smpc.Bench.Harness;

namespace Smpc.Bench.Cases;

/// <summary>
/// The linkage layer's secure inner join (<see cref="JoinBench"/>), three parties in this process: two synthetic
/// tables with unique SSNs, half of each linking, 5 payload columns. Timed: the join itself (shuffle, open
/// pseudonyms, match, gather, reshuffle); contributor preparation and sharing are set-up. Rows = rows per table.
/// </summary>
public sealed class LinkageSuite : IBenchSuite
{
    public int Order => 20;

    public IEnumerable<IBenchCase> Cases()
    {
        yield return Join("join-hash-inproc", oprf: false, "secure inner join on keyed-hash pseudonyms (HMAC-SHA256)",
                          100_000, [100_000, 1_000_000], new RunPlan(1, 3));
        // The threshold OPRF costs five X25519 operations per key in preparation (set-up here), so its full run stops
        // at 100k; pass --rows 1000000 to time 1M (minutes on two cores).
        yield return Join("join-oprf-inproc", oprf: true, "secure inner join on threshold-OPRF pseudonyms (2HashDH, X25519)",
                          10_000, [100_000], new RunPlan(1, 1));
        // The whole pipeline: contributors pseudonymise (for the OPRF: blind, the three parties' key chain, unblind —
        // five X25519 operations per key), share, then the join. Seconds and bytes cover all of it (rounds: the join's); the
        // X25519 rate achieved is printed on stderr.
        yield return Join("join-hash-pipeline-inproc", oprf: false, "pseudonymise (HMAC-SHA256) + share + secure inner join",
                          100_000, [100_000, 1_000_000], new RunPlan(1, 3), pipeline: true);
        yield return Join("join-oprf-pipeline-inproc", oprf: true, "pseudonymise (threshold OPRF, X25519 chain) + share + secure inner join",
                          10_000, [100_000], new RunPlan(1, 1), pipeline: true);
        yield return CurveBound();
    }

    /// <summary>The OPRF's hardware bound, measured beside it: X25519 with a fixed key share on all threads (OpenSSL),
    /// rows = operations; every other curve figure (one thread, BouncyCastle, hash to curve) goes to stderr.</summary>
    public static IBenchCase CurveBound() => new SelfTimedCase("x25519-bound", "X25519 operations (fixed key share, all threads, OpenSSL) — the OPRF's bound",
        20_000, [200_000], new RunPlan(1, 3), rows =>
        {
            var bounds = JoinBench.MeasureCurveBound(rows);
            foreach (var b in bounds) Console.Error.WriteLine($"  {b}");
            var best = bounds.Where(b => b.Operation.StartsWith("X25519, fixed key", StringComparison.Ordinal)).MaxBy(b => b.OperationsPerSecond)!;
            return new SelfTimedResult(rows / best.OperationsPerSecond, 0, 0, 0, null);
        });

    static SelfTimedCase Join(string name, bool oprf, string description, int quick, int[] full, RunPlan plan, bool pipeline = false) =>
        new(name, description, quick, full, plan, rows =>
        {
            var m = JoinBench.Join(name, oprf, rows, rows);
            Console.Error.WriteLine($"  {m}");
            int expected = rows - rows / 2;
            string? problem = m.Linked == expected ? null : $"{m.Linked} rows linked, expected {expected}";
            return pipeline
                ? new SelfTimedResult(m.TotalSeconds, m.JoinBytesPerParty + m.PrepareBytesPerParty, 0, m.JoinRounds, problem)
                : new SelfTimedResult(m.JoinSeconds, m.JoinBytesPerParty, 0, m.JoinRounds, problem);
        });
}

/// <summary>
/// The statistics layer (<see cref="StatsBench"/>), three parties in this process. Timed: the query (policy
/// check, computation on shares, disclosure control, release); encoding and sharing the synthetic rows is set-up.
/// </summary>
public sealed class StatisticsSuite : IBenchSuite
{
    public int Order => 21;

    const int M = 1_000_000;

    public IEnumerable<IBenchCase> Cases()
    {
        // Above 1M rows the rows arrive in batches of 500k: a batch's one-hot matrix (50 vectors) is what a party holds
        // at once, three parties' copies here (issue 14, point 7: ≤ 3 GB for 10M rows).
        yield return new SelfTimedCase("groupby50-inproc", "count + sum + mean by a 50-level category (10M rows in 500k-row batches)",
            M, [M, 10 * M], new RunPlan(1, 3), rows =>
            {
                int batch = rows <= M ? rows : M / 2;
                if (rows % batch != 0) throw new ArgumentException($"groupby50-inproc needs a row count up to 1M or a multiple of 500k; got {rows}.");
                var m = StatsBench.GroupBy("groupby50", batch, rows / batch, 50, 0);
                long count = (long)Number(m.Check, @"total count (\S+)");
                return Result(m, count == rows ? null : $"total count {count}, expected {rows}");
            });
        yield return new SelfTimedCase("median-inproc", "median of one fixed-point column (shuffle, then sort with opened comparisons)",
            M, [M], new RunPlan(1, 1), rows =>
            {
                var m = StatsBench.Median("median", rows, 0);
                var got = Numbers(m.Check, @"median (\S+) \(plaintext (\S+)\)");
                return Result(m, Math.Abs(got[0] - got[1]) <= 0.01 ? null : m.Check);
            });
        yield return new SelfTimedCase("variance-money-inproc", "mean, variance and std dev of a balance bounded ±10^7 (16 fraction bits; 10M rows in 1M-row batches)",
            M, [M, 10 * M], new RunPlan(1, 1), rows =>
            {
                int batch = Math.Min(rows, M);
                if (rows % batch != 0) throw new ArgumentException($"variance-money-inproc needs a row count below 1M or a multiple of 1M; got {rows}.");
                var m = StatsBench.MoneyVariance("variance-money", batch, rows / batch, 0);
                var got = Numbers(m.Check, @"variance (\S+) \(plaintext (\S+), bound (\S+)\)");
                return Result(m, Math.Abs(got[0] - got[1]) <= got[2] ? null : m.Check);
            });
        yield return new SelfTimedCase("ols10-inproc", "ordinary least squares, 10 covariates (Gram matrix by dot products, solved in the computation)",
            M, [M], new RunPlan(1, 3), rows =>
            {
                var m = StatsBench.Ols("ols", rows, 10, 0);
                double c = Number(m.Check, @"coefficient of x1 (\S+)");
                return Result(m, Math.Abs(c - 1) <= 0.05 ? null : m.Check);
            });
    }

    static SelfTimedResult Result(StatsMeasurement m, string? problem) =>
        new(m.Seconds, m.BusiestPartyBytes, m.Bytes, m.Rounds, problem);

    static double Number(string text, string pattern) => Numbers(text, pattern)[0];

    static double[] Numbers(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        if (!match.Success) throw new BenchVerificationException($"Cannot read the check '{text}'.");
        return match.Groups.Cast<Group>().Skip(1).Select(g => double.Parse(g.Value, CultureInfo.InvariantCulture)).ToArray();
    }
}
