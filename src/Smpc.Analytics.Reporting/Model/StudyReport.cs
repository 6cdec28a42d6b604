namespace Smpc.Analytics.Reporting;

/// <summary>
/// Everything a study run produced that a reader or a disclosure reviewer needs: the question and narrative,
/// the datasets (with file hashes and their data-use terms), the linkages, every release (or refusal) with what it
/// revealed to whom and what it cost, the checks against ground truth, and how to reproduce the run.
/// Plain data: the writers (<see cref="ReportWriter"/>) turn it into an HTML report and a review packet.
/// </summary>
public sealed record StudyReport
{
    public required string Title { get; init; }

    /// <summary>Study identifier used in file names and the packet (letters, digits, '-', '_').</summary>
    public required string StudyId { get; init; }

    /// <summary>The research question in one or two sentences.</summary>
    public required string Question { get; init; }

    /// <summary>Narrative sections in reading order (background, findings, limitations …).</summary>
    public IReadOnlyList<ReportSection> Narrative { get; init; } = [];

    /// <summary>How the computation was done: protocol, engine, linkage method.</summary>
    public IReadOnlyList<ReportSection> Methods { get; init; } = [];

    /// <summary>Threat model in short statements (who learns what, what is assumed).</summary>
    public IReadOnlyList<string> ThreatModel { get; init; } = [];

    public required IReadOnlyList<DatasetEntry> Datasets { get; init; }
    public IReadOnlyList<LinkageEntry> Linkages { get; init; } = [];
    public required IReadOnlyList<ReleaseEntry> Releases { get; init; }
    public IReadOnlyList<GroundTruthCheck> Checks { get; init; } = [];
    public required Reproducibility Reproducibility { get; init; }

    /// <summary>The study's transparency log as exported (format smpc-transparency-log/1), written beside the packet
    /// as <c>transparency-log.json</c>; null when no log was kept.</summary>
    public string? TransparencyLogJson { get; init; }

    /// <summary>True when no ground-truth check failed (a check of a suppressed number is not a failure).</summary>
    public bool ChecksPassed => !Checks.Any(c => c.Failed);

    /// <summary>Every reveal of the run (linkages and releases) in order.</summary>
    public IEnumerable<RevealEntry> AllReveals => Linkages.SelectMany(l => l.Reveals).Concat(Releases.SelectMany(r => r.Reveals));

    /// <summary>Totals over linkages and releases.</summary>
    public CostEntry TotalCost => CostEntry.Sum(Linkages.Select(l => l.Cost).Concat(Releases.Select(r => r.Cost)));
}

/// <summary>A heading and its paragraphs (plain text; the writers escape it).</summary>
public sealed record ReportSection(string Heading, IReadOnlyList<string> Paragraphs);
