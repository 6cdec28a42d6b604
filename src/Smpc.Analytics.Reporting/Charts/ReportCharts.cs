namespace Smpc.Analytics.Reporting;

/// <summary>
/// Turns a release's table and chart request into a figure through an <see cref="IFigureBuilder"/>. Only released
/// cells reach the builder: margins are dropped, suppressed cells are left out of bars, histograms and boxes, and a
/// heatmap gets NaN (an empty cell marked "suppressed") for them. A cell with a missing value is treated the same.
/// </summary>
public static class ReportCharts
{
    public const string Margin = "(all)";

    public static ReportFigure? For(ReleaseEntry release, IFigureBuilder builder)
    {
        if (release.Chart is not { } c || release.Table is not { } t) return null;
        var interior = t.Rows.Where(r => !r.Keys.Contains(Margin)).ToArray();
        string Label(ReportRow r) => r.Keys.Count == 0 ? "all" : string.Join(" · ", r.Keys);
        ReportRow[] Drawn(params string[] columns) =>
            interior.Where(r => r.Values is { } v && columns.All(col => v[t.IndexOf(col)] is { } x && double.IsFinite(x))).ToArray();
        double[] Values(ReportRow[] rows, string column) => rows.Select(r => r.Values![t.IndexOf(column)]!.Value).ToArray();

        string json;
        if (c.Build is { } build) return new ReportFigure(release.Id, c.Kind, c.Title, build(builder));
        switch (c.Kind)
        {
            case ReportChartKind.Bar:
            {
                var col = Need(c.ValueColumn, release, "a value column");
                var rows = Drawn(col);
                json = builder.Bar(rows.Select(Label).ToArray(), Values(rows, col), c.Title, c.XTitle, c.YTitle);
                break;
            }
            case ReportChartKind.Histogram:
            {
                var col = Need(c.ValueColumn, release, "a value column");
                var rows = Drawn(col);
                json = builder.Histogram(rows.Select(Label).ToArray(), Values(rows, col), c.Title, c.XTitle);
                break;
            }
            case ReportChartKind.Heatmap:
            {
                var col = Need(c.ValueColumn, release, "a value column");
                if (t.KeyColumns.Count != 2)
                    throw new ArgumentException($"Release {release.Id}: a heatmap needs two key columns; it has {t.KeyColumns.Count}.");
                var ys = interior.Select(r => r.Keys[0]).Distinct().ToArray();
                var xs = interior.Select(r => r.Keys[1]).Distinct().ToArray();
                var z = new double[ys.Length * xs.Length];
                Array.Fill(z, double.NaN);
                foreach (var r in Drawn(col))
                    z[Array.IndexOf(ys, r.Keys[0]) * xs.Length + Array.IndexOf(xs, r.Keys[1])] = r.Values![t.IndexOf(col)]!.Value;
                json = builder.Heatmap(xs, ys, z, c.Title, c.XTitle, c.YTitle);
                break;
            }
            case ReportChartKind.Box when c.BoxRows is { } boxRows:
            {
                var col = Need(c.ValueColumn, release, "a value column");
                if (boxRows.Count != 5) throw new ArgumentException($"Release {release.Id}: a box needs five rows (lower, q1, median, q3, upper).");
                var v = boxRows.Select(k => t.Rows.FirstOrDefault(r => r.Keys.Count > 0 && r.Keys[0] == k) is { Values: { } vals } && vals[t.IndexOf(col)] is { } x ? x : double.NaN).ToArray();
                if (v.Any(double.IsNaN)) return null;   // a quantile was suppressed: no box
                json = builder.Box([c.BoxLabel ?? "all"], [v[0]], [v[1]], [v[2]], [v[3]], [v[4]], c.Title, c.XTitle, c.YTitle);
                break;
            }
            case ReportChartKind.Box:
            {
                var cols = c.BoxColumns is { Count: 5 } b ? b
                    : throw new ArgumentException($"Release {release.Id}: a box chart needs five columns (lower, q1, median, q3, upper).");
                var rows = Drawn([.. cols]);
                json = builder.Box(rows.Select(Label).ToArray(), Values(rows, cols[0]), Values(rows, cols[1]), Values(rows, cols[2]),
                                   Values(rows, cols[3]), Values(rows, cols[4]), c.Title, c.XTitle, c.YTitle);
                break;
            }
            case ReportChartKind.Regression:
            {
                var lines = c.Lines is { Count: > 0 } l ? l.Where(x => double.IsFinite(x.Intercept) && double.IsFinite(x.Slope)).ToArray()
                    : throw new ArgumentException($"Release {release.Id}: a regression chart needs at least one fitted line.");
                if (!(c.XMax > c.XMin)) throw new ArgumentException($"Release {release.Id}: the regression chart's x range [{c.XMin}, {c.XMax}] is empty.");
                json = builder.Regression(lines.Select(x => x.Label).ToArray(), lines.Select(x => x.Intercept).ToArray(),
                                          lines.Select(x => x.Slope).ToArray(), c.XMin, c.XMax, c.Title, c.XTitle, c.YTitle);
                break;
            }
            default:
                throw new ArgumentException($"Release {release.Id}: unknown chart kind {c.Kind}.");
        }
        return new ReportFigure(release.Id, c.Kind, c.Title, json);
    }

    static string Need(string? column, ReleaseEntry release, string what) =>
        column ?? throw new ArgumentException($"Release {release.Id}: its {release.Chart!.Kind} chart needs {what}.");
}
