using Smpc.Analytics.Reporting;
using Smpc.Charts;

namespace Smpc.Cli.Study;

/// <summary>Figures for the report, built by Smpc.Charts (Plotly.NET). A console app can load Plotly.NET and its
/// FSharp.Core directly; the notebook extension reaches the same Figures through its own load context.</summary>
internal sealed class PlotlyFigures : IFigureBuilder
{
    readonly Lazy<string> _js = new(Figures.PlotlyJs);

    public string Bar(string[] labels, double[] values, string title, string xTitle, string yTitle) => Figures.Bar(labels, values, title, xTitle, yTitle);
    public string Histogram(string[] binLabels, double[] counts, string title, string xTitle) => Figures.Histogram(binLabels, counts, title, xTitle);
    public string Heatmap(string[] xs, string[] ys, double[] z, string title, string xTitle, string yTitle) => Figures.Heatmap(xs, ys, z, title, xTitle, yTitle);
    public string Box(string[] labels, double[] lower, double[] q1, double[] median, double[] q3, double[] upper, string title, string xTitle, string yTitle) =>
        Figures.Box(labels, lower, q1, median, q3, upper, title, xTitle, yTitle);
    public string Regression(string[] labels, double[] intercepts, double[] slopes, double xMin, double xMax, string title, string xTitle, string yTitle) =>
        Figures.Regression(labels, intercepts, slopes, xMin, xMax, title, xTitle, yTitle);
    public string PlotlyJs => _js.Value;
    public string PlotlyJsVersion => Figures.PlotlyJsVersion();
}
