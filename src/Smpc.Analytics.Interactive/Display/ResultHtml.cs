using System.Net;
using System.Text;
using Smpc.Analytics.Interactive.Api;

namespace Smpc.Analytics.Interactive.Display;

/// <summary>HTML for releases, joins and studies as notebook cells show them. Plain strings only (no
/// Microsoft.AspNetCore.Html types: the hosts ship different versions of them).</summary>
public static class ResultHtml
{
    const string Style =
        "<style>.smpc{font-family:system-ui,sans-serif;font-size:13px}.smpc table{border-collapse:collapse;margin:4px 0}" +
        ".smpc th,.smpc td{border:1px solid #ccc;padding:2px 8px;text-align:right}.smpc th{background:#f3f3f3}" +
        ".smpc td.key{text-align:left}.smpc td.smpc-suppressed{background:#fde8e8;color:#a33;font-style:italic;text-align:center}" +
        ".smpc .smpc-footer{color:#555;font-size:12px;margin-top:4px}.smpc .smpc-footer ul{margin:2px 0 0 0;padding-left:18px}</style>";

    static string E(string s) => WebUtility.HtmlEncode(s);

    public static string Release(Release release)
    {
        var t = release.Table;
        var sb = new StringBuilder(Style).Append("<div class=\"smpc smpc-release\">");
        sb.Append("<div><b>").Append(E(t.Title)).Append("</b></div><table><thead><tr>");
        foreach (var c in t.KeyColumns) sb.Append("<th style=\"text-align:left\">").Append(E(c)).Append("</th>");
        foreach (var c in t.ValueColumns) sb.Append("<th>").Append(E(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var r in t.Rows)
        {
            sb.Append("<tr>");
            foreach (var k in r.Keys) sb.Append("<td class=\"key\">").Append(E(k)).Append("</td>");
            if (r.Values is null)
                sb.Append("<td class=\"smpc-suppressed\" colspan=\"").Append(t.ValueColumns.Count).Append("\" title=\"suppressed by disclosure control (")
                  .Append(E(r.SuppressedBy ?? "")).Append("); never revealed\">suppressed (").Append(E(r.SuppressedBy ?? "")).Append(")</td>");
            else
                foreach (var v in r.Values) sb.Append("<td>").Append(double.IsNaN(v) ? "—" : ReleaseTable.Format(v)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        Footer(sb, release.Cost, $"{t.Released.Count()} of {t.RowCount} cells released; {t.SuppressedCount} suppressed (minimum cell size {release.Rules.MinCellSize})");
        return sb.Append("</div>").ToString();
    }

    public static string Join(JoinRelease join)
    {
        var sb = new StringBuilder(Style).Append("<div class=\"smpc smpc-join\">");
        sb.Append("<div><b>").Append(E(join.Dataset)).Append("</b> = ").Append(E(join.Left)).Append(" ⋈ ").Append(E(join.Right))
          .Append(" on <code>").Append(E(join.Key)).Append("</code></div><table><tbody>")
          .Append("<tr><td class=\"key\">rows in ").Append(E(join.Left)).Append("</td><td>").Append(join.LeftRows.ToString("N0")).Append("</td></tr>")
          .Append("<tr><td class=\"key\">rows in ").Append(E(join.Right)).Append("</td><td>").Append(join.RightRows.ToString("N0")).Append("</td></tr>")
          .Append("<tr><td class=\"key\">linked rows (secret-shared)</td><td>").Append(join.MatchedRows.ToString("N0")).Append("</td></tr>")
          .Append("<tr><td class=\"key\">columns</td><td style=\"text-align:left\">").Append(E(string.Join(", ", join.Columns))).Append("</td></tr>")
          .Append("</tbody></table>");
        Footer(sb, join.Cost, $"method: {join.Method}; no row was revealed to the analyst");
        return sb.Append("</div>").ToString();
    }

    public static string Study(SecureStudy study)
    {
        var sb = new StringBuilder(Style).Append("<div class=\"smpc smpc-study\">");
        sb.Append("<div><b>Study ").Append(E(study.Name)).Append("</b> — ").Append(E(study.Engine.Name)).Append("</div><table><thead><tr>")
          .Append("<th style=\"text-align:left\">dataset</th><th>rows</th><th style=\"text-align:left\">columns</th><th style=\"text-align:left\">origin</th><th>min cell size</th></tr></thead><tbody>");
        foreach (var d in study.Datasets)
            sb.Append("<tr><td class=\"key\">").Append(E(d.Name)).Append("</td><td>").Append(d.RowCount.ToString("N0")).Append("</td><td class=\"key\">")
              .Append(E(string.Join(", ", d.Table.Columns.Select(c => $"{c.Name} ({c.Spec.Kind.ToString().ToLowerInvariant()})"))))
              .Append("</td><td class=\"key\">").Append(E(d.Origin)).Append("</td><td>").Append(DisclosureRules.From(d.Terms).MinCellSize).Append("</td></tr>");
        return sb.Append("</tbody></table></div>").ToString();
    }

    static void Footer(StringBuilder sb, OperationCost cost, string note)
    {
        sb.Append("<div class=\"smpc-footer\">").Append(E(note)).Append("<br/>")
          .Append("<span class=\"smpc-cost\">rows used: ").Append(cost.RowsUsed.ToString("N0"))
          .Append(" · rounds: ").Append(cost.Rounds.ToString("N0"))
          .Append(" · bytes: ").Append(E(OperationCost.FormatBytes(cost.Bytes)))
          .Append(" · time: ").Append(cost.Elapsed.TotalMilliseconds.ToString("N0")).Append(" ms</span>")
          .Append("<div>revealed:</div><ul class=\"smpc-reveals\">");
        foreach (var line in cost.RevealLines()) sb.Append("<li>").Append(E(line)).Append("</li>");
        if (cost.Reveals.Count == 0) sb.Append("<li>nothing</li>");
        sb.Append("</ul></div>");
    }
}
