namespace Smpc.Analytics.Reporting;

/// <summary>
/// Builds plotly figure JSON (an object with data, layout and config) from released values, and supplies the
/// plotly.js bundle those figures target so a report draws offline. The reporting library never references
/// Plotly.NET: the command line implements this over Smpc.Charts directly; a notebook implements it over the
/// extension's isolated chart builder (same members, same arguments). Only released values are ever passed in;
/// NaN in a heatmap is a suppressed cell.
/// </summary>
public interface IFigureBuilder
{
    string Bar(string[] labels, double[] values, string title, string xTitle, string yTitle);
    string Histogram(string[] binLabels, double[] counts, string title, string xTitle);

    /// <summary>z is row-major: ys.Length rows of xs.Length values; NaN where a cell was suppressed.</summary>
    string Heatmap(string[] xs, string[] ys, double[] z, string title, string xTitle, string yTitle);
    string Box(string[] labels, double[] lower, double[] q1, double[] median, double[] q3, double[] upper, string title, string xTitle, string yTitle);
    string Regression(string[] labels, double[] intercepts, double[] slopes, double xMin, double xMax, string title, string xTitle, string yTitle);

    /// <summary>The plotly.js bundle (minified source) the figures target.</summary>
    string PlotlyJs { get; }

    /// <summary>Its version, e.g. "2.28.0".</summary>
    string PlotlyJsVersion { get; }
}
