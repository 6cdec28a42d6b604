namespace Smpc.Analytics.Interactive.Api;

/// <summary>The result of <c>#!secure-aggregate</c> or <see cref="SecureStudy.Aggregate"/>: the released table,
/// the query that produced it, the disclosure rules applied, and what it cost and revealed.</summary>
public sealed record Release(AggregateRequest Request, ReleaseTable Table, DisclosureRules Rules, OperationCost Cost)
{
    /// <summary>Released rows only (suppressed cells never have values).</summary>
    public IEnumerable<ReleaseRow> Released => Table.Released;

    /// <summary>A value column (null where suppressed).</summary>
    public double?[] this[string column] => Table[column];

    /// <summary>Declared (public) bounds of the predictor of a regression, for drawing the fitted lines.</summary>
    public (double Min, double Max)? PredictorRange { get; init; }

    public override string ToString() => $"{Table}{Cost.Summary}";
}

/// <summary>The result of <c>#!secure-join</c> or <see cref="SecureStudy.Join"/>: a new secret dataset in the study
/// (nothing about its rows was released to the analyst) and the counts the join revealed.</summary>
public sealed record JoinRelease(string Dataset, string Left, string Right, string Key, int LeftRows, int RightRows, int MatchedRows,
                                 string Method, IReadOnlyList<string> Columns, OperationCost Cost)
{
    public override string ToString() =>
        $"{Dataset} = {Left} ⋈ {Right} on {Key}: {MatchedRows:N0} linked rows ({LeftRows:N0} × {RightRows:N0}); {Cost.Summary}";
}
