namespace Smpc.Analytics.Interactive.Api;

/// <summary>Statistics an analyst can ask for. Names follow R / pandas words.</summary>
public enum Statistic
{
    /// <summary>Number of rows per cell (rows with a value in the value column when one is given).</summary>
    Count,
    /// <summary>Sum of the value column per cell.</summary>
    Sum,
    /// <summary>Mean of the value column per cell (sum / count of released cells).</summary>
    Mean,
    /// <summary>Counts per bin of the value column (bin edges are public).</summary>
    Histogram,
    /// <summary>Quartiles (box) per cell.</summary>
    Quantiles,
    /// <summary>Ordinary least squares of the value column on one predictor.</summary>
    Regression,
}

/// <summary>Parsing and naming of <see cref="Statistic"/> values as they appear in magics.</summary>
public static class StatisticNames
{
    public static readonly IReadOnlyList<string> All = ["count", "sum", "mean", "histogram", "quantiles", "regression"];

    public static string Name(this Statistic s) => s.ToString().ToLowerInvariant();

    /// <summary>The operation's name in data-use terms (<see cref="Smpc.Analytics.Study.DataUseTerms.AllowedOperations"/>).</summary>
    public static string OperationName(this Statistic s) => s switch
    {
        Statistic.Quantiles => "quantile",
        Statistic.Regression => "ols",
        _ => s.Name(),
    };

    public static Statistic Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "count" or "n" => Statistic.Count,
        "sum" or "total" => Statistic.Sum,
        "mean" or "avg" or "average" => Statistic.Mean,
        "histogram" or "hist" => Statistic.Histogram,
        "quantiles" or "quantile" or "box" => Statistic.Quantiles,
        "regression" or "ols" => Statistic.Regression,
        _ => throw new QueryException($"Unknown statistic '{text}'. Use one of: {string.Join(", ", All)}."),
    };
}
