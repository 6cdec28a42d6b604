using System.Globalization;
using System.Text;

namespace Smpc.Analytics.Reporting;

/// <summary>The human-readable disclosure-review page (Markdown): the same facts as the JSON packet, for a reviewer to read top to bottom.</summary>
public static class PacketMarkdownWriter
{
    public static string Render(StudyReport r, IReadOnlyDictionary<string, FileDigest>? outputs = null)
    {
        var sb = new StringBuilder();
        sb.Append("# Disclosure review: ").Append(r.Title).Append("\n\n")
          .Append("Study `").Append(r.StudyId).Append("`, run ").Append(r.Reproducibility.StartedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))
          .Append(" with `").Append(r.Reproducibility.Command).Append("` on the engine \"").Append(r.Reproducibility.Engine).Append("\".\n\n")
          .Append("**Question.** ").Append(r.Question).Append("\n\n");

        sb.Append("## 1. Datasets, files and terms\n\n| dataset | steward | rows | min. cell | p% rule | rounding | redisclosure | expires |\n|---|---|---:|---:|---:|---:|---|---|\n");
        foreach (var d in r.Datasets)
            sb.Append("| ").Append(d.Name).Append(" | ").Append(Cell(d.Steward)).Append(" | ").Append(d.Rows.ToString("N0", CultureInfo.InvariantCulture)).Append(" | ")
              .Append(d.Terms.MinCellSize).Append(" | ").Append(d.Terms.DominanceP is { } p ? Html.Number(p) + "%" : "—").Append(" | ").Append(d.Terms.RoundingBase)
              .Append(" | ").Append(d.Terms.InternalUseOnly ? "internal use only" : Cell(string.Join("; ", d.Terms.RedisclosureTo))).Append(" | ").Append(d.Terms.Expires ?? "—").Append(" |\n");
        sb.Append("\n| file | role | bytes | SHA-256 |\n|---|---|---:|---|\n");
        foreach (var f in r.Datasets.SelectMany(d => d.Files))
            sb.Append("| `").Append(f.Path).Append("` | ").Append(f.Role).Append(" | ").Append(f.Bytes.ToString("N0", CultureInfo.InvariantCulture)).Append(" | `").Append(f.Sha256).Append("` |\n");
        foreach (var d in r.Datasets)
            sb.Append("\n**").Append(d.Name).Append("** — purpose: ").Append(d.Terms.Purpose).Append(" Operations allowed: ").Append(string.Join(", ", d.Terms.AllowedOperations))
              .Append(". Columns allowed: ").Append(d.Terms.AllowedColumns.Count == 0 ? "all" : string.Join(", ", d.Terms.AllowedColumns))
              .Append(". Linkage columns: ").Append(string.Join(", ", d.Terms.LinkageColumns)).Append(".\n");

        sb.Append("\n## 2. Linkages\n\n");
        foreach (var l in r.Linkages)
        {
            sb.Append("### ").Append(l.Name).Append("\n\n").Append(l.Kind).Append(" join of ").Append(string.Join(" and ", l.Tables)).Append("; pseudonyms: ")
              .Append(l.Pseudonymisation).Append("; ").Append(LinkageText.Rows(l)).Append(" joined rows.\n\n| pass | sources | table | matches released |\n|---|---|---|---:|\n");
            foreach (var c in l.MatchCounts)
            {
                var pass = l.Passes.FirstOrDefault(p => p.Name == c.Pass);
                sb.Append("| ").Append(c.Pass).Append(" | ").Append(pass is null ? "" : string.Join(" + ", pass.Sources)).Append(" | ").Append(c.Table).Append(" | ")
                  .Append(c.Count is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "suppressed").Append(" |\n");
            }
            Reveals(sb, l.Reveals, l.Cost);
        }

        sb.Append("\n## 3. Releases\n\n| id | title | dataset | outcome | cells released / suppressed | rule (refusals) |\n|---|---|---|---|---|---|\n");
        foreach (var x in r.Releases)
            sb.Append("| ").Append(x.Id).Append(" | ").Append(Cell(x.Title)).Append(" | ").Append(x.Dataset).Append(" | ").Append(x.Outcome.ToString().ToLowerInvariant()).Append(" | ")
              .Append(x.Table is { } t ? $"{t.Rows.Count - t.SuppressedCount} / {t.SuppressedCount}" : "—").Append(" | ").Append(x.RefusedBy ?? "").Append(" |\n");
        foreach (var x in r.Releases)
        {
            sb.Append("\n### ").Append(x.Id).Append(" · ").Append(x.Title).Append("\n\n`").Append(x.Query).Append("`\n\n");
            if (x.Outcome == ReleaseOutcome.Refused)
            {
                sb.Append("**Refused** (").Append(x.RefusedBy).Append("): ").Append(x.RefusalMessage)
                  .Append(x.Reveals.Any(v => v.Audience == RevealAudienceKind.Analyst) ? "\n" : " Nothing was released to the analyst.\n");
                Reveals(sb, x.Reveals, x.Cost);
                LogLine(sb, x);
                continue;
            }
            if (x.Table is { } t) Table(sb, t);
            if (x.RulesApplied.Count > 0) { sb.Append("\nRules applied:\n"); foreach (var rule in x.RulesApplied) sb.Append("* ").Append(rule).Append('\n'); }
            if (x.Notes.Count > 0) { sb.Append("\nNotes:\n"); foreach (var n in x.Notes) sb.Append("* ").Append(n).Append('\n'); }
            Reveals(sb, x.Reveals, x.Cost);
            LogLine(sb, x);
        }

        sb.Append("\n## 4. What was revealed to whom (totals)\n\n| audience | reveals | values |\n|---|---:|---:|\n");
        foreach (var a in LeakageSummary.Of(r))
            sb.Append("| ").Append(Html.Audience(a.Audience)).Append(" | ").Append(a.Reveals.ToString("N0", CultureInfo.InvariantCulture)).Append(" | ").Append(a.Elements.ToString("N0", CultureInfo.InvariantCulture)).Append(" |\n");
        var cost = r.TotalCost;
        sb.Append("\nTotal cost: ").Append(Html.Bytes(cost.Bytes)).Append(", ").Append(cost.Rounds.ToString("N0", CultureInfo.InvariantCulture)).Append(" rounds, ")
          .Append(Html.Seconds(cost.Elapsed)).Append(".\n");

        sb.Append("\n## 5. Checks against the plaintext ground truth\n\n");
        if (r.Checks.Count == 0) sb.Append("None: the study names no ground truth.\n");
        else sb.Append("| what | expected | released | allowed difference | result |\n|---|---:|---:|---:|---|\n");
        foreach (var c in r.Checks)
            sb.Append("| ").Append(Cell(c.What)).Append(" | ").Append(Html.Number(c.Expected)).Append(" | ").Append(c.Actual is { } a ? Html.Number(a) : "not released")
              .Append(" | ").Append(Html.Number(c.Tolerance)).Append(" | ").Append(c.Outcome switch { CheckOutcome.Pass => "pass", CheckOutcome.Fail => "**FAIL**", _ => "not checked: suppressed" }).Append(" |\n");

        sb.Append("\n## 6. Threat model\n\n");
        foreach (var t in r.ThreatModel) sb.Append("* ").Append(t).Append('\n');
        sb.Append("\n## 7. Reproducibility\n\n* command: `").Append(r.Reproducibility.Command).Append("`\n");
        foreach (var (k, v) in r.Reproducibility.Seeds) sb.Append("* seed, ").Append(k).Append(": ").Append(v).Append('\n');
        foreach (var (k, v) in r.Reproducibility.Versions) sb.Append("* ").Append(k).Append(": ").Append(v).Append('\n');
        foreach (var (k, v) in r.Reproducibility.Environment) sb.Append("* ").Append(k).Append(": ").Append(v).Append('\n');
        if (outputs is not null)
        {
            sb.Append("\nOutput files (their SHA-256 are in `").Append(ReportWriter.ManifestSums).Append("`, checked with `sha256sum -c ").Append(ReportWriter.ManifestSums).Append("`):\n");
            foreach (var f in outputs.Values) sb.Append("* `").Append(f.Path).Append("` (").Append(f.Role).Append(")\n");
        }
        return sb.ToString();
    }

    static string Cell(string s) => s.Replace("|", "\\|").Replace("\n", " ");

    static void Table(StringBuilder sb, ReportTable t)
    {
        sb.Append("| ").Append(string.Join(" | ", t.KeyColumns.Concat(t.ValueColumns).Select(Cell))).Append(" |\n|")
          .Append(string.Concat(t.KeyColumns.Select(_ => "---|"))).Append(string.Concat(t.ValueColumns.Select(_ => "---:|"))).Append('\n');
        foreach (var row in t.Rows)
        {
            var values = row.Values is null ? t.ValueColumns.Select(_ => $"*suppressed ({row.SuppressedBy})*") : row.Values.Select((v, i) => v is { } x ? t.Text(i, x) : "—");
            sb.Append("| ").Append(string.Join(" | ", row.Keys.Select(Cell).Concat(values))).Append(" |\n");
        }
    }

    static void LogLine(StringBuilder sb, ReleaseEntry x)
    {
        if (x.LogPosition is { } at)
            sb.Append("\nTransparency log: entry ").Append(at.Entry.ToString("N0", CultureInfo.InvariantCulture)).Append(" of ")
              .Append(at.TreeSize.ToString("N0", CultureInfo.InvariantCulture)).Append(" (`").Append(ReportWriter.TransparencyLog)
              .Append("`; inclusion proof in the JSON packet, `smpc audit check-proof`).\n");
        if (x.LogEntries.Count > 0)
        {
            sb.Append("\nRegistry transparency log (one entry per compute party):\n");
            foreach (var e in x.LogEntries)
                sb.Append("* party ").Append(e.Party).Append(": entry #").Append(e.Index.ToString(CultureInfo.InvariantCulture)).Append(", proof <").Append(e.ProofUrl).Append(">\n");
        }
    }

    static void Reveals(StringBuilder sb, IReadOnlyList<RevealEntry> reveals, CostEntry cost)
    {
        sb.Append("\nRevealed:\n");
        if (reveals.Count == 0) sb.Append("* nothing\n");
        foreach (var v in reveals) sb.Append("* to the ").Append(Html.Audience(v.Audience)).Append(": ").Append(v.Elements.ToString("N0", CultureInfo.InvariantCulture)).Append(" value")
                                    .Append(v.Elements == 1 ? "" : "s").Append(" — ").Append(v.Purpose).Append('\n');
        sb.Append("\nCost: ").Append(cost.RowsUsed.ToString("N0", CultureInfo.InvariantCulture)).Append(" rows, ").Append(Html.Bytes(cost.Bytes)).Append(", ")
          .Append(cost.Rounds.ToString("N0", CultureInfo.InvariantCulture)).Append(" rounds, ").Append(Html.Seconds(cost.Elapsed)).Append(".\n");
    }
}
