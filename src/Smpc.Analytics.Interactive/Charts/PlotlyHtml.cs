using System.Text;

namespace Smpc.Analytics.Interactive.Charts;

/// <summary>
/// The HTML fallback of a figure: a div and a script that calls Plotly.newPlot. The first chart a
/// presenter renders carries the whole plotly.js bundle inline (from Plotly.NET, no CDN), so notebooks
/// exported to HTML draw offline; later charts reuse window.Plotly. The bundle is wrapped so that an AMD
/// loader on the page (require.js in Jupyter templates) does not capture it.
/// </summary>
public sealed class PlotlyHtml(ChartBuilder builder)
{
    bool _scriptEmitted;
    readonly Lock _gate = new();

    public const string MimeType = "application/vnd.plotly.v1+json";

    static readonly Lazy<PlotlyHtml> Shared = new(() => new PlotlyHtml(ChartBuilder.Default));

    /// <summary>The renderer of this process (one kernel): the plotly.js bundle is inlined once for all charts.</summary>
    public static PlotlyHtml Default => Shared.Value;

    public string Render(Figure figure)
    {
        var id = "smpc-chart-" + Guid.NewGuid().ToString("N");
        var html = new StringBuilder();
        lock (_gate)
        {
            if (!_scriptEmitted)
            {
                html.Append("<script type=\"text/javascript\">/* plotly.js ").Append(builder.PlotlyJsVersion)
                    .Append(" (bundled with Plotly.NET), inlined so charts draw offline */\n(function (define, module, exports) {\n")
                    .Append(builder.PlotlyJs.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase))
                    .Append("\n}).call(window, undefined, undefined, undefined);</script>\n");
                _scriptEmitted = true;
            }
        }
        html.Append("<div id=\"").Append(id).Append("\" class=\"smpc-chart\" data-chart-kind=\"").Append(figure.Kind.ToString().ToLowerInvariant()).Append("\"></div>\n")
            .Append("<script type=\"text/javascript\">(function () {\n  var fig = ").Append(figure.Json.Replace("</", "<\\/")).Append(";\n")
            .Append("  var draw = function () { window.Plotly.newPlot('").Append(id).Append("', fig.data, fig.layout, fig.config || {}); };\n")
            .Append("  if (window.Plotly) { draw(); } else { var t = setInterval(function () { if (window.Plotly) { clearInterval(t); draw(); } }, 50); }\n")
            .Append("})();</script>");
        return html.ToString();
    }
}
