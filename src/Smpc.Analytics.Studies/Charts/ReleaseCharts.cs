using System.Globalization;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies;

/// <summary>
/// Turns a release into chart data. Only released rows are read: a suppressed cell has no value (it was never
/// revealed) and is left out of bars, histograms, boxes and fitted lines; in a heatmap it is NaN (drawn empty and
/// labelled). Margins ("(all)") are not drawn.
/// </summary>
public static class ReleaseCharts
{
    /// <summary>The chart that suits a release when none is named.</summary>
    public static ChartKind Resolve(Release release, ChartKind kind = ChartKind.Auto) => kind != ChartKind.Auto ? kind : release.Family switch
    {
        StatisticFamily.Ols => ChartKind.Regression,
        StatisticFamily.Order when QuartileColumns(release) is not null => ChartKind.Box,
        _ when release.Request.Statistics.Contains(StatisticKind.Histogram) => ChartKind.Histogram,
        _ when release.KeyColumns.Count == 2 => ChartKind.Heatmap,
        _ when release.KeyColumns.Count == 1 => ChartKind.Bar,
        _ => ChartKind.None,
    };

    /// <param name="value">The statistic to draw for bars and heatmaps (default: the last statistic column).</param>
    public static ChartData? For(Release release, ChartKind kind = ChartKind.Auto, string? value = null)
    {
        var resolved = Resolve(release, kind);
        var rows = release.ReleasedRows.Where(r => !release.IsMargin(r)).ToArray();
        string title = release.Query;
        string keys = string.Join(" · ", release.KeyColumns);
        switch (resolved)
        {
            case ChartKind.None:
                return null;
            case ChartKind.Bar:
            {
                var y = value ?? release.ValueColumns[^1];
                CheckValue(release, y);
                if (release.Family == StatisticFamily.Ols) throw new QueryException("Draw a regression with the regression chart, not bars.");
                rows = rows.Where(r => release.Value(r, y) is not null).ToArray();
                return new BarChartData(title, keys, y, rows.Select(release.Label).ToArray(), rows.Select(r => release.Value(r, y)!.Value).ToArray());
            }
            case ChartKind.Histogram:
            {
                if (!release.Request.Statistics.Contains(StatisticKind.Histogram))
                    throw new QueryException($"A histogram chart needs a histogram release (--stat histogram --bins …); '{title}' is not one.");
                return new HistogramChartData(title, keys, rows.Select(release.Label).ToArray(), rows.Select(r => release.Value(r, "count")!.Value).ToArray());
            }
            case ChartKind.Heatmap:
            {
                if (release.KeyColumns.Count != 2)
                    throw new QueryException($"A heatmap needs two group-by columns; '{title}' has {release.KeyColumns.Count}.");
                var v = value ?? release.ValueColumns[^1];
                CheckValue(release, v);
                var interior = Enumerable.Range(0, release.RowCount).Where(r => !release.IsMargin(r)).ToArray();
                var ys = interior.Select(r => release.Key(r, release.KeyColumns[0])!).Distinct().ToArray();
                var xs = interior.Select(r => release.Key(r, release.KeyColumns[1])!).Distinct().ToArray();
                var z = new double[ys.Length * xs.Length];
                Array.Fill(z, double.NaN);
                foreach (var r in rows)
                    if (release.Value(r, v) is { } x)
                        z[Array.IndexOf(ys, release.Key(r, release.KeyColumns[0])) * xs.Length + Array.IndexOf(xs, release.Key(r, release.KeyColumns[1]))] = x;
                return new HeatmapChartData($"{title}: {v}", release.KeyColumns[1], release.KeyColumns[0], xs, ys, z);
            }
            case ChartKind.Box:
            {
                var c = QuartileColumns(release)
                    ?? throw new QueryException($"A box chart needs released quartiles (quantiles 0.25, 0.5 and 0.75, e.g. --stat quantiles); '{title}' has {string.Join(", ", release.ValueColumns)}.");
                double[] Col(string name) => rows.Select(r => release.Value(r, name)!.Value).ToArray();
                return new BoxChartData(title, keys, release.Request.Columns[0], rows.Select(release.Label).ToArray(),
                    Col(c.Lower), Col(c.Q1), Col(c.Median), Col(c.Q3), Col(c.Upper));
            }
            case ChartKind.Regression:
                return Regression(release, rows, title);
            default:
                throw new QueryException($"Unknown chart kind {resolved}.");
        }
    }

    static ChartData Regression(Release release, int[] rows, string title)
    {
        if (release.Family != StatisticFamily.Ols) throw new QueryException($"A regression chart needs an OLS release (--stat ols); '{title}' is not one.");
        var groups = release.KeyColumns.Take(release.KeyColumns.Count - 1).ToArray();
        string Group(int r) => groups.Length == 0 ? "fit" : string.Join(" · ", groups.Select(g => release.Key(r, g)));
        var covariates = release.Request.Columns.Skip(1).ToArray();
        var byGroup = rows.GroupBy(Group).ToArray();
        double? Term(IEnumerable<int> g, string term, string column) =>
            g.Where(r => release.Key(r, "term") == term).Select(r => release.Value(r, column)).FirstOrDefault();
        if (covariates.Length == 1 && release.CovariateRange is { } range)
        {
            var fits = byGroup.Select(g => (g.Key, Intercept: Term(g, "(intercept)", "coefficient"), Slope: Term(g, covariates[0], "coefficient")))
                .Where(f => f.Intercept is not null && f.Slope is not null).ToArray();
            return new FitChartData(title, covariates[0], release.Request.Columns[0], fits.Select(f => f.Key).ToArray(),
                fits.Select(f => f.Intercept!.Value).ToArray(), fits.Select(f => f.Slope!.Value).ToArray(), range.Min, range.Max);
        }
        var terms = new List<string>(); var coefficients = new List<double>(); var widths = new List<double>();
        foreach (var g in byGroup)
            foreach (var c in covariates)
                if (Term(g, c, "coefficient") is { } b && Term(g, c, "std_error") is { } se)
                {
                    terms.Add(groups.Length == 0 ? c : $"{g.Key} · {c}");
                    coefficients.Add(b);
                    widths.Add(1.96 * se);
                }
        return new CoefficientChartData(title, [.. terms], [.. coefficients], [.. widths]);
    }

    static void CheckValue(Release release, string column)
    {
        if (!release.ValueColumns.Contains(column))
            throw new QueryException($"The release has no statistic '{column}' to draw. Statistics: {string.Join(", ", release.ValueColumns)}.");
    }

    sealed record Quartiles(string Lower, string Q1, string Median, string Q3, string Upper);

    /// <summary>The columns of a box: quartiles, and as whiskers min/max when released, else the outermost quantiles.</summary>
    static Quartiles? QuartileColumns(Release release)
    {
        var quantiles = new List<(double P, string Column)>();
        foreach (var c in release.ValueColumns)
        {
            if (c.StartsWith("median(", StringComparison.Ordinal)) quantiles.Add((0.5, c));
            else if (c.StartsWith("quantile(", StringComparison.Ordinal) && c.LastIndexOf(", ", StringComparison.Ordinal) is int at and > 0
                     && double.TryParse(c[(at + 2)..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double p)) quantiles.Add((p, c));
        }
        string? At(double p) => quantiles.Where(q => Math.Abs(q.P - p) < 1e-12).Select(q => q.Column).FirstOrDefault();
        if (At(0.25) is not { } q1 || At(0.5) is not { } median || At(0.75) is not { } q3) return null;
        var lower = release.ValueColumns.FirstOrDefault(c => c.StartsWith("min(", StringComparison.Ordinal)) ?? quantiles.MinBy(q => q.P).Column;
        var upper = release.ValueColumns.FirstOrDefault(c => c.StartsWith("max(", StringComparison.Ordinal)) ?? quantiles.MaxBy(q => q.P).Column;
        return new Quartiles(lower, q1, median, q3, upper);
    }
}
