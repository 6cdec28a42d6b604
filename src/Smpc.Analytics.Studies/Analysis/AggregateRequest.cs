using System.Globalization;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies;

/// <summary>
/// One aggregate query over a dataset of a study (the arguments of <c>#!secure-aggregate</c>). Statistics of one
/// <see cref="StatisticFamily"/> can be asked together, e.g. count, mean and std of a column by service era.
/// </summary>
public sealed record AggregateRequest
{
    /// <summary>A contributed dataset or the result of a join.</summary>
    public required string Dataset { get; init; }

    public IReadOnlyList<StatisticKind> Statistics { get; init; } = [StatisticKind.Count];

    /// <summary>Numeric columns the statistics summarise; for OLS the response first, then the covariates; for a
    /// correlation two columns; for a histogram the binned column.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>Categorical columns (declared domain) defining the cells: none, one, or two (a cross-tab).</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    /// <summary>A row filter evaluated on shares, e.g. <c>age &gt;= 65 and state in (CA, TX)</c>.</summary>
    public string? Filter { get; init; }

    /// <summary>A non-negative weight column; needs <see cref="WeightKind"/>.</summary>
    public string? Weight { get; init; }

    /// <summary>What the weights mean — frequency, analytic or probability (survey) weights; required with
    /// <see cref="Weight"/> (no default). It decides OLS standard errors and how weighted counts read.</summary>
    public WeightKind? WeightKind { get; init; }

    /// <summary>Differential privacy: ε this query spends of each contributing dataset's budget (counts, sums, means).</summary>
    public double? Epsilon { get; init; }

    /// <summary>Public bin edges of a histogram, ascending.</summary>
    public IReadOnlyList<double> Bins { get; init; } = [];

    /// <summary>Probabilities of <see cref="StatisticKind.Quantiles"/>, each in (0, 1).</summary>
    public IReadOnlyList<double> Probabilities { get; init; } = [];

    /// <summary>The faster group-by that reveals group sizes to the compute parties (never to the analyst); every
    /// contributing dataset's terms must allow it (AllowRevealGroupSizes).</summary>
    public bool RevealGroupSizesToComputeParties { get; init; }

    public static readonly IReadOnlyList<double> BoxProbabilities = [0.05, 0.25, 0.5, 0.75, 0.95];

    public string Describe()
    {
        var stats = string.Join(", ", Statistics.Select(s => s.Name()));
        var parts = new List<string> { Columns.Count == 0 ? stats : $"{stats} of {string.Join(", ", Columns)}" };
        if (GroupBy.Count > 0) parts.Add($"by {string.Join(" × ", GroupBy)}");
        if (Filter is not null) parts.Add($"where {Filter}");
        if (Weight is not null) parts.Add(WeightKind is { } kind ? $"weighted by {Weight} ({kind.Name()} weights)" : $"weighted by {Weight}");
        if (Bins.Count > 0) parts.Add($"bins [{string.Join(", ", Bins.Select(b => b.ToString(CultureInfo.InvariantCulture)))}]");
        if (Probabilities.Count > 0) parts.Add($"at {string.Join(", ", Probabilities.Select(b => b.ToString(CultureInfo.InvariantCulture)))}");
        if (Epsilon is { } e) parts.Add($"ε = {e.ToString(CultureInfo.InvariantCulture)}");
        return $"{string.Join(" ", parts)} on '{Dataset}'";
    }
}
