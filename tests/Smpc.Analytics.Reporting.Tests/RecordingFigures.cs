using System.Text.Json;
using Smpc.Analytics.Reporting;

namespace Smpc.Analytics.Reporting.Tests;

/// <summary>An <see cref="IFigureBuilder"/> that records what it was given and returns it as figure JSON (no Plotly.NET here).</summary>
internal sealed class RecordingFigures : IFigureBuilder
{
    public readonly List<(string Kind, string[] Labels, double[] Values)> Calls = [];

    string Record(string kind, string[] labels, double[] values, string title)
    {
        Calls.Add((kind, labels, values));
        return JsonSerializer.Serialize(new
        {
            data = new[] { new { type = kind, x = labels, y = values.Select(v => double.IsNaN(v) ? (double?)null : v) } },
            layout = new { title = new { text = title } },
        });
    }

    public string Bar(string[] labels, double[] values, string title, string xTitle, string yTitle) => Record("bar", labels, values, title);
    public string Histogram(string[] binLabels, double[] counts, string title, string xTitle) => Record("histogram", binLabels, counts, title);
    public string Heatmap(string[] xs, string[] ys, double[] z, string title, string xTitle, string yTitle) =>
        Record("heatmap", [.. ys.SelectMany(y => xs.Select(x => $"{y}|{x}"))], z, title);
    public string Box(string[] labels, double[] lower, double[] q1, double[] median, double[] q3, double[] upper, string title, string xTitle, string yTitle) =>
        Record("box", labels, [.. lower, .. q1, .. median, .. q3, .. upper], title);
    public string Regression(string[] labels, double[] intercepts, double[] slopes, double xMin, double xMax, string title, string xTitle, string yTitle) =>
        Record("regression", labels, [.. intercepts, .. slopes, xMin, xMax], title);

    public string PlotlyJs => "window.Plotly = { newPlot: function (id, data, layout) { document.getElementById(id).setAttribute('data-drawn', data.length); } };";
    public string PlotlyJsVersion => "test";
}
