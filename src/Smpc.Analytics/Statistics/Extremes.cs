// Minimum and maximum of a column, by an oblivious tournament (nothing opened, not even comparison outcomes).
//
// What: rows outside the filter (or with a missing value) are replaced by a sentinel beyond the declared
// bounds (+∞ for the minimum, −∞ for the maximum), then pairs are reduced level by level:
// min(a, b) = b + [a < b]·(a − b). ⌈log2 n⌉ levels; an odd element is carried to the next level.
// Reference: tournament selection, Knuth, TAOCP vol. 3, §5.2.3; comparison ABY3 §5.3, bit injection §5.4.
// Security: semi-honest, honest majority. Leakage: none (the tournament's shape depends only on n).
// Cost: per level one comparison (8 rounds), one bit injection (2) and one product (1): ~11·⌈log2 n⌉ rounds,
// n − 1 comparisons in total. If no row passes the filter the result is the sentinel — the cell-size rule on the
// row count (applied by the caller) withholds it.
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class Extremes
{
    /// <summary>Minimum (or maximum when <paramref name="maximum"/>) of x over rows with mask 1 (all rows when null).</summary>
    public static SecretVector Reduce(IComputeEngine e, SecretVector x, SecretVector? mask, double magnitude, bool maximum)
    {
        ColumnBounds.Check(4 * magnitude + 4, "Minimum/maximum sentinel");
        long sentinel = (long)(2 * magnitude + 2) * (maximum ? -1 : 1);
        var v = x;
        if (mask is not null)
        {
            // v = mask·x + (1 − mask)·sentinel = sentinel + mask·(x − sentinel)
            v = e.AddPublic(e.Multiply(mask, e.AddPublic(x, unchecked((ulong)-sentinel))), unchecked((ulong)sentinel));
        }
        if (maximum) v = e.MultiplyPublic(v, ulong.MaxValue);                   // max(x) = −min(−x)
        while (v.Length > 1)
        {
            int pairs = v.Length / 2;
            var a = e.Gather(v, Enumerable.Range(0, pairs).Select(i => 2 * i).ToArray());
            var b = e.Gather(v, Enumerable.Range(0, pairs).Select(i => 2 * i + 1).ToArray());
            var aSmaller = e.ToArithmetic(e.LessThan(a, b));
            var winners = e.Add(b, e.Multiply(aSmaller, e.Subtract(a, b)));
            v = v.Length % 2 == 1 ? e.Concat([winners, e.Gather(v, [v.Length - 1])]) : winners;
        }
        return maximum ? e.MultiplyPublic(v, ulong.MaxValue) : v;
    }
}
