// The p% dominance rule for cell sums, evaluated on shares.
//
// What: a cell with total T and largest contributions x1 ≥ x2 is sensitive when T − x1 − x2 < (p/100)·x1
// (the second-largest contributor could estimate x1 to within p%). Each row is one contributor. For a column that
// may be negative (declared minimum < 0, e.g. an account balance) the rule is applied to absolute contributions
// |x| = x·(1 − 2·[x < 0]) and T = Σ|x| per cell (sensitivity rules on absolute values for magnitude tables with
// negative contributions, Hundepool et al. 2012 §4.2). The two largest contributions per cell come from a segmented
// tournament: every cell's masked column (I_cell ⊙ w ⊙ x, zero outside the cell) is reduced pairwise, merging
// (a1, a2) and (b1, b2) into (max(a1, b1), max(min(a1, b1), a1 < b1 ? b2 : a2)); margins merge their cells' pairs.
// Only the sensitivity bit is opened (with the cell-size bit), never T, x1 or x2. The same rule guards the column's
// order statistics (min, max, quantiles): Disclosure/OrderStatisticRule.cs.
// Reference: Hundepool et al., "Statistical Disclosure Control" (Wiley 2012), §4.2.2 (p% rule); tournament
// for the two largest elements: Knuth, TAOCP vol. 3, §5.3.3.
// Security: semi-honest, honest majority. Leakage: none beyond the opened rule bit (comparison outcomes stay
// shared; the tournament's shape depends only on the public cell layout).
// Cost: |x| for signed columns adds one comparison batch over n and one product round; per tournament level one batch of
// three comparisons per pair, one bit injection and two product rounds (12 rounds);
// ⌈log2 n⌉ levels; about 3·cells·n comparisons in total — meant for business tables of moderate size.
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Disclosure;

public static class DominanceRule
{
    /// <summary>Secret (x1, x2) per cell of the layout (interior and margins) from the masked contribution vector.</summary>
    public static (SecretVector First, SecretVector Second) TopTwo(IComputeEngine e, CellLayout layout, IReadOnlyList<Dimension> dims, SecretVector contributions)
    {
        int n = contributions.Length;
        // Per interior cell, the contributions of its rows (zero elsewhere), concatenated.
        IReadOnlyList<SecretVector> perCell;
        if (dims.Count == 0) perCell = [contributions];
        else if (dims.Count == 1)
        {
            var inds = dims[0].Indicators;
            var products = e.Multiply(e.Concat(inds), e.Concat(inds.Select(_ => contributions).ToArray()));
            perCell = [products];
        }
        else
        {
            var a = dims[0].Indicators; var b = dims[1].Indicators;
            var u = e.Multiply(e.Concat(a), e.Concat(a.Select(_ => contributions).ToArray()));
            var left = e.Concat(Enumerable.Range(0, a.Count).SelectMany(i => b.Select(_ => e.Gather(u, Enumerable.Range(i * n, n).ToArray()))).ToArray());
            var right = e.Concat(Enumerable.Range(0, a.Count).SelectMany(_ => b).ToArray());
            perCell = [e.Multiply(left, right)];
        }
        var values = perCell[0];
        var lengths = Enumerable.Repeat(n, layout.InteriorCount).ToArray();
        var (top1, top2) = Segmented(e, values, e.Public(new ulong[values.Length]), lengths);
        if (layout.Count == layout.InteriorCount) return (top1, top2);
        // Margins: merge the pairs of the interior cells each margin covers.
        var marginParts = Enumerable.Range(layout.InteriorCount, layout.Count - layout.InteriorCount).Select(layout.InteriorOf).ToArray();
        var idx = marginParts.SelectMany(p => p).ToArray();
        var (m1, m2) = Segmented(e, e.Gather(top1, idx), e.Gather(top2, idx), marginParts.Select(p => p.Length).ToArray());
        return (e.Concat([top1, m1]), e.Concat([top2, m2]));
    }

    /// <summary>Secret (x1, x2) of one cell holding every element of <paramref name="contributions"/> (zero outside the cell).</summary>
    public static (SecretVector First, SecretVector Second) TopTwo(IComputeEngine e, SecretVector contributions) =>
        Segmented(e, contributions, e.Public(new ulong[contributions.Length]), [contributions.Length]);

    /// <summary>|x| on shares: x·(1 − 2·[x &lt; 0]) (one comparison batch and one product round).</summary>
    public static SecretVector Absolute(IComputeEngine e, SecretVector x)
    {
        var negative = e.ToArithmetic(e.LessThan(x, 0UL));
        return e.Multiply(x, e.AddPublic(e.MultiplyPublic(negative, unchecked((ulong)-2L)), 1));
    }

    /// <summary>Σ contributions per cell of the layout: interior cells by dot products with the indicators (two
    /// dimensions: one product round first), margins as sums of their interior cells (local).</summary>
    public static SecretVector CellSums(IComputeEngine e, CellLayout layout, IReadOnlyList<Dimension> dims, SecretVector contributions)
    {
        int n = contributions.Length;
        SecretVector interior;
        if (dims.Count == 0) interior = e.Sum(contributions);
        else if (dims.Count == 1) interior = e.Dot(dims[0].Indicators.Select(ind => (ind, contributions)).ToArray());
        else
        {
            var a = dims[0].Indicators; var b = dims[1].Indicators;
            var u = e.Multiply(e.Concat(a), e.Concat(a.Select(_ => contributions).ToArray()));
            interior = e.Dot(Enumerable.Range(0, a.Count)
                .SelectMany(i => b.Select(ind => (e.Gather(u, Enumerable.Range(i * n, n).ToArray()), ind))).ToArray());
        }
        return CellAggregator.WithMargins(e, layout, interior);
    }

    /// <summary>Reduces consecutive segments of (first, second) pairs to one pair per segment.</summary>
    static (SecretVector, SecretVector) Segmented(IComputeEngine e, SecretVector first, SecretVector second, int[] lengths)
    {
        var len = (int[])lengths.Clone();
        while (len.Any(l => l > 1))
        {
            var left = new List<int>(); var right = new List<int>(); var carry = new List<int>();
            var newLen = new int[len.Length];
            int off = 0;
            // Output order: per segment, its merged pairs then its carried element.
            var order = new List<(bool Merged, int Index)>();
            for (int s = 0; s < len.Length; s++)
            {
                int l = len[s];
                for (int j = 0; j < l / 2; j++) { order.Add((true, left.Count)); left.Add(off + 2 * j); right.Add(off + 2 * j + 1); }
                if (l % 2 == 1) { order.Add((false, carry.Count)); carry.Add(off + l - 1); }
                newLen[s] = (l + 1) / 2;
                off += l;
            }
            var (m1, m2) = Merge(e, e.Gather(first, left.ToArray()), e.Gather(second, left.ToArray()),
                                    e.Gather(first, right.ToArray()), e.Gather(second, right.ToArray()));
            var c1 = e.Gather(first, carry.ToArray()); var c2 = e.Gather(second, carry.ToArray());
            var place = order.Select(o => o.Merged ? o.Index : left.Count + o.Index).ToArray();
            first = e.Gather(e.Concat([m1, c1]), place);
            second = e.Gather(e.Concat([m2, c2]), place);
            len = newLen;
        }
        return (first, second);
    }

    /// <summary>(a1, a2) ⊕ (b1, b2) with a1 ≥ a2, b1 ≥ b2: the three comparisons [a1 &lt; b1], [a1 &lt; b2], [b1 &lt; a2] in one
    /// batch, then first = max(a1, b1) and both candidates for the second, max(a1, b2) (when b1 wins) and max(b1, a2) (when
    /// a1 wins), in one product round, and the pick in a second (12 rounds).</summary>
    static (SecretVector, SecretVector) Merge(IComputeEngine e, SecretVector a1, SecretVector a2, SecretVector b1, SecretVector b2)
    {
        int k = a1.Length;
        var bits = e.ToArithmetic(e.LessThan(e.Concat([a1, a1, b1]), e.Concat([b1, b2, a2])));
        var products = e.Multiply(bits, e.Concat([e.Subtract(b1, a1), e.Subtract(b2, a1), e.Subtract(a2, b1)]));
        SecretVector Part(SecretVector v, int t) => e.Gather(v, Enumerable.Range(t * k, k).ToArray());
        var top = e.Add(a1, Part(products, 0));                             // max(a1, b1)
        var ifB = e.Add(a1, Part(products, 1));                             // max(a1, b2): second when b1 wins
        var ifA = e.Add(b1, Part(products, 2));                             // max(b1, a2): second when a1 wins
        var second = e.Add(ifA, e.Multiply(Part(bits, 0), e.Subtract(ifB, ifA)));
        return (top, second);
    }

    /// <summary>Shared bits: T − x1 − x2 &lt; (p/100)·x1, evaluated as 100·2^8·(T − x1 − x2) &lt; round(p·2^8)·x1.</summary>
    public static SecretBits Sensitive(IComputeEngine e, SecretVector total, SecretVector x1, SecretVector x2, double p, double maxTotal)
    {
        ulong pScaled = (ulong)Math.Round(p * 256);
        ColumnBounds.Check(maxTotal * 25600, "Dominance rule: 100·2^8 × cell total");
        ColumnBounds.Check(maxTotal * pScaled, "Dominance rule: p·2^8 × largest contribution");
        var rest = e.MultiplyPublic(e.Subtract(e.Subtract(total, x1), x2), 25600);
        return e.LessThan(rest, e.MultiplyPublic(x1, pScaled));
    }
}
