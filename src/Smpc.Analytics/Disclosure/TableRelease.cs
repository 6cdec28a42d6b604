// Disclosure control of a table of cells, inside the computation, then the release.
//
// Order of operations (nothing is opened before step 3, and step 3 opens bits only):
//  1. optional differential privacy: jointly drawn discrete Laplace noise on the interior cells' counts and sums
//     (Disclosure/DistributedNoise.cs), ε split evenly over the noised quantities; margins are sums of noisy cells;
//  2. the cell-size rule [count < k] (k = MinCellSize, at least 1 for means and 2 for variances) — a secure
//     comparison of the shared (noisy, under DP) count with the public threshold — and the p% rule when asked;
//     when a measured column has missing values, the count is the complete cases and the missing-value rule
//     (Disclosure/PresenceRule.cs) also withholds a cell with 1 … k − 1 rows without the value;
//  3. only those bits are opened, to the compute parties (they need the pattern) and, as the status column,
//     to the analyst;
//  4. complementary suppression on the public pattern (Disclosure/ComplementarySuppression.cs);
//  4b. the study-wide disclosure model (Disclosure/Audit/DisclosureLedger.cs), when the study keeps one: the pattern
//     is checked against the study's earlier releases and the table's own cells, and more cells withheld if needed;
//  5. statistics are computed for released cells only; counts are rounded on shares (to the nearest multiple of
//     the rounding base); then the released cells' values — and nothing else — are revealed to the analyst.
// A suppressed cell's count, sum or mean is never passed to a Reveal call.
// Reference: Hundepool et al., "Statistical Disclosure Control" (Wiley 2012), ch. 5 (tables: threshold rule,
// dominance, secondary suppression, rounding).
// Security: semi-honest, honest majority. Leakage: suppression bits (to parties and analyst) and the released
// values (to the analyst); see LEAKAGE.md. Cost: one comparison round-set for the rules, one bit opening, then
// the statistics' own costs on released cells only.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Disclosure;

public static class TableRelease
{
    /// <summary>Secret inputs of the p% rule per cell (all cells, layout order) and the largest possible total.</summary>
    public sealed record DominanceInput(SecretVector Total, SecretVector First, SecretVector Second, double MaxTotal);

    /// <param name="rows">Each cell's row count regardless of missing values, when a measured column has them (totals.Count is
    /// then the complete cases): adds the missing-value rule and the released row counts (Disclosure/PresenceRule.cs).</param>
    public static ReleasedTable Release(CellTotals totals, IReadOnlyList<Measure> measures, DisclosureRules rules, IReadOnlyList<DominanceInput>? dominance = null,
                                        SecretVector? rows = null, ReleaseAudit? audit = null)
    {
        rules.Validate();
        var e = totals.Engine;
        var layout = totals.Layout;
        int threshold = Math.Max(rules.MinCellSize, measures.Select(m => m.MinimumCount).DefaultIfEmpty(0).Max());
        if (threshold < 1 && measures.Any(m => m.Statistic == Statistic.Mean)) threshold = 1;

        // 1. Differential privacy: noisy interior counts and sums.
        Noisy? noisy = rules.Epsilon is { } eps ? AddNoise(totals, measures, eps) : null;
        var countForRule = noisy?.Count ?? totals.Count;

        // 2–3. Rules on shares; open the bits only.
        var small = e.RevealToParties(e.LessThan(countForRule, (ulong)threshold), $"cell-size rule (count < {threshold}): suppressed or not, per cell");
        bool[]? dominant = null;
        if (rules.DominanceP is { } p && dominance is { Count: > 0 })
        {
            var bits = dominance.Select(d => DominanceRule.Sensitive(e, d.Total, d.First, d.Second, p, d.MaxTotal)).Aggregate(e.Or);
            dominant = e.RevealToParties(bits, $"p% rule (p = {p}): sensitive or not, per cell");
        }
        var status = new SuppressionReason[layout.Count];
        for (int c = 0; c < status.Length; c++)
            status[c] = small[c] ? SuppressionReason.CellSize : dominant?[c] == true ? SuppressionReason.Dominance : SuppressionReason.Released;
        if (rows is not null) PresenceRule.Apply(e, totals.Count, rows, rules.MinCellSize, status);

        // 4. Complementary suppression on the public pattern.
        var all = ComplementarySuppression.Apply(layout, status.Select(s => s != SuppressionReason.Released).ToArray());
        for (int c = 0; c < status.Length; c++)
            if (all[c] && status[c] == SuppressionReason.Released) status[c] = SuppressionReason.Complementary;
        string?[]? detail = null;
        if (audit is not null && noisy is null) (status, detail) = audit.Apply(totals, measures, rules, status, rows);

        // 5. Statistics of released cells only, then the release.
        var released = Enumerable.Range(0, layout.Count).Where(c => status[c] == SuppressionReason.Released).ToArray();
        var results = new List<ReleasedMeasure>();
        foreach (var m in measures)
        {
            var values = new double?[layout.Count];
            if (released.Length == 0) { results.Add(new ReleasedMeasure(m, values, 0, "", null)); continue; }
            var (secret, scale, bound, formula, noiseSd, postDivide) = noisy is null
                ? Exact(totals, m, released, rules)
                : FromNoisy(totals, noisy, m, released);
            var raw = e.Reveal(secret, $"release {m.Label} of {released.Length} cells");
            double unit = Math.ScaleB(1.0, -scale);
            for (int k = 0; k < released.Length; k++)
            {
                double v = (long)raw[k] * unit;
                if (postDivide is not null) v = postDivide[k] is var d && d > 0 ? v / d : double.NaN;
                values[released[k]] = v;
            }
            if (noisy is not null && m.Statistic == Statistic.Count && rules.RoundingBase > 1)
                for (int k = 0; k < released.Length; k++) values[released[k]] = Math.Round(values[released[k]]!.Value / rules.RoundingBase) * rules.RoundingBase;
            results.Add(new ReleasedMeasure(m, values, bound, formula, noiseSd));
        }
        if (audit is not null && noisy is null) audit.Record(totals, measures, rules, status, rows);
        var table = new ReleasedTable(layout, status, results, rules.Describe().ToArray(), rules) { Details = detail };
        return rows is null ? table : table with { RowCounts = PresenceRule.Release(e, rows, released, rules.RoundingBase, totals.Rows) };
    }

    sealed record Noisy(SecretVector Count, SecretVector? WeightTotal, Dictionary<string, SecretVector> Sums, double Epsilon, Dictionary<string, double> NoiseSd);

    static Noisy AddNoise(CellTotals t, IReadOnlyList<Measure> measures, double epsilon)
    {
        var e = t.Engine;
        var layout = t.Layout;
        foreach (var m in measures)
            if (m.Statistic is Statistic.Variance or Statistic.StdDev)
                throw new QueryException($"{m.Label}: under differential privacy only counts, sums and means are released; variances need their own noisy sums of squares, which this release does not draw.");
        var sumColumns = measures.Where(m => m.Statistic is Statistic.Sum or Statistic.Mean).Select(m => m.Column!).Distinct().ToArray();
        bool weightTotal = t.WeightTotal is not null && measures.Any(m => m.Statistic is Statistic.Count or Statistic.Mean);
        int quantities = 1 + sumColumns.Length + (weightTotal ? 1 : 0);
        double each = epsilon / quantities;
        var interior = Enumerable.Range(0, layout.InteriorCount).ToArray();
        var sd = new Dictionary<string, double>();
        SecretVector Noised(SecretVector v, double sensitivity, string key)
        {
            var noise = DistributedNoise.DiscreteLaplace(e, layout.InteriorCount, each, sensitivity);
            sd[key] = Math.Sqrt(DistributedNoise.Variance(DistributedNoise.Alpha(each, sensitivity)));
            return CellAggregator.WithMargins(e, layout, e.Add(e.Gather(v, interior), noise));
        }
        double wmax = t.Weight is null ? 1 : ColumnBounds.Magnitude(t.Weight);
        var count = Noised(t.Count, 1, "count");
        var wt = weightTotal ? Noised(t.WeightTotal!, Math.Max(1, wmax), "weight") : null;
        var sums = new Dictionary<string, SecretVector>();
        foreach (var c in sumColumns)
        {
            var exact = Moments.Sum(t, c, Enumerable.Range(0, layout.Count).ToArray()).Values;
            sums[c] = Noised(exact, Math.Max(1, wmax * ColumnBounds.Magnitude(t.Column(c).Spec)), c);
        }
        return new Noisy(count, wt, sums, epsilon, sd);
    }

    static (SecretVector, int, double, string, double?, double[]?) Exact(CellTotals t, Measure m, int[] cells, DisclosureRules rules)
    {
        var r = m.Statistic switch
        {
            Statistic.Count => Moments.Count(t, cells),
            Statistic.Sum => Moments.Sum(t, m.Column!, cells),
            Statistic.Mean => Moments.Mean(t, m.Column!, cells),
            Statistic.Variance => Moments.Variance(t, m.Column!, cells),
            _ => Moments.StdDev(t, m.Column!, cells),
        };
        var e = t.Engine;
        // Under rounding, a sum of a 0/1 column is a count and is rounded like one; a mean of a 0/1 column (a rate) is the
        // rounded count of ones over the rounded count, so that neither gives back an unrounded count.
        bool zeroOne = rules.RoundingBase > 1 && m.Column is not null && t.Weight is null && t.Column(m.Column).Spec.Kind == ColumnKind.Boolean;
        SecretVector Rounded(SecretVector values, int scale)
        {
            ulong b = (ulong)rules.RoundingBase << scale;
            double max = t.Rows * (t.Weight is null ? 1 : ColumnBounds.Magnitude(t.Weight)) + b;
            int bits = SecureDivision.BitsFor(max / b) + 1;
            return e.MultiplyPublic(SecureDivision.DividePublic(e, e.AddPublic(values, b / 2), b, bits), b);
        }
        if (rules.RoundingBase > 1 && (m.Statistic == Statistic.Count || (zeroOne && m.Statistic == Statistic.Sum)))
            return (Rounded(r.Values, r.Scale), r.Scale, rules.RoundingBase / 2.0, $"{r.Formula}, rounded to a multiple of {rules.RoundingBase}", null, null);
        if (zeroOne && m.Statistic == Statistic.Mean)
        {
            var ones = Moments.Sum(t, m.Column!, cells);
            var count = Moments.Count(t, cells);
            var denominator = e.Reveal(Rounded(count.Values, count.Scale), $"release rounded count (denominator of {m.Label}) of {cells.Length} cells");
            var d = denominator.Select(x => (long)x * Math.ScaleB(1.0, -count.Scale)).ToArray();
            return (Rounded(ones.Values, ones.Scale), ones.Scale, 0, $"rate of rounded counts: (Σx rounded to {rules.RoundingBase}) / (count rounded to {rules.RoundingBase})", null, d);
        }
        return (r.Values, r.Scale, r.ErrorBound, r.Formula, null, null);
    }

    static (SecretVector, int, double, string, double?, double[]?) FromNoisy(CellTotals t, Noisy noisy, Measure m, int[] cells)
    {
        var e = t.Engine;
        int sumScale = m.Column is null ? 0 : t.Column(m.Column).Spec.Scale + t.WeightScale;
        switch (m.Statistic)
        {
            case Statistic.Count:
            {
                var v = noisy.WeightTotal ?? noisy.Count;
                return (e.Gather(v, cells), t.WeightTotal is null ? 0 : t.WeightScale, 0, "count + discrete Laplace noise", Unit(noisy.NoiseSd[noisy.WeightTotal is null ? "count" : "weight"], t.WeightTotal is null ? 0 : t.WeightScale), null);
            }
            case Statistic.Sum:
                return (e.Gather(noisy.Sums[m.Column!], cells), sumScale, 0, "Σx + discrete Laplace noise", Unit(noisy.NoiseSd[m.Column!], sumScale), null);
            default:
            {
                // Mean = noisy sum / noisy count: post-processing of two noisy releases (no extra privacy cost).
                var denominator = e.Reveal(e.Gather(noisy.WeightTotal ?? noisy.Count, cells), $"release noisy denominator of {m.Label} for {cells.Length} cells");
                int dscale = noisy.WeightTotal is null ? 0 : t.WeightScale;
                var d = denominator.Select(x => (long)x * Math.ScaleB(1.0, -dscale)).ToArray();
                return (e.Gather(noisy.Sums[m.Column!], cells), sumScale, 0, "noisy Σx / noisy count", null, d);
            }
        }
    }

    static double Unit(double encodedSd, int scale) => encodedSd * Math.ScaleB(1.0, -scale);
}
