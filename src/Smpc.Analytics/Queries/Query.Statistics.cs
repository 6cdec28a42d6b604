using Microsoft.Data.Analysis;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Queries;

public sealed partial record Query
{
    /// <summary>Quantiles of a numeric column (type 7; weighted: inverse weighted distribution function).</summary>
    public QueryResult Quantile(string column, params double[] probabilities)
    {
        Quantiles.CheckProbabilities(probabilities);
        return Single("quantile", [column], $"quantile({column}; {string.Join(", ", probabilities)})", (rules, notes) =>
        {
            var spec = Numeric(column, "Quantile");
            var (mask, weighted) = CellAggregator.RowMask(Table, [column], Filter, Weight);
            SecretVector? weights = Weight is null ? null : Table[Weight].Values;
            bool reveal = GroupSizes == GroupSizeDisclosure.RevealToComputeParties;
            if (reveal && mask is not null) notes.Add("the number of rows in the subset was revealed to the compute parties (GroupSizeDisclosure.RevealToComputeParties)");
            var count = mask is null ? null : Table.Engine.Sum(mask);
            var r = Quantiles.Compute(Table.Engine, Table[column].Values!, spec, mask, weights, probabilities, reveal);
            notes.Add(Weight is null ? "quantile definition: linear interpolation between order statistics (type 7)" : $"weighted quantile: smallest value whose cumulative weight ({Weight}) reaches q·Σw");
            var names = probabilities.Select(q => q == 0.5 ? $"median({column})" : $"quantile({column}, {q})").ToArray();
            var withheld = OrderStatisticRule(rules, column, mask, weighted, r.Values, r.Scale);
            return ReleaseValues(rules, names, r.Values, r.Scale, mask is null ? Table.RowCount : r.PublicCount, count, 0, withheld);
        }, orderStatisticOf: column);
    }

    public QueryResult Median(string column) => Quantile(column, 0.5);
    public QueryResult Min(string column) => Extreme(column, maximum: false);
    public QueryResult Max(string column) => Extreme(column, maximum: true);

    QueryResult Extreme(string column, bool maximum) =>
        Single(maximum ? "max" : "min", [column], $"{(maximum ? "max" : "min")}({column})", (rules, notes) =>
        {
            var spec = Numeric(column, maximum ? "Max" : "Min");
            var (mask, _) = CellAggregator.RowMask(Table, [column], Filter, null);
            var v = Extremes.Reduce(Table.Engine, Table[column].Values!, mask, ColumnBounds.Magnitude(spec), maximum);
            var count = mask is null ? null : Table.Engine.Sum(mask);
            var withheld = OrderStatisticRule(rules, column, mask, null, [v], spec.Scale);
            return ReleaseValues(rules, [$"{(maximum ? "max" : "min")}({column})"], [v], spec.Scale, mask is null ? Table.RowCount : null, count, 0, withheld);
        }, orderStatisticOf: column);

    /// <summary>Pearson correlation of two numeric columns over complete cases.</summary>
    public QueryResult Correlation(string x, string y) =>
        Single("correlation", [x, y], $"correlation({x}, {y})", (rules, notes) =>
        {
            Numeric(x, "Correlation"); Numeric(y, "Correlation");
            bool precise = Statistics.Correlation.PreciseFits(Table.RowCount, Weight is null ? 1 : ColumnBounds.Magnitude(Table[Weight].Spec));
            var gram = NormalizedGram.Compute(Table, [x, y], Filter, Weight, center: true, preciseLastColumn: precise);
            var r = Statistics.Correlation.Pearson(gram);
            notes.Add(Statistics.Correlation.Note(gram));
            bool plain = Filter is null && Weight is null && !new[] { x, y }.Any(c => Table[c].Present is not null);
            return ReleaseValues(rules, [$"correlation({x}, {y})"], [r], NormalizedGram.Fs, plain ? Table.RowCount : null, gram.Rows, 0);
        });

    /// <summary>Ordinary least squares with an intercept: coefficients, standard errors and R², solved on shares.</summary>
    public QueryResult Ols(string response, params string[] covariates)
    {
        if (covariates.Length == 0) throw new QueryException("OLS needs at least one covariate.");
        if (covariates.Contains(response)) throw new QueryException($"'{response}' is both the response and a covariate.");
        return Single("ols", [response, .. covariates], $"ols({response} ~ {string.Join(" + ", covariates)})", (rules, notes) =>
        {
            foreach (var c in covariates.Append(response)) Numeric(c, "OLS");
            WeightKind? kind = null;
            if (Weight is not null)
            {
                kind = Kind();
                if (ColumnBounds.Of(Table[Weight].Spec, $"Weighting by '{Weight}'").Min < 0)
                    throw new QueryException($"Weight column '{Weight}' declares a negative minimum; weights must be non-negative.");
            }
            var gram = NormalizedGram.Compute(Table, [.. covariates, response], Filter, Weight, center: true, preciseLastColumn: true);
            var fit = Regression.Solve(gram, kind);
            int k = covariates.Length + 1;
            bool plain = Filter is null && Weight is null && !covariates.Append(response).Any(c => Table[c].Present is not null);
            var e = Table.Engine;
            var threshold = Math.Max(rules.MinCellSize, k + 1);
            bool suppressed = plain ? Table.RowCount < threshold
                : e.RevealToParties(e.LessThan(fit.Rows, (ulong)threshold), $"cell-size rule on the regression's rows (count < {threshold})")[0];
            var terms = new[] { "(intercept)" }.Concat(covariates).Append("R²").ToArray();
            double?[] coef = new double?[k + 1], se = new double?[k + 1];
            if (!suppressed)
            {
                var raw = e.Reveal(e.Concat([fit.Coefficients, fit.StandardErrors, fit.RSquared]), "release OLS coefficients, standard errors and R²");
                double unit = Math.ScaleB(1.0, -NormalizedGram.Fs), seUnit = Math.ScaleB(1.0, -Regression.SeScale);
                var ySpec = gram.Specs[^1];
                // Public rescaling from normalised, centred units to original units (Statistics/Regression.cs).
                double intercept = (long)raw[0] * unit;
                for (int j = 1; j < k; j++)
                {
                    double factor = Math.ScaleB(1.0, gram.Shift[k] - gram.Shift[j] + gram.Specs[j - 1].Scale - ySpec.Scale);
                    coef[j] = (long)raw[j] * unit * factor;
                    se[j] = (long)raw[k + j] * seUnit * factor;
                    intercept -= (long)raw[j] * unit * gram.Center[j] * Math.ScaleB(1.0, -gram.Shift[j]);
                }
                coef[0] = (gram.Center[k] + Math.ScaleB(intercept, gram.Shift[k])) * Math.ScaleB(1.0, -ySpec.Scale);
                se[0] = (long)raw[k] * seUnit * Math.ScaleB(1.0, gram.Shift[k] - ySpec.Scale);
                coef[k] = (long)raw[2 * k] * unit;
            }
            notes.Add("solved on shares (Gauss–Jordan at 20 fraction bits); X'X was not revealed; numerical error well below 1% of each coefficient's standard error on well-conditioned designs");
            if (kind is { } wk) notes.Add(wk switch
            {
                Statistics.WeightKind.Frequency => $"weighted least squares with frequency weights '{Weight}': n = Σ{Weight} (rows with weight 0 do not count), σ² = Σw·e² / (Σw − k)",
                Statistics.WeightKind.Analytic => $"weighted least squares with analytic weights '{Weight}': n = rows with positive weight, σ² = Σw·e² / (n − k) with the weights normalised to sum to n",
                _ => $"weighted least squares with probability weights '{Weight}': design-based (linearisation) standard errors, V = (X'WX)⁻¹ (Σ w²e² x x') (X'WX)⁻¹ · n/(n − 1), each row its own sampling unit, no strata or clusters",
            });
            if (kind is not null) notes.Add($"the minimum cell size applies to the rows with positive weight, not to Σ{Weight}");
            var frame = new DataFrame(new StringDataFrameColumn("term", terms), new DoubleDataFrameColumn("coefficient", coef),
                new DoubleDataFrameColumn("std_error", se), Status(terms.Length, suppressed, rules, "status"), Status(terms.Length, suppressed, rules, "rule"));
            return frame;
        });
    }

    ColumnSpec Numeric(string column, string what)
    {
        var spec = Table[column].Spec;
        ColumnBounds.Of(spec, $"{what} of '{column}'");
        return spec;
    }

    static StringDataFrameColumn Status(int rows, bool suppressed, DisclosureRules rules, string which) =>
        new(which, Enumerable.Repeat(which == "status" ? (suppressed ? "suppressed" : "released") : (suppressed ? SuppressionReason.CellSize.Rule(rules) : ""), rows));

    /// <summary>
    /// The p% rule for order statistics (Disclosure/OrderStatisticRule.cs) when the terms apply it to
    /// <paramref name="column"/>: evaluated on shares, one bit per statistic opened; null when the rule does not apply.
    /// </summary>
    bool[]? OrderStatisticRule(DisclosureRules rules, string column, SecretVector? mask, SecretVector? weighted, SecretVector[] values, int scale)
    {
        if (!rules.DominanceAppliesTo(column) || values.Length == 0) return null;
        var e = Table.Engine;
        double wmax = weighted is null || Weight is null ? 1 : ColumnBounds.Magnitude(Table[Weight].Spec);
        var bits = Analytics.Disclosure.OrderStatisticRule.Withhold(e, Table[column].Values!, Table[column].Spec, mask, weighted, wmax, values, scale, rules);
        return e.RevealToParties(bits, $"p% rule on order statistics of {column} (p = {rules.DominanceP}; at least {Analytics.Disclosure.OrderStatisticRule.MinimumBeyond(rules)} rows at or beyond): withheld or not, per statistic");
    }

    /// <summary>Cell-size rule on the rows used (public count, or a secure comparison of the shared count), then the
    /// release of the statistics not <paramref name="withheld"/> by the p% rule for order statistics.</summary>
    DataFrame ReleaseValues(DisclosureRules rules, string[] names, SecretVector[] values, int scale, int? publicCount, SecretVector? secretCount, int minimum,
                            bool[]? withheld = null)
    {
        var e = Table.Engine;
        int threshold = Math.Max(Math.Max(rules.MinCellSize, minimum), 1);
        bool suppressed = publicCount is { } c ? c < threshold
            : e.RevealToParties(e.LessThan(secretCount!, (ulong)threshold), $"cell-size rule on the rows used (count < {threshold})")[0];
        var status = Enumerable.Range(0, names.Length).Select(i => suppressed ? SuppressionReason.CellSize
            : withheld?[i] == true ? SuppressionReason.Dominance : SuppressionReason.Released).ToArray();
        var result = new double?[names.Length];
        var released = Enumerable.Range(0, Math.Min(names.Length, values.Length)).Where(i => status[i] == SuppressionReason.Released).ToArray();
        if (released.Length > 0)
        {
            var raw = e.Reveal(e.Concat(released.Select(i => values[i]).ToArray()), $"release {string.Join(", ", released.Select(i => names[i]))}");
            for (int k = 0; k < released.Length; k++) result[released[k]] = (long)raw[k] * Math.ScaleB(1.0, -scale);
        }
        return new DataFrame(new StringDataFrameColumn("statistic", names), new DoubleDataFrameColumn("value", result),
            new StringDataFrameColumn("status", status.Select(x => x.Status())), new StringDataFrameColumn("rule", status.Select(x => x.Rule(rules))));
    }

    QueryResult Single(string operation, string[] columns, string what, Func<DisclosureRules, List<string>, DataFrame> body, string? orderStatisticOf = null)
    {
        if (Groups.Count > 0) throw new QueryException($"{operation} is computed over the whole (filtered) table; group-by is available for counts, sums, means and variances.");
        var shape = new QueryShape { Operations = [operation], Columns = UsedColumns(columns), GroupSizes = GroupSizes, Epsilon = Epsilon };
        return Metered(shape, what, notes =>
        {
            // After admission: terms with an ε budget refuse it first, by their rule.
            if (Epsilon is not null) throw new QueryException($"{operation}: differential privacy (ε) applies to counts, sums and means only.");
            var rules = Rules with { Epsilon = null };
            var frame = body(rules, notes);
            var applied = rules.Describe().Take(1).ToList();
            if (orderStatisticOf is not null && rules.DominanceAppliesTo(orderStatisticOf)) applied.Add(Analytics.Disclosure.OrderStatisticRule.Describe(rules, orderStatisticOf));
            return (frame, applied, Table.RowCount, null);
        });
    }
}
