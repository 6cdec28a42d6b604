using System.Globalization;
using System.Text;

namespace Smpc.Analytics.Reporting;

/// <summary>
/// Plotly in a static HTML page, drawn offline: the bundle is inlined once (never a CDN), wrapped so that an AMD
/// loader on the page cannot capture it, and each figure is a div (class <c>smpc-chart</c>, with its kind in
/// <c>data-chart-kind</c> — the markup scripts/check-charts.py looks for) plus a <c>Plotly.newPlot</c> call.
/// </summary>
public static class PlotlyPage
{
    public static string Script(IFigureBuilder builder) =>
        new StringBuilder("<script type=\"text/javascript\">/* plotly.js ").Append(builder.PlotlyJsVersion)
            .Append(" (bundled with Plotly.NET), inlined so the charts draw offline */\n(function (define, module, exports) {\n")
            .Append(builder.PlotlyJs.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase))
            .Append("\n}).call(window, undefined, undefined, undefined);</script>\n").ToString();

    /// <summary>The div and drawing script of figure number <paramref name="index"/> on the page.</summary>
    public static string Figure(ReportFigure figure, int index)
    {
        var id = "smpc-chart-" + index.ToString("x8", CultureInfo.InvariantCulture);
        return new StringBuilder()
            .Append("<div id=\"").Append(id).Append("\" class=\"smpc-chart\" data-chart-kind=\"").Append(figure.Kind.ToString().ToLowerInvariant())
            .Append("\" data-release=\"").Append(Html.E(figure.ReleaseId)).Append("\"></div>\n")
            .Append("<script type=\"text/javascript\">(function () {\n  var fig = ").Append(figure.Json.Replace("</", "<\\/")).Append(";\n")
            .Append("  window.Plotly.newPlot('").Append(id).Append("', fig.data, fig.layout, fig.config || {});\n")
            .Append("})();</script>\n").ToString();
    }
}
