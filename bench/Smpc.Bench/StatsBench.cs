// Benchmarks of the statistics layer, three parties in one process (the embedded default).
//   groupby-1M-50   count + sum + mean over 1M rows × 50 groups        (target ≤ 1 s)
//   groupby-10M-50  the same over 10M rows, in 1M-row batches          (target ≤ 10 s, peak memory ≤ 12 GB)
//   median-1M       median of 1M values                                (target ≤ 10 s)
//   ols-1M-10       OLS on 1M rows × 10 covariates                     (target ≤ 2 s)
//   variance-money  mean, variance, std dev of a ±10^7 balance at 16 fraction bits, 10M rows in 1M-row batches
// Timing covers the query (policy check, computation on shares, disclosure control, release); contributor-side
// encoding and sharing of the synthetic rows is timed separately (SetupSeconds). Data is generated here.
// Registered with the bench harness in Cases/LayerSuites.cs (groupby50-inproc, median-inproc, ols10-inproc).
using System.Diagnostics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Bench.Harness;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Studies;

namespace Smpc.Bench;

/// <summary>One measurement: query time, setup (sharing) time, bytes and rounds of the query, peak memory of the process.</summary>
/// <remarks><see cref="Bytes"/> is summed over the three parties; <see cref="BusiestPartyBytes"/> is what the busiest party sent.</remarks>
public sealed record StatsMeasurement(string Name, long Rows, int Groups, double Seconds, double SetupSeconds, long Bytes, long Rounds,
                                      long PeakMemoryBytes, double TargetSeconds, string Check, long BusiestPartyBytes = 0);

public static class StatsBench
{
    static DataUseTerms Terms(string dataset) => new()
    {
        Dataset = dataset, Steward = "bench", Purpose = "benchmark", Redisclosure = new RedisclosureTerms(),
        AllowedOperations = ["count", "sum", "mean", "groupby", "quantile", "ols"],
    };

    /// <summary>Runs the cases; <paramref name="quick"/> scales rows down 100× (CI smoke run). <paramref name="only"/> filters by name prefix.</summary>
    public static IReadOnlyList<StatsMeasurement> Run(bool quick = false, string? only = null)
    {
        long scale = quick ? 100 : 1;
        var cases = new (string Name, Func<StatsMeasurement> Run)[]
        {
            ($"groupby-{Label(1_000_000 / scale)}-50", () => GroupBy($"groupby-{Label(1_000_000 / scale)}-50", (int)(1_000_000 / scale), 1, 50, 1.0)),
            ($"groupby-{Label(10_000_000 / scale)}-50", () => GroupBy($"groupby-{Label(10_000_000 / scale)}-50", (int)(1_000_000 / scale), 10, 50, 10.0)),
            ($"median-{Label(1_000_000 / scale)}", () => Median($"median-{Label(1_000_000 / scale)}", (int)(1_000_000 / scale), 10.0)),
            ($"ols-{Label(1_000_000 / scale)}-10", () => Ols($"ols-{Label(1_000_000 / scale)}-10", (int)(1_000_000 / scale), 10, 2.0)),
        };
        return cases.Where(c => only is null || c.Name.StartsWith(only, StringComparison.Ordinal)).Select(c => c.Run()).ToArray();
    }

    static string Label(long n) => n >= 1_000_000 ? $"{n / 1_000_000}M" : n >= 1000 ? $"{n / 1000}k" : n.ToString();

    static readonly TableSchema GroupSchema = new()
    {
        Name = "bench",
        Columns =
        [
            new ColumnSpec { Name = "group", Kind = ColumnKind.Categorical, Domain = Enumerable.Range(0, 50).Select(g => $"g{g:D2}").ToArray() },
            new ColumnSpec { Name = "value", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 10000 },
        ],
    };

    public static StatsMeasurement GroupBy(string name, int batchRows, int batches, int groups, double target)
    {
        using var engine = BenchLinks.Engine();
        var setup = new Stopwatch();
        IEnumerable<SecretTable> Batches()
        {
            for (int b = 0; b < batches; b++)
            {
                setup.Start();
                var rng = new Random(b);
                var labels = new string[batchRows];
                var values = new double[batchRows];
                var names = GroupSchema.Columns[0].Domain!;
                for (int i = 0; i < batchRows; i++) { labels[i] = names[rng.Next(groups)]; values[i] = rng.Next(0, 2_560_000) / 256.0; }
                var table = ContributorEncoder.Share(engine, GroupSchema, new PlainTable("bench").Add("group", labels).Add("value", values));
                setup.Stop();
                yield return table;
            }
        }
        var before = Traffic(engine);
        var clock = Stopwatch.StartNew();
        QueryResult result;
        if (batches == 1)
        {
            var table = Batches().Single();
            before = Traffic(engine);
            clock.Restart();
            result = new SecureAnalysis(table, Terms("bench")).GroupBy("group").Aggregate(Measure.Count(), Measure.Sum("value"), Measure.Mean("value"));
        }
        else
        {
            var probe = Batches().First();   // the query object needs one table for its schema and engine
            setup.Reset();
            before = Traffic(engine);
            clock.Restart();
            result = new SecureAnalysis(probe, Terms("bench")).GroupBy("group").AggregateBatches(Batches(), Measure.Count(), Measure.Sum("value"), Measure.Mean("value"));
        }
        double seconds = clock.Elapsed.TotalSeconds - (batches == 1 ? 0 : setup.Elapsed.TotalSeconds);
        var after = Traffic(engine);
        long total = (long)result.Cells!.Measures[0].Values.Where((v, c) => result.Cells.Layout.IsMargin(c)).Sum(v => v ?? 0);
        return new StatsMeasurement(name, (long)batchRows * batches, groups, seconds, setup.Elapsed.TotalSeconds, after.Bytes - before.Bytes,
            after.Rounds - before.Rounds, Process.GetCurrentProcess().PeakWorkingSet64, target, $"total count {total}", Busiest(before, after));
    }

    public static StatsMeasurement Median(string name, int rows, double target)
    {
        using var engine = BenchLinks.Engine();
        var schema = new TableSchema { Name = "bench", Columns = [new ColumnSpec { Name = "value", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 10000 }] };
        var setup = Stopwatch.StartNew();
        var rng = new Random(1);
        var values = Enumerable.Range(0, rows).Select(_ => rng.Next(0, 2_560_000) / 256.0).ToArray();
        var table = ContributorEncoder.Share(engine, schema, new PlainTable("bench").Add("value", values));
        setup.Stop();
        var before = Traffic(engine);
        var clock = Stopwatch.StartNew();
        var r = new SecureAnalysis(table, Terms("bench")).Median("value");
        double seconds = clock.Elapsed.TotalSeconds;
        var after = Traffic(engine);
        var sorted = values.Order().ToArray();
        double expected = (sorted[(rows - 1) / 2] + sorted[rows / 2]) / 2;
        return new StatsMeasurement(name, rows, 1, seconds, setup.Elapsed.TotalSeconds, after.Bytes - before.Bytes, after.Rounds - before.Rounds,
            Process.GetCurrentProcess().PeakWorkingSet64, target, $"median {r.Table["value"][0]} (plaintext {expected})", Busiest(before, after));
    }

    public static StatsMeasurement Ols(string name, int rows, int covariates, double target)
    {
        using var engine = BenchLinks.Engine();
        var columns = Enumerable.Range(1, covariates).Select(j => new ColumnSpec { Name = $"x{j}", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = -10, Max = 10 })
            .Append(new ColumnSpec { Name = "y", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = -1000, Max = 1000 }).ToArray();
        var schema = new TableSchema { Name = "bench", Columns = columns };
        var setup = Stopwatch.StartNew();
        var rng = new Random(2);
        var plain = new PlainTable("bench");
        var y = new double[rows];
        for (int j = 1; j <= covariates; j++)
        {
            var x = Enumerable.Range(0, rows).Select(_ => Math.Round((rng.NextDouble() * 20 - 10) * 256) / 256).ToArray();
            for (int i = 0; i < rows; i++) y[i] += j * x[i];
            plain.Add($"x{j}", x);
        }
        for (int i = 0; i < rows; i++) y[i] = Math.Round((y[i] + 5 + rng.NextDouble() * 10 - 5) * 256) / 256;
        plain.Add("y", y);
        var table = ContributorEncoder.Share(engine, schema, plain);
        setup.Stop();
        var before = Traffic(engine);
        var clock = Stopwatch.StartNew();
        var r = new SecureAnalysis(table, Terms("bench")).Ols("y", Enumerable.Range(1, covariates).Select(j => $"x{j}").ToArray());
        double seconds = clock.Elapsed.TotalSeconds;
        var after = Traffic(engine);
        return new StatsMeasurement(name, rows, covariates, seconds, setup.Elapsed.TotalSeconds, after.Bytes - before.Bytes, after.Rounds - before.Rounds,
            Process.GetCurrentProcess().PeakWorkingSet64, target, $"coefficient of x1 {r.Table["coefficient"][1]} (true 1)", Busiest(before, after));
    }

    static readonly TableSchema MoneySchema = new()
    {
        Name = "bench",
        Columns = [new ColumnSpec { Name = "balance", Kind = ColumnKind.FixedPoint, FractionBits = 16, Min = -1e7, Max = 1e7 }],
    };

    /// <summary>
    /// Mean, variance and std dev of a balance bounded ±10^7 at 16 fraction bits, in row batches planned for the total
    /// (the values are rounded down to multiples of 64 before squaring at 10M rows). The check compares with the
    /// exact variance of the generated values (128-bit sums) and the release's stated bound.
    /// </summary>
    public static StatsMeasurement MoneyVariance(string name, int batchRows, int batches, double target)
    {
        using var engine = BenchLinks.Engine();
        var setup = new Stopwatch();
        Int128 sum = 0, squares = 0;
        IEnumerable<SecretTable> Batches(bool accumulate)
        {
            for (int b = 0; b < batches; b++)
            {
                setup.Start();
                var rng = new Random(100 + b);
                var values = new double[batchRows];
                for (int i = 0; i < batchRows; i++)
                {
                    double normal = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                    double magnitude = Math.Exp((rng.NextDouble() < 0.3 ? 13 : 8) + 1.3 * normal);
                    long encoded = (long)Math.Round(Math.ScaleB(Math.Clamp(rng.NextDouble() < 0.05 ? -magnitude / 10 : magnitude, -1e7, 1e7), 16));
                    values[i] = Math.ScaleB((double)encoded, -16);
                    if (accumulate) { sum += encoded; squares += (Int128)encoded * encoded; }
                }
                var table = ContributorEncoder.Share(engine, MoneySchema, new PlainTable("bench").Add("balance", values));
                setup.Stop();
                yield return table;
            }
        }
        var probe = Batches(false).First();
        setup.Reset();
        var before = Traffic(engine);
        var clock = Stopwatch.StartNew();
        long total = (long)batchRows * batches;
        var terms = Terms("bench") with { AllowedOperations = ["mean", "variance"] };
        var result = new SecureAnalysis(probe, terms).GroupBy().AggregateBatches(Batches(true), total, Measure.Mean("balance"), Measure.Variance("balance"), Measure.StdDev("balance"));
        double seconds = clock.Elapsed.TotalSeconds - setup.Elapsed.TotalSeconds;
        var after = Traffic(engine);
        var n = (System.Numerics.BigInteger)total;
        double exact = (double)((System.Numerics.BigInteger)squares * n - (System.Numerics.BigInteger)sum * (System.Numerics.BigInteger)sum) / (double)(n * (n - 1)) * Math.ScaleB(1.0, -32);
        var variance = result.Cells!.Measures[1];
        return new StatsMeasurement(name, total, 1, seconds, setup.Elapsed.TotalSeconds, after.Bytes - before.Bytes, after.Rounds - before.Rounds,
            Process.GetCurrentProcess().PeakWorkingSet64, target,
            FormattableString.Invariant($"variance {variance.Values[0]:R} (plaintext {exact:R}, bound {variance.ErrorBound:R})"), Busiest(before, after));
    }

    static (long Bytes, long Rounds, long[] Sent) Traffic(IComputeEngine e) =>
        (e.Traffic.Sum(t => t.BytesSent), e.Traffic.Count == 0 ? 0 : e.Traffic.Max(t => t.Rounds), e.Traffic.Select(t => t.BytesSent).ToArray());

    static long Busiest((long, long, long[] Sent) before, (long, long, long[] Sent) after) =>
        after.Sent.Select((b, p) => b - before.Sent[p]).DefaultIfEmpty(0).Max();
}
