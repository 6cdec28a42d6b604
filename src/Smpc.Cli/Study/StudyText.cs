using Smpc.Analytics.Reporting;

namespace Smpc.Cli.Study;

/// <summary>The study's fixed text: question, background, methods and threat model (findings are written from released numbers).</summary>
internal static class StudyText
{
    public const string Title = "Veterans' financial well-being: a secure study across three agencies";
    public const string StudyId = "veterans-financial-well-being";

    public const string Question =
        "How do veterans' disability compensation, service era and age relate to their savings, delinquency and earnings — " +
        "using a benefits agency's, a bank's and a graduate survey's records that none of them may hand to the others?";

    public static ReportSection Background(string dataFolder) => new("Background",
    [
        "Three agencies hold records about overlapping people: a veterans' benefits agency (service era, disability rating, monthly benefit), " +
        "a retail bank (deposits, balance, delinquency) and a graduate survey agency (degree, employment, salary). Each agreed to the study under " +
        "its own data-use terms; the bank's terms allow internal use only, a minimum cell size of 20 and no quantiles.",
        $"The data here are the committed synthetic agencies of {dataFolder}: no row describes a real person, and the plaintext ground truth beside " +
        "them lets this report check its own numbers.",
        "No agency saw another's rows, and the analyst saw only the aggregates below. Where the terms refused a query or disclosure control " +
        "suppressed a cell, the report says so in place.",
    ]);

    public static IReadOnlyList<ReportSection> Methods(string pseudonymisation, int passes) =>
    [
        new("Secure computation", [
            "Three compute parties hold every contributed column as replicated secret shares over the integers modulo 2^64 (Araki et al., CCS 2016). " +
            "In this run they are three threads of one process linked by in-memory channels (the embedded default); the same protocol code runs as " +
            "three processes over mutually authenticated TLS (smpc party). Fixed-point values carry 8 fraction bits (money) or 16; each mean states its error bound.",
        ]),
        new("Linkage", [
            $"Each agency normalised its own identifiers and turned them into pseudonyms ({pseudonymisation}) before sharing; identifiers never left it. " +
            $"The compute parties linked the tables in {passes} passes — SSN first, then surname + given name + date of birth for the rows the SSN did not link — " +
            "shuffling every table obliviously before opening its pseudonyms, so they learn how many rows match, not which. Duplicate records of one " +
            "agency are reduced to one per key inside the computation.",
        ]),
        new("Statistics and disclosure control", [
            "Counts, sums and means per cell are dot products on shares; the cross-tab carries its margins; quantiles come from an oblivious sort; " +
            "the OLS fit is solved on shares and only coefficients, standard errors and R² are released.",
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
