using System.Net;
using System.Text;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Interactive.Display;

/// <summary>HTML for releases, joins and studies as notebook cells show them. Plain strings only (no
/// Microsoft.AspNetCore.Html types: the hosts ship different versions of them).</summary>
public static class ResultHtml
{
    const string Style =
        "<style>.smpc{font-family:system-ui,sans-serif;font-size:13px}.smpc table{border-collapse:collapse;margin:4px 0}" +
        ".smpc th,.smpc td{border:1px solid #ccc;padding:2px 8px;text-align:right}.smpc th{background:#f3f3f3}" +
        ".smpc td.key{text-align:left}.smpc tr.smpc-margin td{background:#f8f8f8;font-weight:600}" +
        ".smpc td.smpc-suppressed{background:#fde8e8;color:#a33;font-style:italic;text-align:center}" +
        ".smpc .smpc-footer{color:#555;font-size:12px;margin-top:4px}.smpc .smpc-footer ul{margin:2px 0 0 0;padding-left:18px}</style>";

    static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Release(Release release)
    {
        var sb = new StringBuilder(Style).Append("<div class=\"smpc smpc-release\">");
        sb.Append("<div><b>").Append(E(release.Query)).Append("</b></div><table><thead><tr>");
        foreach (var c in release.KeyColumns) sb.Append("<th style=\"text-align:left\">").Append(E(c)).Append("</th>");
        foreach (var c in release.ValueColumns) sb.Append("<th>").Append(E(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        for (int r = 0; r < release.RowCount; r++)
        {
            sb.Append(release.IsMargin(r) ? "<tr class=\"smpc-margin\">" : "<tr>");
            foreach (var k in release.KeyColumns) sb.Append("<td class=\"key\">").Append(E(release.Key(r, k))).Append("</td>");
            if (release.IsSuppressed(r))
                sb.Append("<td class=\"smpc-suppressed\" colspan=\"").Append(release.ValueColumns.Count)
                  .Append("\" title=\"suppressed by disclosure control; its value was never revealed to anyone\">suppressed (")
                  .Append(E(release.Rule(r))).Append(")</td>");
            else
                foreach (var v in release.ValueColumns)
                    sb.Append("<td>").Append(E(release.Text(r, v))).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        var summary = $"{release.ReleasedRows.Count()} of {release.RowCount} rows released; {release.SuppressedCount} suppressed";
        if (release.EpsilonSpent is { } eps) summary += $"; ε spent {eps:G4}";
        Footer(sb, release.Cost, summary, release.RulesApplied, release.Notes, release.LogEntries);
        return sb.Append("</div>").ToString();
    }

    public static string Join(JoinRelease join)
    {
        var sb = new StringBuilder(Style).Append("<div class=\"smpc smpc-join\">");
        sb.Append("<div><b>").Append(E(join.Dataset)).Append("</b> = ").Append(E(string.Join(" ⋈ ", join.Inputs)))
          .Append(" — ").Append(E(join.Request.Kind.ToString().ToLowerInvariant())).Append(" join; passes <code>")
          .Append(E(string.Join(", then ", join.Passes.Select(p => p.Name())))).Append("</code>; pseudonyms <code>").Append(E(join.Scheme))
          .Append("</code>; duplicates: ").Append(E(join.Request.Duplicates.ToString())).Append("</div><table><tbody>");
        for (int t = 0; t < join.Inputs.Count; t++)
            sb.Append("<tr><td class=\"key\">rows in ").Append(E(join.Inputs[t])).Append("</td><td>").Append(join.InputRows[t].ToString("N0")).Append("</td></tr>");
        foreach (var c in join.MatchCounts)
            sb.Append("<tr><td class=\"key\">").Append(E(c.Table)).Append(" rows linked in pass <code>").Append(E(c.Pass)).Append("</code></td>")
              .Append(c.Count is { } n ? $"<td>{n:N0}</td>" : "<td class=\"smpc-suppressed\">suppressed (below the minimum cell size)</td>").Append("</tr>");
        sb.Append("<tr><td class=\"key\">joined rows (secret-shared)</td>")
          .Append(join.JoinedRows is { } rows ? $"<td>{rows:N0}{(join.RoundingBase > 1 ? $" (rounded to a multiple of {join.RoundingBase})" : "")}</td>" : "<td class=\"smpc-suppressed\">suppressed (below the minimum cell size)</td>").Append("</tr>")
          .Append("<tr><td class=\"key\">columns</td><td style=\"text-align:left\">").Append(E(string.Join(", ", join.Columns))).Append("</td></tr>")
          .Append("</tbody></table>");
        Footer(sb, join.Cost, $"contributors' preparation (normalise, pseudonymise, share keys): {join.Preparation.TotalMilliseconds:N0} ms; no row was revealed to the analyst", [], [], join.LogEntries);
        return sb.Append("</div>").ToString();
    }

    /// <summary>What a join or query would do (<c>--explain</c>): refused with its rule, or its rules, reveals, rounds,
    /// bytes and expected time; nothing was computed.</summary>
    public static string Explanation(Explanation x)
    {
        var sb = new StringBuilder(Style).Append("<div class=\"smpc smpc-explain\"><div><b>explain</b> — ").Append(E(x.Operation))
          .Append(" <i>(nothing computed, revealed or charged)</i></div>");
        if (x.Refused)
            return sb.Append("<div class=\"smpc-suppressed\">would be refused by <code>").Append(E(x.Rule ?? "")).Append("</code>: ")
                     .Append(E(x.Refusal ?? "")).Append("</div></div>").ToString();
        sb.Append("<table><tbody>")
          .Append("<tr><td class=\"key\">rows</td><td>").Append(x.Rows.ToString("N0")).Append("</td></tr>")
          .Append("<tr><td class=\"key\">rounds</td><td>").Append(x.Rounds.ToString("N0")).Append("</td></tr>")
          .Append("<tr><td class=\"key\">bytes per party</td><td>").Append(E(OperationCost.FormatBytes(x.BytesPerParty))).Append("</td></tr>")
          .Append("<tr><td class=\"key\">expected time</td><td>").Append(E(Studies.Explanation.FormatTime(x.ExpectedMilliseconds)))
          .Append(" on ").Append(E(x.Link.ToString())).Append("</td></tr>")
          .Append("</tbody></table>");
        if (x.RulesApplied.Count > 0)
            sb.Append("<div>rules: ").Append(E(string.Join("; ", x.RulesApplied))).Append("</div>");
        sb.Append("<div>would reveal:<ul>");
        foreach (var line in x.RevealLines()) sb.Append("<li>").Append(E(line)).Append("</li>");
        sb.Append("</ul></div>");
        foreach (var a in x.Assumptions) sb.Append("<div><i>assumes: ").Append(E(a)).Append("</i></div>");
        return sb.Append("</div>").ToString();
    }

    public static string Study(SecureStudy study)
    {
        var sb = new StringBuilder(Style).Append("<div class=\"smpc smpc-study\">");
        sb.Append("<div><b>Study ").Append(E(study.Name)).Append("</b> — ").Append(E(study.Engine.Name));
        if (study.DataFolder is { } folder) sb.Append(" — data: <code>").Append(E(folder)).Append("</code>");
        sb.Append("</div><table><thead><tr><th style=\"text-align:left\">dataset</th><th>rows</th><th style=\"text-align:left\">columns</th>")
          .Append("<th style=\"text-align:left\">origin</th><th>min cell size</th><th style=\"text-align:left\">SHA-256 (data file)</th></tr></thead><tbody>");
        foreach (var d in study.Datasets)
            sb.Append("<tr><td class=\"key\">").Append(E(d.Name)).Append("</td><td>").Append(E(d.RowsText)).Append("</td><td class=\"key\">")
              .Append(E(string.Join(", ", d.Table.Columns.Select(c => $"{c.Name} ({c.Spec.Kind.ToString().ToLowerInvariant()})"))))
              .Append("</td><td class=\"key\">").Append(E(d.Description)).Append("</td><td>").Append(d.Terms.MinCellSize)
              .Append("</td><td class=\"key\"><code>").Append(E(d.Files.FirstOrDefault()?.Sha256[..16])).Append(d.Files.Count > 0 ? "…" : "").Append("</code></td></tr>");
        foreach (var d in study.RemoteDatasets)     // a connected study: the datasets the party services hold for this analyst
            sb.Append("<tr><td class=\"key\">").Append(E(d.Name)).Append("</td><td>").Append(d.Rows is { } n ? n.ToString("N0") : "suppressed").Append("</td><td class=\"key\">")
              .Append(E(string.Join(", ", d.Columns.Select(c => $"{c.Name} ({c.Kind.ToLowerInvariant()})"))))
              .Append("</td><td class=\"key\">").Append(E(d.Description)).Append("</td><td></td><td></td></tr>");
        return sb.Append("</tbody></table></div>").ToString();
    }

    /// <summary>Where <c>#!secure-report</c> wrote the report, with each file's size and SHA-256.</summary>
    public static string Report(Reporting.WrittenReport written, SecureStudy study)
    {
        var history = study.History;
        var sb = new StringBuilder(Style).Append("<div class=\"smpc smpc-report\">");
        sb.Append("<div><b>Report of study ").Append(E(study.Name)).Append("</b>: ")
          .Append(history.OfType<JoinRelease>().Count()).Append(" linkage(s), ").Append(history.OfType<Release>().Count()).Append(" release(s), written to <code>")
          .Append(E(written.Folder)).Append("</code></div><table><thead><tr><th style=\"text-align:left\">file</th><th>bytes</th><th style=\"text-align:left\">SHA-256</th></tr></thead><tbody>");
        foreach (var f in written.Files)
            sb.Append("<tr><td class=\"key\">").Append(E(f.Path)).Append("</td><td>").Append(f.Bytes.ToString("N0")).Append("</td><td class=\"key\"><code>")
              .Append(E(f.Sha256[..16])).Append("…</code></td></tr>");
        return sb.Append("</tbody></table><div class=\"smpc-footer\">Verify with <code>sha256sum -c SHA256SUMS</code> in that folder.</div></div>").ToString();
    }

    /// <summary>Each compute party's entry in the registry's transparency log, as "log entry #N", linked to its inclusion
    /// proof (only an http(s) address becomes a link).</summary>
    public static string LogEntries(IReadOnlyList<LogEntryReference> entries)
    {
        if (entries.Count == 0) return "";
        var sb = new StringBuilder("<div class=\"smpc-log\">logged in the study registry's transparency log: ");
        foreach (var (e, i) in entries.Select((e, i) => (e, i)))
        {
            if (i > 0) sb.Append(", ");
            string text = $"log entry #{e.Index}";
            bool link = Uri.TryCreate(e.Url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";
            sb.Append(link ? $"<a href=\"{E(uri!.AbsoluteUri)}\" target=\"_blank\" title=\"compute party {e.Party}'s entry and its inclusion proof\">{E(text)}</a>" : E(text))
              .Append(" (party ").Append(e.Party).Append(')');
        }
        return sb.Append("</div>").ToString();
    }

    static void Footer(StringBuilder sb, OperationCost cost, string note, IReadOnlyList<string> rules, IReadOnlyList<string> notes, IReadOnlyList<LogEntryReference> log)
    {
        sb.Append("<div class=\"smpc-footer\">").Append(E(note)).Append("<br/>")
          .Append("<span class=\"smpc-cost\">rows used: ").Append(cost.RowsUsed.ToString("N0"))
          .Append(" · rounds: ").Append(cost.Rounds.ToString("N0"))
          .Append(" · bytes: ").Append(E(OperationCost.FormatBytes(cost.Bytes)))
          .Append(" · time: ").Append(cost.Elapsed.TotalMilliseconds.ToString("N0")).Append(" ms</span>");
        if (rules.Count > 0)
        {
            sb.Append("<div>rules applied:</div><ul class=\"smpc-rules\">");
            foreach (var r in rules) sb.Append("<li>").Append(E(r)).Append("</li>");
            sb.Append("</ul>");
        }
        if (notes.Count > 0)
        {
            sb.Append("<div>notes:</div><ul class=\"smpc-notes\">");
            foreach (var n in notes) sb.Append("<li>").Append(E(n)).Append("</li>");
            sb.Append("</ul>");
        }
        sb.Append("<div>revealed:</div><ul class=\"smpc-reveals\">");
        foreach (var line in cost.RevealLines()) sb.Append("<li>").Append(E(line)).Append("</li>");
        if (cost.Reveals.Count == 0) sb.Append("<li>nothing</li>");
        sb.Append("</ul>").Append(LogEntries(log)).Append("</div>");
    }
}
