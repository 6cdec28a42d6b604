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
}
