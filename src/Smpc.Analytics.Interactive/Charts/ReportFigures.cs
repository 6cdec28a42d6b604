using Smpc.Analytics.Reporting;

namespace Smpc.Analytics.Interactive.Charts;

/// <summary>The reporting library's figure builder on the extension's isolated chart builder (Plotly.NET in its own load
/// context): a report written from a notebook draws the same charts as the cells did.</summary>
public sealed class ReportFigures(ChartBuilder? builder = null) : IFigureBuilder
{
    readonly ChartBuilder _b = builder ?? ChartBuilder.Default;

    public string Bar(string[] labels, double[] values, string title, string xTitle, string yTitle) => _b.Bar(labels, values, title, xTitle, yTitle);
    public string Histogram(string[] binLabels, double[] counts, string title, string xTitle) => _b.Histogram(binLabels, counts, title, xTitle);
    public string Heatmap(string[] xs, string[] ys, double[] z, string title, string xTitle, string yTitle) => _b.Heatmap(xs, ys, z, title, xTitle, yTitle);
    public string Box(string[] labels, double[] lower, double[] q1, double[] median, double[] q3, double[] upper, string title, string xTitle, string yTitle) =>
        _b.Box(labels, lower, q1, median, q3, upper, title, xTitle, yTitle);
    public string Regression(string[] labels, double[] intercepts, double[] slopes, double xMin, double xMax, string title, string xTitle, string yTitle) =>
        _b.Regression(labels, intercepts, slopes, xMin, xMax, title, xTitle, yTitle);
    public string PlotlyJs => _b.PlotlyJs;
    public string PlotlyJsVersion => _b.PlotlyJsVersion;
}
