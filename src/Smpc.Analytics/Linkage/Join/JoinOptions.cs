namespace Smpc.Analytics.Linkage;

/// <summary>How to link: join kind, passes, and what the result looks like.</summary>
public sealed record JoinOptions
{
    public JoinKind Kind { get; init; } = JoinKind.Inner;

    /// <summary>Linkage passes in order (e.g. SSN, then surname + given name + date of birth + sex).</summary>
    public required IReadOnlyList<LinkagePass> Passes { get; init; }

    /// <summary>Obliviously shuffle the joined table before returning it (default), so its row order carries no link to the
    /// pseudonyms the compute parties saw. Turn off only when every later step opens nothing per row.</summary>
    public bool ShuffleResult { get; init; } = true;

    /// <summary>Name of the 0/1 column of a left join ("matched"; with more than two tables "matched_&lt;table&gt;").</summary>
    public string MatchedColumn { get; init; } = "matched";

    /// <summary>Smallest per-pass match count or joined row count released to the analyst; default: the largest MinCellSize of the inputs' terms, else 11.</summary>
    public int? MinCellSize { get; init; }

    /// <summary>Released sizes (joined rows, per-pass match counts) are rounded to a multiple of this; default: the largest
    /// RoundingBase of the inputs' terms, else 1 (exact).</summary>
    public int? RoundingBase { get; init; }

    /// <summary>Name of the joined table (default: the input names joined by " × ").</summary>
    public string? ResultName { get; init; }
}
