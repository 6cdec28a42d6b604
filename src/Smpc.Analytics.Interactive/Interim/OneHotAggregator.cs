// Interim group-by aggregates over one-hot encoded categories (the notebook layer's stand-in until the
// Statistics and Disclosure layers land behind ISecureAggregator).
// Computes: per cell of the cross product of up to two categorical columns (and, for a histogram, public
// bins of a numeric column): the row count n and, as asked, the sum, mean, or the sufficient statistics
// of a one-predictor least-squares fit. Minimum cell size is applied inside the computation: the counts
// are compared with k in secret, only the comparison bits are opened, and only cells with n ≥ k are revealed.
// Reference: group sums as dot products of one-hot indicators (DESIGN.md §4 Group-by; ABY3 §5.1 dot
// products); secure comparison per the engine's Comparison protocol; bin indicators as differences of
// threshold comparisons.
// Security: semi-honest, honest majority (inherits the engine's protocols).
// Leakage: to the analyst — which cells are suppressed (shown as "suppressed" anyway) and, for released
// cells, n and the statistic (for regression, interim: n, Σx, Σy, Σx², Σxy of each released cell, from
// which the coefficients are solved in the clear). To the compute parties — nothing beyond vector lengths.
// Cost: one round for the cross product (two group columns), one comparison batch per histogram
// (bins + 1 thresholds × n rows), one round for all dot products, one comparison of G counts, reveals.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Interactive.Api;

namespace Smpc.Analytics.Interactive.Interim;

public sealed class OneHotAggregator : ISecureAggregator
{
    public IReadOnlySet<Statistic> Supports { get; } =
        new HashSet<Statistic> { Statistic.Count, Statistic.Sum, Statistic.Mean, Statistic.Histogram, Statistic.Regression };

    sealed record Dimension(string Name, string[] Labels, SecretVector[] Indicators);

    public ReleaseTable Aggregate(SecretTable table, AggregateRequest q, DisclosureRules rules)
    {
        var plan = AggregatePlan.Validate(table, q, Supports);   // every check before anything is computed
        var e = table.Engine;
        int n = table.RowCount;

        var dims = plan.GroupColumns.Select(g => new Dimension(g.Name, g.Spec.Domain!.ToArray(), g.OneHot!.ToArray())).ToList();
        if (q.Statistic == Statistic.Histogram) dims.Add(new Dimension("bin", BinLabels(plan.Edges), BinIndicators(e, plan.Value!, plan.Edges)));
        var (keys, cells) = CrossProduct(e, dims, n);
        int g = cells.Length;

        // All statistics as dot products with the cell indicators, in one round; stat-major order.
        var weight = q.Statistic != Statistic.Histogram && plan.Value?.Present is { } present ? present : e.Public(Ones(n));
        var columns = new List<SecretVector> { weight };
        if (q.Statistic is Statistic.Sum or Statistic.Mean) columns.Add(plan.Value!.Values!);
        if (q.Statistic == Statistic.Regression)
        {
            var x = plan.Predictor!.Values!; var y = plan.Value!.Values!;
            var products = e.Multiply(e.Concat([x, x]), e.Concat([x, y]));
            columns.AddRange([x, y, Slice(e, products, 0, n), Slice(e, products, n, n)]);
        }
        var dots = e.Dot(columns.SelectMany(c => cells.Select(ind => (ind, c))).ToArray());
        var counts = Slice(e, dots, 0, g);

        // Disclosure control inside the computation: only the "n < k" bits are opened.
        var small = e.Reveal(e.LessThan(counts, (ulong)rules.MinCellSize), $"suppression pattern of {q.Describe()}: cells with n < {rules.MinCellSize}");
        var released = Enumerable.Range(0, g).Where(c => !small[c]).ToArray();
        ulong[] opened = [];
        if (released.Length > 0)
        {
            var rows = Enumerable.Range(0, columns.Count).SelectMany(s => released.Select(c => s * g + c)).ToArray();
            opened = e.Reveal(e.Gather(dots, rows), $"release: {q.Describe()} ({released.Length} of {g} cells)");
        }

        var valueColumns = plan.ValueColumns(q);
        var result = new ReleaseRow[g];
        for (int c = 0; c < g; c++)
            result[c] = new ReleaseRow(keys[c], null, $"n < {rules.MinCellSize}");
        for (int r = 0; r < released.Length; r++)
        {
            double Stat(int s) => (long)opened[s * released.Length + r] / Math.ScaleB(1.0, plan.Scale(s));
            result[released[r]] = new ReleaseRow(keys[released[r]], plan.Decode(q.Statistic, Stat), null);
        }
        return new ReleaseTable(q.Describe(), dims.Select(d => d.Name).ToArray(), valueColumns, result);
    }

    static (string[][] Keys, SecretVector[] Cells) CrossProduct(IComputeEngine e, List<Dimension> dims, int n)
    {
        if (dims.Count == 0) return ([[]], [e.Public(Ones(n))]);
        if (dims.Count == 1) return (dims[0].Labels.Select(l => new[] { l }).ToArray(), dims[0].Indicators);
        if (dims.Count > 2) throw new QueryException("At most two dimensions (group-by columns and histogram bins) are supported.");
        var (a, b) = (dims[0], dims[1]);
        var pairs = a.Labels.SelectMany((_, i) => b.Labels.Select((_, j) => (i, j))).ToArray();
        var product = e.Multiply(e.Concat(pairs.Select(p => a.Indicators[p.i]).ToArray()), e.Concat(pairs.Select(p => b.Indicators[p.j]).ToArray()));
        return (pairs.Select(p => new[] { a.Labels[p.i], b.Labels[p.j] }).ToArray(),
                pairs.Select((_, k) => Slice(e, product, k * n, n)).ToArray());
    }

    /// <summary>Indicator of bin k = [x ≥ e_k] − [x ≥ e_{k+1}], all thresholds in one comparison batch; rows with a
    /// missing value are in no bin.</summary>
    static SecretVector[] BinIndicators(IComputeEngine e, SecretColumn column, double[] edges)
    {
        var x = column.Values!;
        int n = x.Length, m = edges.Length;
        var thresholds = new ulong[m * n];
        for (int k = 0; k < m; k++)
            Array.Fill(thresholds, (ulong)(long)Math.Ceiling(edges[k] * Math.ScaleB(1.0, column.Spec.Scale)), k * n, n);
        var atLeast = e.ToArithmetic(e.Not(e.LessThan(e.Concat(Enumerable.Repeat(x, m).ToArray()), e.Public(thresholds))));
        var ge = Enumerable.Range(0, m).Select(k => Slice(e, atLeast, k * n, n)).ToArray();
        var bins = Enumerable.Range(0, m - 1).Select(k => e.Subtract(ge[k], ge[k + 1])).ToArray();
        if (column.Present is not { } present) return bins;
        var masked = e.Multiply(e.Concat(bins), e.Concat(Enumerable.Repeat(present, bins.Length).ToArray()));
        return Enumerable.Range(0, bins.Length).Select(k => Slice(e, masked, k * n, n)).ToArray();
    }

    static string[] BinLabels(double[] edges) =>
        Enumerable.Range(0, edges.Length - 1).Select(k => $"[{ReleaseTable.Format(edges[k])}, {ReleaseTable.Format(edges[k + 1])})").ToArray();

    static SecretVector Slice(IComputeEngine e, SecretVector v, int start, int length) =>
        e.Gather(v, Enumerable.Range(start, length).ToArray());

    static ulong[] Ones(int n)
    {
        var ones = new ulong[n];
        Array.Fill(ones, 1UL);
        return ones;
    }
}
