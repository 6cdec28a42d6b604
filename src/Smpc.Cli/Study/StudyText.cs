using System.Globalization;
using Smpc.Analytics.Reporting;
using Smpc.Analytics.Studies.Plans;

namespace Smpc.Cli.Study;

/// <summary>A study's report text that a plan does not give: the toolkit's own methods and threat model, and the
/// findings written from released numbers. A plan's introduction and methods may use the placeholders filled here.</summary>
internal static class StudyText
{
    /// <summary>The methods sections: the plan's (with "{pseudonymisation}" and "{passes}" filled from the first
    /// linkage), or the toolkit's own description when the plan gives none.</summary>
    public static IReadOnlyList<ReportSection> Methods(IReadOnlyList<PlanSection> plan, string pseudonymisation, int passes)
    {
        string Fill(string text) => text.Replace("{pseudonymisation}", pseudonymisation, StringComparison.Ordinal)
                                        .Replace("{passes}", passes.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return plan.Count > 0 ? plan.Select(s => new ReportSection(s.Heading, s.Paragraphs.Select(Fill).ToArray())).ToArray()
            : DefaultMethods.Select(s => new ReportSection(s.Heading, s.Paragraphs.Select(Fill).ToArray())).ToArray();
    }

    static readonly IReadOnlyList<ReportSection> DefaultMethods =
    [
        new("Secure computation", [
            "Three compute parties hold every contributed column as replicated secret shares over the integers modulo 2^64 (Araki et al., CCS 2016), " +
            "either as three threads of one process linked by in-memory channels (the embedded default) or as three processes over mutually " +
            "authenticated TLS (smpc party). Fixed-point values carry the fraction bits their schema declares; each mean states its error bound.",
        ]),
        new("Linkage", [
            "Each contributor normalised its own identifiers and turned them into pseudonyms ({pseudonymisation}) before sharing; identifiers never left it. " +
            "The compute parties linked the tables in {passes} passes, each for the rows the earlier passes did not link, shuffling every table " +
            "obliviously before opening its pseudonyms, so they learn how many rows match, not which.",
        ]),
        new("Statistics and disclosure control", [
            "Every query is checked against the data-use terms of every dataset its rows came from before anything is computed (a linked table takes the " +
            "strictest rule of its sources). Disclosure control runs inside the computation: a cell under the minimum cell size, a sum dominated by a few " +
            "contributors (p% rule) and any cell from which a suppressed one could be recomputed are never revealed; counts are rounded as the terms ask.",
        ]),
    ];

    public static readonly IReadOnlyList<string> ThreatModel =
    [
        "Semi-honest, honest majority: each compute party follows the protocol; any single party learns nothing beyond the declared leakage, even if it records every byte it sees.",
        "Two colluding compute parties can reconstruct every secret. Choose three organisations that will not collude.",
        "The analyst is untrusted beyond what is released: disclosure control runs inside the computation, so a suppressed cell is revealed to no one.",
        "Contributors learn nothing about other contributors' data. The keyed-hash key is shared by the contributors and never given to a compute party; a contributor colluding with a compute party could test guesses against opened pseudonyms (LEAKAGE.md).",
        "The compute parties learn the sizes of the tables and of their overlaps per linkage pass, and the suppressed/released bit of each cell. Active (malicious) security is not provided.",
    ];

    /// <summary>Findings written from released values only (a suppressed or refused number is said to be so).</summary>
    public static ReportSection Findings(IReadOnlyList<ReleaseEntry> releases, IReadOnlyList<LinkageEntry> linkages)
    {
        var lines = new List<string>();
        foreach (var l in linkages)
            lines.Add($"{l.Name}: {(l.JoinedRows is { } linked ? linked.ToString("N0") : "a suppressed number of")} people linked{(l.RoundingBase > 1 ? $" (rounded to a multiple of {l.RoundingBase})" : "")} ({string.Join(", ", l.MatchCounts.Select(c => $"{c.Pass}: {(c.Count is { } n ? n.ToString("N0") : "suppressed")}"))}).");
        foreach (var r in releases.Where(r => r.Narrative is not null && r.Outcome == ReleaseOutcome.Released))
            lines.Add($"{r.Title} ({r.Id}): {r.Narrative}");
        var refused = releases.Where(r => r.Outcome == ReleaseOutcome.Refused).ToList();
        if (refused.Count > 0)
            lines.Add($"Refused by the terms: {string.Join("; ", refused.Select(r => $"{r.Title} ({r.Id}, rule {r.RefusedBy})"))}.");
        int suppressed = releases.Sum(r => r.Table?.SuppressedCount ?? 0);
        if (suppressed > 0)
            lines.Add($"{suppressed} cells were suppressed by disclosure control and are marked where they occur; their values were never revealed.");
        return new ReportSection("Findings", lines);
    }
}
