namespace Smpc.Analytics.Studies;

/// <summary>
/// One entry of a study's history: a join (<see cref="JoinRelease"/>) or a release of aggregates
/// (<see cref="Release"/>), numbered in the order they happened, with what it cost and revealed to whom.
/// The history is what a disclosure-review packet lists.
/// </summary>
public abstract record StudyEvent
{
    /// <summary>1, 2, 3, … in the order of the study's operations.</summary>
    public required int Sequence { get; init; }

    public required DateTimeOffset At { get; init; }

    public required OperationCost Cost { get; init; }

    /// <summary>The operation in one line.</summary>
    public abstract string Summary { get; }

    /// <summary>Where each compute party logged this operation in the study registry's transparency log (registry-gated
    /// party services), one entry per party; empty when the parties keep no registry log.</summary>
    public IReadOnlyList<LogEntryReference> LogEntries { get; init; } = [];
}

/// <summary>One compute party's entry for an operation in the registry's transparency log: its index and the URL of its
/// inclusion proof (GET /api/studies/{id}/log/{index}, for the study's members).</summary>
public sealed record LogEntryReference(int Party, long Index, string Url);
