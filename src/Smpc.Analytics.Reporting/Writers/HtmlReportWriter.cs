using System.Globalization;
using System.Text;

namespace Smpc.Analytics.Reporting;

/// <summary>
/// The study report as one self-contained HTML page: narrative, datasets, linkages, every release with its table
/// (suppressed cells marked), chart, rules and reveals, the ground-truth checks, the leakage summary, methods and
/// threat model, and reproducibility facts. Charts are drawn offline (plotly.js inlined by <see cref="PlotlyPage"/>).
/// </summary>
public sealed class HtmlReportWriter(IFigureBuilder? figures)
{
    const string Style = """
        <style>
        .smpc-report-table{font-family:system-ui,sans-serif;font-size:13px}
        body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:14px;line-height:1.45;max-width:1100px;margin:24px auto;padding:0 16px;color:#222}
        h1{font-size:24px} h2{font-size:19px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px} h3{font-size:16px;margin-top:22px}
        table{border-collapse:collapse;margin:6px 0 10px} th,td{border:1px solid #ccc;padding:3px 9px;text-align:right;vertical-align:top}
        th{background:#f3f3f3} td.key,th.key{text-align:left} code{font-size:12px}
        td.smpc-suppressed{background:#fde8e8;color:#a33;font-style:italic;text-align:center}
        .refused{background:#fff4e0;border:1px solid #e0b060;padding:6px 10px} .ok{color:#176b2c;font-weight:600} .fail{color:#a33;font-weight:600}
        .summary{background:#f6f8fa;border:1px solid #ddd;padding:8px 14px} .meta{color:#555;font-size:12.5px} .meta ul{margin:2px 0;padding-left:20px}
        .hash{font-family:monospace;font-size:11.5px}
        </style>
        """;

    public string Render(StudyReport report, IReadOnlyList<ReportFigure> built)
    {
        var byRelease = built.ToDictionary(f => f.ReleaseId);
        var sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").Append(Html.E(report.Title)).Append("</title>\n")
            .Append(Style).Append('\n');
        if (figures is not null && built.Count > 0) sb.Append(PlotlyPage.Script(figures));
        sb.Append("</head><body>\n<h1>").Append(Html.E(report.Title)).Append("</h1>\n<p><b>Question.</b> ").Append(Html.E(report.Question)).Append("</p>\n");
        Summary(sb, report);
        foreach (var s in report.Narrative) Section(sb, s, "h2");
        Datasets(sb, report);
        Linkages(sb, report);
        sb.Append("<h2>Releases</h2>\n");
        int index = 0;
        foreach (var r in report.Releases) Release(sb, r, byRelease.GetValueOrDefault(r.Id), ref index);
        Checks(sb, report);
        Leakage(sb, report);
        sb.Append("<h2>Methods</h2>\n");
        foreach (var s in report.Methods) Section(sb, s, "h3");
        sb.Append("<h3>Threat model</h3>\n<ul>");
        foreach (var t in report.ThreatModel) sb.Append("<li>").Append(Html.E(t)).Append("</li>");
        sb.Append("</ul>\n");
        ReproducibilitySection(sb, report.Reproducibility);
        sb.Append("<p class=\"meta\">The disclosure-review packet (").Append(Html.E(ReportWriter.PacketJson)).Append(", ").Append(Html.E(ReportWriter.PacketMarkdown))
          .Append(") and the SHA-256 of every output file (").Append(Html.E(ReportWriter.ManifestSums)).Append(", verify with <code>sha256sum -c ")
          .Append(Html.E(ReportWriter.ManifestSums)).Append("</code>) are in the same folder as this report.</p>\n</body></html>\n");
        return sb.ToString();
    }

    static void Summary(StringBuilder sb, StudyReport r)
    {
        var released = r.Releases.Count(x => x.Outcome == ReleaseOutcome.Released);
        var refused = r.Releases.Count - released;
        var suppressed = r.Releases.Sum(x => x.Table?.SuppressedCount ?? 0);
        var cells = r.Releases.Sum(x => x.Table?.Rows.Count ?? 0);
        var cost = r.TotalCost;
        sb.Append("<div class=\"summary\"><ul>")
          .Append("<li>").Append(r.Datasets.Count).Append(" datasets, ").Append(r.Linkages.Count).Append(" secure linkages, ")
          .Append(r.Releases.Count).Append(" queries: ").Append(released).Append(" released, ").Append(refused).Append(" refused by the data-use terms; ")
          .Append(cells - suppressed).Append(" of ").Append(cells).Append(" cells released, ").Append(suppressed).Append(" suppressed.</li>")
          .Append("<li>Cost: ").Append(Html.Bytes(cost.Bytes)).Append(" sent by the compute parties, ").Append(cost.Rounds.ToString("N0")).Append(" rounds, ")
          .Append(Html.Seconds(cost.Elapsed)).Append(" of secure computation; engine: ").Append(Html.E(r.Reproducibility.Engine)).Append(".</li>");
        if (r.Checks.Count == 0)
        {
            sb.Append("</ul></div>\n");   // no ground truth named: no checks, no checks section
            return;
        }
        sb.Append("<li>Ground truth: ");
        if (r.ChecksPassed) sb.Append("<span class=\"ok\">").Append(r.Checks.Count(c => c.Passed)).Append(" of ").Append(r.Checks.Count).Append(" checks passed</span>")
                                 .Append(r.Checks.Any(c => c.Outcome == CheckOutcome.NotReleased) ? $", {r.Checks.Count(c => c.Outcome == CheckOutcome.NotReleased)} not checked (suppressed)." : ".");
        else sb.Append("<span class=\"fail\">").Append(r.Checks.Count(c => c.Failed)).Append(" of ").Append(r.Checks.Count).Append(" checks FAILED</span>.");
        sb.Append("</li></ul></div>\n");
    }

    static void Section(StringBuilder sb, ReportSection s, string tag)
    {
        sb.Append('<').Append(tag).Append('>').Append(Html.E(s.Heading)).Append("</").Append(tag).Append(">\n");
        foreach (var p in s.Paragraphs) sb.Append("<p>").Append(Html.E(p)).Append("</p>\n");
    }

    static void Datasets(StringBuilder sb, StudyReport r)
    {
        sb.Append("<h2>Datasets and their terms</h2>\n<table><thead><tr><th class=\"key\">dataset</th><th class=\"key\">steward</th><th>rows</th>")
          .Append("<th>min. cell</th><th>p% rule</th><th>rounding</th><th class=\"key\">operations allowed</th><th class=\"key\">redisclosure</th></tr></thead><tbody>");
        foreach (var d in r.Datasets)
        {
            var t = d.Terms;
            sb.Append("<tr><td class=\"key\">").Append(Html.E(d.Name)).Append("</td><td class=\"key\">").Append(Html.E(d.Steward)).Append("</td><td>")
              .Append(d.Rows.ToString("N0")).Append("</td><td>").Append(t.MinCellSize).Append("</td><td>").Append(t.DominanceP is { } p ? Html.Number(p) + "%" : "—")
              .Append("</td><td>").Append(t.RoundingBase).Append("</td><td class=\"key\">").Append(Html.E(string.Join(", ", t.AllowedOperations)))
              .Append("</td><td class=\"key\">").Append(t.InternalUseOnly ? "internal use only" : Html.E(string.Join("; ", t.RedisclosureTo))).Append("</td></tr>");
        }
        sb.Append("</tbody></table>\n<table><thead><tr><th class=\"key\">file</th><th class=\"key\">role</th><th>bytes</th><th class=\"key\">SHA-256</th></tr></thead><tbody>");
        foreach (var f in r.Datasets.SelectMany(d => d.Files))
            sb.Append("<tr><td class=\"key\">").Append(Html.E(f.Path)).Append("</td><td class=\"key\">").Append(Html.E(f.Role)).Append("</td><td>")
              .Append(f.Bytes.ToString("N0")).Append("</td><td class=\"key hash\">").Append(f.Sha256).Append("</td></tr>");
        sb.Append("</tbody></table>\n");
    }

    static void Linkages(StringBuilder sb, StudyReport r)
    {
        if (r.Linkages.Count == 0) return;
        sb.Append("<h2>Secure linkages</h2>\n");
        foreach (var l in r.Linkages)
        {
            sb.Append("<h3>").Append(Html.E(l.Name)).Append("</h3>\n<p>").Append(Html.E(l.Kind)).Append(" join of ").Append(Html.E(string.Join(" and ", l.Tables)))
              .Append(", pseudonyms: ").Append(Html.E(l.Pseudonymisation)).Append(". Passes: ")
              .Append(Html.E(string.Join("; then ", l.Passes.Select(p => $"{p.Name} ({string.Join(" + ", p.Sources)})")))).Append(".</p>\n")
              .Append("<table><thead><tr><th class=\"key\">pass</th><th class=\"key\">table linked</th><th>matches released</th></tr></thead><tbody>");
            foreach (var c in l.MatchCounts)
            {
                sb.Append("<tr><td class=\"key\">").Append(Html.E(c.Pass)).Append("</td><td class=\"key\">").Append(Html.E(c.Table)).Append("</td>");
                sb.Append(c.Count is { } n ? $"<td>{n:N0}</td>" : "<td class=\"smpc-suppressed\">suppressed</td>").Append("</tr>");
            }
            sb.Append("<tr><td class=\"key\" colspan=\"2\">joined rows (secret-shared)</td><td>").Append(LinkageText.Rows(l)).Append("</td></tr></tbody></table>\n");
            Meta(sb, l.Notes, [], l.Reveals, l.Cost);
        }
    }

    static void Release(StringBuilder sb, ReleaseEntry r, ReportFigure? figure, ref int index)
    {
        sb.Append("<h3 id=\"").Append(Html.E(r.Id)).Append("\">").Append(Html.E(r.Id)).Append(" · ").Append(Html.E(r.Title)).Append("</h3>\n")
          .Append("<p class=\"meta\">").Append(Html.E(r.Query)).Append("</p>\n");
        if (r.Narrative is { } n) sb.Append("<p>").Append(Html.E(n)).Append("</p>\n");
        if (r.Outcome == ReleaseOutcome.Refused)
        {
            sb.Append("<div class=\"refused\"><b>Refused</b> (").Append(Html.E(r.RefusedBy)).Append("): ").Append(Html.E(r.RefusalMessage))
              .Append(r.Reveals.Any(v => v.Audience == RevealAudienceKind.Analyst) ? "" : " Nothing was released to the analyst.").Append("</div>\n");
            Meta(sb, r.Notes, r.RulesApplied, r.Reveals, r.Cost);
            LogLine(sb, r);
            return;
        }
        if (r.Table is { } t) Table(sb, t);
        if (figure is not null) sb.Append(PlotlyPage.Figure(figure, index++));
        Meta(sb, r.Notes, r.RulesApplied, r.Reveals, r.Cost);
        LogLine(sb, r);
    }

    static void LogLine(StringBuilder sb, ReleaseEntry r)
    {
        if (r.LogEntries.Count > 0)
        {
            sb.Append("<p class=\"meta\">Registry transparency log: ");
            sb.AppendJoin(" · ", r.LogEntries.Select(e => $"party {e.Party} <a href=\"{Html.E(e.ProofUrl)}\">entry #{e.Index.ToString(CultureInfo.InvariantCulture)}</a>"));
            sb.Append(" (each compute party's own entry; the link is its inclusion proof).</p>\n");
        }
        if (r.LogPosition is not { } at) return;
        sb.Append("<p class=\"meta\">Transparency log: entry ").Append(at.Entry.ToString("N0")).Append(" of ").Append(at.TreeSize.ToString("N0"))
          .Append(" (").Append(Html.E(ReportWriter.TransparencyLog)).Append("); its inclusion proof is in the packet — check it with <code>smpc audit check-proof</code>.</p>\n");
    }

    /// <summary>One released table as an HTML fragment (with the report's style), suppressed cells marked — for notebooks.</summary>
    public static string TableHtml(ReportTable table, string? caption = null)
    {
        var sb = new StringBuilder(Style).Append("<div class=\"smpc-report-table\">");
        if (caption is not null) sb.Append("<b>").Append(Html.E(caption)).Append("</b>");
        Table(sb, table);
        return sb.Append("</div>").ToString();
    }

    static void Table(StringBuilder sb, ReportTable t)
    {
        sb.Append("<table><thead><tr>");
        foreach (var c in t.KeyColumns) sb.Append("<th class=\"key\">").Append(Html.E(c)).Append("</th>");
        foreach (var c in t.ValueColumns) sb.Append("<th>").Append(Html.E(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in t.Rows)
        {
            sb.Append("<tr>");
            foreach (var k in row.Keys) sb.Append("<td class=\"key\">").Append(Html.E(k)).Append("</td>");
            if (row.Values is null)
                sb.Append("<td class=\"smpc-suppressed\" colspan=\"").Append(t.ValueColumns.Count).Append("\" title=\"suppressed by disclosure control; never revealed\">suppressed (")
                  .Append(Html.E(row.SuppressedBy)).Append(")</td>");
            else
                for (int i = 0; i < row.Values.Count; i++) sb.Append("<td>").Append(row.Values[i] is { } x ? t.Text(i, x) : "—").Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>\n");
        if (t.SuppressedCount > 0)
            sb.Append("<p class=\"meta\">").Append(t.SuppressedCount).Append(" of ").Append(t.Rows.Count)
              .Append(" cells suppressed (marked); their values were never revealed to anyone. — marks a statistic that is undefined for the cell.</p>\n");
    }

    static void Meta(StringBuilder sb, IReadOnlyList<string> notes, IReadOnlyList<string> rules, IReadOnlyList<RevealEntry> reveals, CostEntry cost)
    {
        sb.Append("<div class=\"meta\">");
        if (rules.Count > 0) List(sb, "Rules applied", rules);
        if (notes.Count > 0) List(sb, "Notes", notes);
        // Reveals of the same purpose to the same audience (an oblivious sort opens comparison outcomes level by level)
        // are summarised on one line: how many reveals, how many values in all.
        var lines = reveals.GroupBy(v => (v.Audience, v.Purpose)).Select(g =>
        {
            long values = g.Sum(v => (long)v.Elements);
            int times = g.Count();
            return $"to the {Html.Audience(g.Key.Audience)}: {values:N0} value{(values == 1 ? "" : "s")}{(times > 1 ? $" in {times} reveals" : "")} — {g.Key.Purpose}";
        });
        List(sb, "Revealed", lines.DefaultIfEmpty("nothing").ToList(), "reveals");
        sb.Append("Cost: ").Append(cost.RowsUsed.ToString("N0")).Append(" rows · ").Append(Html.Bytes(cost.Bytes)).Append(" · ")
          .Append(cost.Rounds.ToString("N0")).Append(" rounds · ").Append(Html.Seconds(cost.Elapsed)).Append("</div>\n");
    }

    static void List(StringBuilder sb, string heading, IReadOnlyList<string> items, string? cssClass = null)
    {
        sb.Append(Html.E(heading)).Append(cssClass is null ? ":<ul>" : $":<ul class=\"{cssClass}\">");
        foreach (var i in items) sb.Append("<li>").Append(Html.E(i)).Append("</li>");
        sb.Append("</ul>");
    }

    static void Checks(StringBuilder sb, StudyReport r)
    {
        if (r.Checks.Count == 0) return;
        sb.Append("<h2>Checks against the plaintext ground truth</h2>\n<table><thead><tr><th class=\"key\">what</th><th>expected</th><th>released</th>")
          .Append("<th>allowed difference</th><th class=\"key\">why that much</th><th class=\"key\">result</th></tr></thead><tbody>");
        foreach (var c in r.Checks)
            sb.Append("<tr><td class=\"key\">").Append(Html.E(c.What)).Append("</td><td>").Append(Html.Number(c.Expected)).Append("</td><td>")
              .Append(c.Actual is { } a ? Html.Number(a) : "not released").Append("</td><td>").Append(Html.Number(c.Tolerance)).Append("</td><td class=\"key\">")
              .Append(Html.E(c.Basis)).Append("</td><td class=\"key\">").Append(c.Outcome switch { CheckOutcome.Pass => "<span class=\"ok\">pass</span>", CheckOutcome.Fail => "<span class=\"fail\">FAIL</span>", _ => "not checked: suppressed" }).Append("</td></tr>");
        sb.Append("</tbody></table>\n");
    }

    static void Leakage(StringBuilder sb, StudyReport r)
    {
        var summary = LeakageSummary.Of(r);
        sb.Append("<h2>Leakage summary: what was revealed to whom</h2>\n<table><thead><tr><th class=\"key\">audience</th><th>reveals</th><th>values</th><th class=\"key\">what</th></tr></thead><tbody>");
        foreach (var a in summary)
            sb.Append("<tr><td class=\"key\">").Append(Html.Audience(a.Audience)).Append("</td><td>").Append(a.Reveals.ToString("N0")).Append("</td><td>")
              .Append(a.Elements.ToString("N0")).Append("</td><td class=\"key\">").Append(Html.E(string.Join("; ", a.Kinds))).Append("</td></tr>");
        sb.Append("</tbody></table>\n<p class=\"meta\">Every reveal is listed under its linkage or release above and in the packet; LEAKAGE.md in the repository says why each is acceptable.</p>\n");
    }

    static void ReproducibilitySection(StringBuilder sb, Reproducibility p)
    {
        sb.Append("<h2>Reproducibility</h2>\n<table><tbody>")
          .Append("<tr><td class=\"key\">command</td><td class=\"key\"><code>").Append(Html.E(p.Command)).Append("</code></td></tr>")
          .Append("<tr><td class=\"key\">started</td><td class=\"key\">").Append(p.StartedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture))
          .Append(" (").Append(Html.Seconds(p.Duration)).Append(")</td></tr>")
          .Append("<tr><td class=\"key\">engine</td><td class=\"key\">").Append(Html.E(p.Engine)).Append("</td></tr>");
        foreach (var (k, v) in p.Seeds) sb.Append("<tr><td class=\"key\">seed: ").Append(Html.E(k)).Append("</td><td class=\"key\">").Append(Html.E(v)).Append("</td></tr>");
        foreach (var (k, v) in p.Versions) sb.Append("<tr><td class=\"key\">").Append(Html.E(k)).Append("</td><td class=\"key\">").Append(Html.E(v)).Append("</td></tr>");
        foreach (var (k, v) in p.Environment) sb.Append("<tr><td class=\"key\">").Append(Html.E(k)).Append("</td><td class=\"key\">").Append(Html.E(v)).Append("</td></tr>");
        sb.Append("</tbody></table>\n");
    }
}
