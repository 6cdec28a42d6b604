namespace Smpc.Analytics.Studies;

/// <summary>
/// What a chart of a release draws, as plain numbers and labels — released cells only (a suppressed cell is absent,
/// or NaN in a heatmap, which draws it empty and labelled "suppressed"). Any chart library can draw it; the notebook
/// extension uses Plotly.NET in its own load context.
/// </summary>
public abstract record ChartData(ChartKind Kind, string Title, string XTitle, string YTitle);

/// <summary>One bar per released cell.</summary>
public sealed record BarChartData(string Title, string XTitle, string YTitle, string[] Labels, double[] Values)
    : ChartData(ChartKind.Bar, Title, XTitle, YTitle);

/// <summary>Released bin counts (bins are public), bars without gaps.</summary>
public sealed record HistogramChartData(string Title, string XTitle, string[] Bins, double[] Counts)
    : ChartData(ChartKind.Histogram, Title, XTitle, "rows");

/// <summary>A cross-tab: <see cref="Z"/> row-major, <see cref="Ys"/>.Length rows of <see cref="Xs"/>.Length; NaN where suppressed.</summary>
public sealed record HeatmapChartData(string Title, string XTitle, string YTitle, string[] Xs, string[] Ys, double[] Z)
    : ChartData(ChartKind.Heatmap, Title, XTitle, YTitle);

/// <summary>One box per released group from its quantiles (no raw points).</summary>
public sealed record BoxChartData(string Title, string XTitle, string YTitle, string[] Labels, double[] Lower, double[] Q1, double[] Median, double[] Q3, double[] Upper)
    : ChartData(ChartKind.Box, Title, XTitle, YTitle);

/// <summary>Fitted lines y = intercept + slope·x over the covariate's declared range, one per released group.</summary>
public sealed record FitChartData(string Title, string XTitle, string YTitle, string[] Labels, double[] Intercepts, double[] Slopes, double XMin, double XMax)
    : ChartData(ChartKind.Regression, Title, XTitle, YTitle);

/// <summary>Regression coefficients with 95% intervals (coefficient ± 1.96 standard errors).</summary>
public sealed record CoefficientChartData(string Title, string[] Terms, double[] Coefficients, double[] HalfWidths)
    : ChartData(ChartKind.Regression, Title, "term", "coefficient (95% interval)");
