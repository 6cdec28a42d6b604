// Histogram bins over a numeric column, as a grouping dimension computed on shares.
//
// What: for edges e0 < e1 < … < em, bin j is [e_j, e_{j+1}) and the last bin is closed, [e_{m−1}, e_m]; values
// outside [e0, em] and missing values fall in no bin. With c_j = [x < t_j] (t_j the encoded edge, rounded so that
// the integer comparison is exact; t_m for "x ≤ e_m"), bin_j = c_{j+1} − c_j. All m+1 comparisons run as one
// batch (one comparison protocol over (m+1)·n elements) and one bit injection.
// Reference: comparisons ABY3 (CCS 2018) §5.3; bit injection §5.4. Security: semi-honest, honest majority.
// Leakage: none (bin indicators stay shared; counts are released only through disclosure control).
// Cost: 8 + 2 rounds (+1 product round when the column has missing values); (m+1)·n comparisons.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class Histogram
{
    /// <summary>The bins of <paramref name="column"/> over the declared <paramref name="edges"/>, as a dimension.</summary>
    public static Dimension Bins(SecretTable table, string column, IReadOnlyList<double> edges)
    {
        var spec = table[column].Spec;
        ColumnBounds.Of(spec, $"Histogram of '{column}'");
        CheckEdges(column, edges);
        var e = table.Engine;
        var x = table[column].Values!;
        int n = x.Length, m = edges.Count - 1;
        double scale = Math.ScaleB(1.0, spec.Scale);
        var thresholds = edges.Select((v, j) => j < m ? Math.Ceiling(v * scale) : Math.Floor(v * scale) + 1).ToArray();
        foreach (var t in thresholds) ColumnBounds.Check(Math.Abs(t) + ColumnBounds.Magnitude(spec), $"Histogram of '{column}': edge");
        var shifted = e.Concat(thresholds.Select(t => e.AddPublic(x, unchecked((ulong)-(long)t))).ToArray());
        var below = e.ToArithmetic(e.LessThan(shifted, 0));
        var c = Enumerable.Range(0, m + 1).Select(j => e.Gather(below, Enumerable.Range(j * n, n).ToArray())).ToArray();
        IReadOnlyList<SecretVector> bins = Enumerable.Range(0, m).Select(j => e.Subtract(c[j + 1], c[j])).ToArray();
        if (table[column].Present is { } present)
        {
            var all = e.Multiply(e.Concat(bins), e.Concat(bins.Select(_ => present).ToArray()));
            bins = Enumerable.Range(0, m).Select(j => e.Gather(all, Enumerable.Range(j * n, n).ToArray())).ToArray();
        }
        var labels = Enumerable.Range(0, m).Select(j => $"[{edges[j]:G6}, {edges[j + 1]:G6}{(j == m - 1 ? "]" : ")")}").ToArray();
        return new Dimension(column, labels, bins);
    }

    public static void CheckEdges(string column, IReadOnlyList<double> edges)
    {
        if (edges.Count < 2) throw new QueryException($"Histogram of '{column}': give at least two bin edges.");
        for (int j = 0; j < edges.Count; j++)
        {
            if (double.IsNaN(edges[j]) || double.IsInfinity(edges[j])) throw new QueryException($"Histogram of '{column}': edge {j} is not a finite number.");
            if (j > 0 && !(edges[j] > edges[j - 1])) throw new QueryException($"Histogram of '{column}': edges must increase strictly ({edges[j - 1]} then {edges[j]}).");
        }
    }
}
