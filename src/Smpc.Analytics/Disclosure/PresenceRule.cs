// The row count of a cell whose measured values are missing in some rows (a left join's unlinked rows, nullable columns).
//
// What: the statistics of a cell, the cell-size rule and the p% rule all run on the complete cases n — the rows that
// hold every measured value (CellTotals.Count; Statistics/CellAggregator.RowMask). The release also shows the cell's
// row count r (the rows that pass the filter, with or without the values). Releasing both reveals r − n, the number of
// rows without the value (e.g. veterans in a state who are not bank customers), which is itself a count: so a cell is
// released only when n passes the cell-size rule (TableRelease) AND r − n is 0 or at least the minimum cell size k;
// otherwise the whole cell is suppressed (SuppressionReason.MissingValues) before complementary suppression, which
// then sees one pattern. Released row counts are rounded to the rounding base on shares, as counts are.
// Computed on shares: d = r − n, then [d < k] and [k − d < k] (= [d > 0]) in one comparison, AND; only that bit per
// cell is opened, to the compute parties and, as the status, to the analyst.
// Security: semi-honest, honest majority. Leakage: one bit per cell (the status) and the released, rounded row counts.
// Cost: one comparison and one AND gate per cell; the rounding one public division.
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Disclosure;

public static class PresenceRule
{
    /// <summary>Marks released cells whose number of rows without the measured value, <paramref name="rows"/> −
    /// <paramref name="complete"/>, lies in 1 … <paramref name="minCellSize"/> − 1 as <see cref="SuppressionReason.MissingValues"/>.</summary>
    public static void Apply(IComputeEngine e, SecretVector complete, SecretVector rows, int minCellSize, SuppressionReason[] status)
    {
        int k = Math.Max(minCellSize, 1);
        int cells = status.Length;
        var missing = e.Subtract(rows, complete);
        var negated = e.AddPublic(e.MultiplyPublic(missing, ulong.MaxValue), (ulong)k);          // k − d
        var both = e.LessThan(e.Concat([missing, negated]), (ulong)k);                          // [d < k], [k − d < k] = [d > 0]
        var bits = e.ToArithmetic(both);
        var small = e.Multiply(e.Gather(bits, Enumerable.Range(0, cells).ToArray()), e.Gather(bits, Enumerable.Range(cells, cells).ToArray()));
        var open = e.RevealToParties(small, $"missing-value rule (0 < rows − complete cases < {k}): suppressed or not, per cell");
        for (int c = 0; c < cells; c++)
            if (open[c] == 1 && status[c] == SuppressionReason.Released) status[c] = SuppressionReason.MissingValues;
    }

    /// <summary>The row counts of the <paramref name="released"/> cells, rounded on shares to <paramref name="roundingBase"/>,
    /// revealed to the analyst; null for every other cell.</summary>
    public static double?[] Release(IComputeEngine e, SecretVector rows, int[] released, int roundingBase, long maxRows)
    {
        var values = new double?[rows.Length];
        if (released.Length == 0) return values;
        var secret = e.Gather(rows, released);
        if (roundingBase > 1)
        {
            ulong b = (ulong)roundingBase;
            int bits = SecureDivision.BitsFor((maxRows + (double)b) / b) + 1;
            secret = e.MultiplyPublic(SecureDivision.DividePublic(e, e.AddPublic(secret, b / 2), b, bits), b);
        }
        var raw = e.Reveal(secret, $"release rows (with or without the measured values) of {released.Length} cells");
        for (int k = 0; k < released.Length; k++) values[released[k]] = (long)raw[k];
        return values;
    }
}
