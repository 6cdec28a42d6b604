namespace Smpc.Analytics.Interactive.Api;

/// <summary>One aggregate query over a dataset of a study (the arguments of <c>#!secure-aggregate</c>).</summary>
public sealed record AggregateRequest
{
    /// <summary>Dataset (contributed or produced by a join) the statistic runs over.</summary>
    public required string Dataset { get; init; }

    public required Statistic Statistic { get; init; }

    /// <summary>Numeric column the statistic summarises (not needed for <see cref="Statistic.Count"/>).</summary>
    public string? Column { get; init; }

    /// <summary>Categorical columns whose cross product defines the cells (at most two).</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    /// <summary>Public bin edges for <see cref="Statistic.Histogram"/>, ascending: bin k is [edge_k, edge_{k+1}).</summary>
    public IReadOnlyList<double> Bins { get; init; } = [];

    /// <summary>Predictor column for <see cref="Statistic.Regression"/>.</summary>
    public string? Predictor { get; init; }

    public string Describe() =>
        $"{Statistic.Name()}{(Column is null ? "" : $"({Column}{(Predictor is null ? "" : $" ~ {Predictor}")})")} of {Dataset}" +
        (GroupBy.Count > 0 ? $" by {string.Join(" × ", GroupBy)}" : "");
}
