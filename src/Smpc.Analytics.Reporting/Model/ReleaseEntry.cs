namespace Smpc.Analytics.Reporting;

/// <summary>Whether a query released something or was refused before anything was computed.</summary>
public enum ReleaseOutcome
{
    /// <summary>Computed; every cell either released or suppressed by disclosure control.</summary>
    Released,
    /// <summary>Refused by the data-use terms (or a query check) before anything was computed or revealed.</summary>
    Refused,
}

/// <summary>
/// One query of the study and what came of it: the released table (suppressed cells have no value), the disclosure
/// rules applied, what was revealed to the analyst and to the compute parties, and the cost. A refused query keeps
/// its reason (<see cref="RefusedBy"/>, <see cref="RefusalMessage"/>) and has no table.
/// </summary>
public sealed record ReleaseEntry
{
    /// <summary>Short stable identifier ("R01", …), used as an anchor and in the packet.</summary>
    public required string Id { get; init; }
    public required string Title { get; init; }

    /// <summary>Dataset (contributed or linked) the query ran over.</summary>
    public required string Dataset { get; init; }

    /// <summary>The query in words, as the engine describes it.</summary>
    public required string Query { get; init; }

    /// <summary>What the result says, in a sentence or two (optional; written by the study).</summary>
    public string? Narrative { get; init; }

    public required ReleaseOutcome Outcome { get; init; }

    /// <summary>The rule that refused the query (e.g. "AllowedOperations"), for refusals.</summary>
    public string? RefusedBy { get; init; }
    public string? RefusalMessage { get; init; }

    /// <summary>The released table; null for a refusal.</summary>
    public ReportTable? Table { get; init; }

    public IReadOnlyList<string> RulesApplied { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];
    public IReadOnlyList<RevealEntry> Reveals { get; init; } = [];
    public required CostEntry Cost { get; init; }

    /// <summary>The chart to draw from the released cells, if any.</summary>
    public ChartRequest? Chart { get; init; }

    /// <summary>ε charged to a privacy budget, when differentially private.</summary>
    public double? EpsilonSpent { get; init; }

    /// <summary>The inclusion proof of this release's entry in the study's transparency log (format
    /// smpc-inclusion-proof/1), checkable offline with <c>smpc audit check-proof</c>; null when no log was kept.</summary>
    public string? LogProofJson { get; init; }

    /// <summary>The entry's position in the log and the size of the tree the proof is for (shown in the report).</summary>
    public (long Entry, long TreeSize)? LogPosition { get; init; }

    /// <summary>The entries each registry-gated compute party appended for this release (or refusal) to the registry's
    /// transparency log, with the URL of each entry's inclusion proof; empty when the parties kept no such log.</summary>
    public IReadOnlyList<LogEntryLink> LogEntries { get; init; } = [];
}

/// <summary>One compute party's entry in the registry's transparency log: the party, the entry's index and the URL of
/// its inclusion proof (GET, with a token of someone who may see the study).</summary>
public sealed record LogEntryLink(int Party, long Index, string ProofUrl);

/// <summary>Rows used, bytes the three compute parties sent together, communication rounds, wall time.</summary>
public sealed record CostEntry(long RowsUsed, long Bytes, long Rounds, TimeSpan Elapsed)
{
    public static readonly CostEntry None = new(0, 0, 0, TimeSpan.Zero);

    /// <summary>Totals: rows and bytes and time add up; rounds add up too (the operations ran one after another).</summary>
    public static CostEntry Sum(IEnumerable<CostEntry> costs) => costs.Aggregate(None, (a, c) =>
        new CostEntry(a.RowsUsed + c.RowsUsed, a.Bytes + c.Bytes, a.Rounds + c.Rounds, a.Elapsed + c.Elapsed));
}

/// <summary>Who learned a revealed value.</summary>
public enum RevealAudienceKind
{
    /// <summary>Opened to the three compute parties only (e.g. shuffled pseudonyms, comparison bits).</summary>
    ComputeParties,
    /// <summary>Released to the analyst (aggregates that passed disclosure control).</summary>
    Analyst,
}

/// <summary>One entry of the engine's reveal log: audience, purpose and how many values.</summary>
public sealed record RevealEntry(RevealAudienceKind Audience, string Purpose, int Elements);
