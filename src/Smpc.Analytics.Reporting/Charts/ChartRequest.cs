namespace Smpc.Analytics.Reporting;

/// <summary>Charts a release can be drawn as.</summary>
public enum ReportChartKind { Bar, Histogram, Heatmap, Box, Regression }

/// <summary>
/// Which chart to draw from a release's table, and from which columns. Margins ("(all)" rows) are never drawn;
/// suppressed cells are left out (bar, histogram, box) or drawn empty and labelled (heatmap).
/// </summary>
public sealed record ChartRequest(ReportChartKind Kind, string Title, string XTitle, string YTitle)
{
    /// <summary>Value column for bar, histogram and heatmap.</summary>
    public string? ValueColumn { get; init; }

    /// <summary>Box, one box per row: value columns for the lower whisker, first quartile, median, third quartile and upper whisker.</summary>
    public IReadOnlyList<string>? BoxColumns { get; init; }

    /// <summary>Box, one box from a long table (e.g. released quantiles, one per row): the first key column's labels of the
    /// lower whisker, first quartile, median, third quartile and upper whisker rows; values from <see cref="ValueColumn"/>.</summary>
    public IReadOnlyList<string>? BoxRows { get; init; }

    /// <summary>Label of the single box drawn from <see cref="BoxRows"/>.</summary>
    public string? BoxLabel { get; init; }

    /// <summary>Regression: fitted lines (label, intercept, slope) computed from released coefficients, drawn over [XMin, XMax].</summary>
    public IReadOnlyList<FittedLine>? Lines { get; init; }
    public double XMin { get; init; }
    public double XMax { get; init; }

    /// <summary>A chart whose released values were already chosen (e.g. by the study API's chart data): the figure is
    /// built by calling <see cref="Build"/> with the report's figure builder.</summary>
    public Func<IFigureBuilder, string>? Build { get; init; }

    public static ChartRequest BarOf(string valueColumn, string title, string xTitle, string? yTitle = null) =>
        new(ReportChartKind.Bar, title, xTitle, yTitle ?? valueColumn) { ValueColumn = valueColumn };

    public static ChartRequest HeatmapOf(string valueColumn, string title, string xTitle, string yTitle) =>
        new(ReportChartKind.Heatmap, title, xTitle, yTitle) { ValueColumn = valueColumn };
}

/// <summary>y = Intercept + Slope · x, labelled.</summary>
public sealed record FittedLine(string Label, double Intercept, double Slope);

/// <summary>A built figure: plotly JSON for one release.</summary>
public sealed record ReportFigure(string ReleaseId, ReportChartKind Kind, string Title, string Json);
