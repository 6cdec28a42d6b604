// The p% rule for order statistics (minimum, maximum, quantiles and the median), evaluated on shares.
//
// Why: a maximum is always one contributor's exact value, and a quantile interpolates between two contributors'
// values; so where the data-use terms protect a column's contributors with the p% rule, withholding the sum of a
// dominated cell is not enough — its maximum would release the dominant contribution itself, and two quantiles near
// the top (one at an order statistic, one just above it) would give it back by interpolation.
// What: on a column the p% rule applies to (DisclosureRules.DominanceAppliesTo), an order statistic v of a cell (the
// rows the statistic uses: filter, non-missing values, as the query selects them) is released only when
//  (1) the cell passes the p% rule exactly as a sum of that cell would: T − x1 − x2 ≥ (p/100)·x1 with T, x1, x2 the
//      cell's total and two largest contributions (weighted like the sum; |x| for a column that may be negative,
//      Disclosure/DominanceRule.cs); and
//  (2) at least k rows hold a value ≥ v and at least k rows a value ≤ v, k = max(minimum cell size, 3)
//      (OrderStatisticRule.MinimumBeyond). For a maximum (minimum) this means at least k rows share the released
//      value, so it is nobody's own value; for a quantile it means the k − 1 largest and smallest contributions
//      never enter it, whatever n and q an analyst combines. At least three, because with two the second
//      contributor — the p% rule's intruder — would learn the first's value exactly.
// Everything is computed on shares (|x|, the tournament for x1 and x2, 2n comparisons of the rows with v per
// statistic); one bit per statistic is opened to the compute parties and, as the status "suppressed" with the rule
// "dominance (p% rule, p = …)", to the analyst. T, x1, x2, v and the two counts are never opened.
// Reference: Hundepool et al., "Statistical Disclosure Control" (Wiley 2012), §4.2.2 (p% rule) and §5.2 (magnitude
// tables: a published extreme value must not be any single contributor's value).
// Security: semi-honest, honest majority. Leakage: the opened bit per statistic (see LEAKAGE.md).
// Cost: the p% tournament as for one cell of a sum (DominanceRule.cs), plus one batch of 2·s·n comparisons, one
// product round and one comparison batch for s statistics.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Disclosure;

public static class OrderStatisticRule
{
    /// <summary>Rows that must hold a value at or above, and at or below, a released order statistic: max(k, 3).</summary>
    public static int MinimumBeyond(DisclosureRules rules) => Math.Max(rules.MinCellSize, 3);

    /// <summary>The rule in words, for the result metadata.</summary>
    public static string Describe(DisclosureRules rules, string column) =>
        $"p% dominance rule for order statistics of {column}, p = {rules.DominanceP}: withheld when the cell fails the p% rule " +
        $"or fewer than {MinimumBeyond(rules)} rows hold a value at or above (or at or below) it (secure comparisons; one bit per statistic is opened)";

    /// <summary>
    /// Shared bits, one per value in <paramref name="values"/> (each a one-element vector at scale <paramref name="scale"/>):
    /// 1 when the value must be withheld under the p% rule for order statistics. <paramref name="mask"/> selects the
    /// cell's rows (null: every row); <paramref name="weighted"/> is mask ⊙ weight when the statistic is weighted.
    /// </summary>
    public static SecretBits Withhold(IComputeEngine e, SecretVector x, ColumnSpec spec, SecretVector? mask, SecretVector? weighted, double weightMagnitude,
                                      IReadOnlyList<SecretVector> values, int scale, DisclosureRules rules)
    {
        if (rules.DominanceP is not { } p) throw new InvalidOperationException("The p% rule is not set.");
        int n = x.Length, s = values.Count;
        if (n == 0 || s == 0) return e.LessThan(e.Public(new ulong[Math.Max(s, 1)]), 1UL);   // nothing to release: withhold
        var (lo, _) = ColumnBounds.Of(spec, $"Dominance rule on '{spec.Name}'");

        // (1) The p% rule on the cell, with the contributions a sum of this cell would use.
        var absolute = lo < 0 ? DominanceRule.Absolute(e, x) : x;
        var basis = weighted ?? mask;
        var contributions = basis is null ? absolute : e.Multiply(basis, absolute);
        var (x1, x2) = DominanceRule.TopTwo(e, contributions);
        var total = e.Sum(contributions);
        var each = new int[s];
        var sensitive = DominanceRule.Sensitive(e, e.Gather(total, each), e.Gather(x1, each), e.Gather(x2, each), p,
                                                n * weightMagnitude * ColumnBounds.Magnitude(spec));

        // (2) At least k rows at or above and at or below each value: count x < v and x > v on shares.
        int shift = scale - spec.Scale;
        if (shift < 0) throw new ArgumentOutOfRangeException(nameof(scale), scale, $"Order statistics of '{spec.Name}' are at scale 2^{spec.Scale} or finer.");
        ColumnBounds.Check(4 * ColumnBounds.Magnitude(spec) * Math.ScaleB(1.0, shift), $"Order-statistic rule on '{spec.Name}': comparisons at scale 2^{scale}");
        var xs = shift == 0 ? x : e.MultiplyPublic(x, 1UL << shift);
        var rows = e.Concat(Enumerable.Repeat(xs, s).ToArray());
        var broadcast = e.Concat(values.Select(v => e.Gather(v, new int[n])).ToArray());
        var beyond = e.ToArithmetic(e.LessThan(e.Concat([rows, broadcast]), e.Concat([broadcast, rows])));   // [x < v], then [x > v]
        if (mask is not null) beyond = e.Multiply(beyond, e.Concat(Enumerable.Repeat(mask, 2 * s).ToArray()));
        var m = mask is null ? e.Public([(ulong)n]) : e.Sum(mask);
        SecretVector Counts(int from) => e.Concat(Enumerable.Range(from, s)
            .Select(j => e.Subtract(m, e.Sum(e.Gather(beyond, Enumerable.Range(j * n, n).ToArray())))).ToArray());
        ulong k = (ulong)MinimumBeyond(rules);
        var fewAbove = e.LessThan(Counts(0), k);    // rows with x ≥ v = m − #[x < v]
        var fewBelow = e.LessThan(Counts(s), k);    // rows with x ≤ v = m − #[x > v]
        return e.Or(sensitive, e.Or(fewAbove, fewBelow));
    }
}
