using Smpc.Analytics.Interactive.Api;

namespace Smpc.Analytics.Interactive.Charts;

/// <summary>A plotly figure (JSON with data, layout and config) and its title.</summary>
public sealed record Figure(string Json, string Title, ChartKind Kind);

/// <summary>
/// Turns released tables into figures. Only released rows are passed to the chart builder: a suppressed cell
/// has no value (it was never revealed), and it is left out of bars, histograms, boxes and fitted lines; in a
/// heatmap it is an empty cell labelled "suppressed".
/// </summary>
public static class ReleaseCharts
{
    /// <summary>The chart of a release for C# cells: <c>study.Mean("veterans", "monthly_benefit", "era").Chart()</c>.
    /// Displays as plotly JSON with an HTML fallback.</summary>
    public static Figure? Chart(this Release release, ChartKind kind = ChartKind.Auto) => For(release, kind, ChartBuilder.Default);

    public static Figure? For(Release release, ChartKind kind, ChartBuilder builder)
    {
        var t = release.Table;
        var resolved = ChartKinds.Resolve(kind, release);
        string title = t.Title;
        var released = t.Released.ToArray();
        string[] Labels(IEnumerable<ReleaseRow> rows) => rows.Select(r => r.Keys.Count == 0 ? "all" : string.Join(" · ", r.Keys)).ToArray();
        double[] Values(IEnumerable<ReleaseRow> rows, string column)
        {
            int k = IndexOf(t, column);
            return rows.Select(r => r.Values![k]).ToArray();
        }
        string xTitle = t.KeyColumns.Count == 0 ? "" : string.Join(" · ", t.KeyColumns);

        switch (resolved)
        {
            case ChartKind.None:
                return null;
            case ChartKind.Bar:
            {
                string y = t.ValueColumns[^1];
                return new Figure(builder.Bar(Labels(released), Values(released, y), title, xTitle, y), title, resolved);
            }
            case ChartKind.Histogram:
                return new Figure(builder.Histogram(Labels(released), Values(released, "n"), title, xTitle), title, resolved);
            case ChartKind.Heatmap:
            {
                if (t.KeyColumns.Count != 2)
                    throw new QueryException($"A heatmap needs two group-by columns; '{title}' has {t.KeyColumns.Count}.");
                string v = t.ValueColumns[^1];
                int k = IndexOf(t, v);
                var ys = t.Rows.Select(r => r.Keys[0]).Distinct().ToArray();
                var xs = t.Rows.Select(r => r.Keys[1]).Distinct().ToArray();
                var z = new double[ys.Length * xs.Length];
                Array.Fill(z, double.NaN);
                foreach (var r in released)
                    z[Array.IndexOf(ys, r.Keys[0]) * xs.Length + Array.IndexOf(xs, r.Keys[1])] = r.Values![k];
                return new Figure(builder.Heatmap(xs, ys, z, $"{title}: {v}", t.KeyColumns[1], t.KeyColumns[0]), title, resolved);
            }
            case ChartKind.Box:
            {
                string[] need = ["min", "q1", "median", "q3", "max"];
                var missing = need.Where(c => !t.ValueColumns.Contains(c)).ToArray();
                if (missing.Length > 0)
                    throw new QueryException($"A box chart needs released quantile columns {string.Join(", ", need)}; '{title}' lacks {string.Join(", ", missing)}.");
                return new Figure(builder.Box(Labels(released), Values(released, "min"), Values(released, "q1"), Values(released, "median"),
                                              Values(released, "q3"), Values(released, "max"), title, xTitle, release.Request.Column ?? "value"), title, resolved);
            }
            case ChartKind.Regression:
            {
                if (!t.ValueColumns.Contains("intercept") || !t.ValueColumns.Contains("slope"))
                    throw new QueryException($"A regression chart needs released 'intercept' and 'slope' columns; '{title}' has {string.Join(", ", t.ValueColumns)}.");
                var (lo, hi) = release.PredictorRange ?? throw new QueryException($"'{title}' has no declared predictor range to draw the fitted lines over.");
                var fitted = released.Where(r => !double.IsNaN(r.Values![IndexOf(t, "slope")])).ToArray();
                return new Figure(builder.Regression(Labels(fitted), Values(fitted, "intercept"), Values(fitted, "slope"), lo, hi, title,
                                                     release.Request.Predictor ?? "x", release.Request.Column ?? "y"), title, resolved);
            }
            default:
                throw new QueryException($"Unknown chart kind {resolved}.");
        }
    }

    static int IndexOf(ReleaseTable t, string column)
    {
        for (int i = 0; i < t.ValueColumns.Count; i++) if (t.ValueColumns[i] == column) return i;
        throw new QueryException($"Release '{t.Title}' has no column '{column}'.");
    }
}
