using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies;

/// <summary>Statistics an analyst can ask for, by the names statisticians use (R / pandas words).</summary>
public enum StatisticKind
{
    /// <summary>Rows per cell (weighted: the sum of weights).</summary>
    Count,
    Sum,
    Mean,
    Variance,
    /// <summary>Standard deviation.</summary>
    StdDev,
    /// <summary>Counts per public bin of a numeric column (with --bins), optionally per group.</summary>
    Histogram,
    /// <summary>Two-way table of counts with margins (needs two group-by columns).</summary>
    CrossTab,
    Min,
    Max,
    Median,
    /// <summary>Quantiles at the requested probabilities (default 0.05, 0.25, 0.5, 0.75, 0.95: a box).</summary>
    Quantiles,
    /// <summary>Pearson correlation of two numeric columns.</summary>
    Correlation,
    /// <summary>Ordinary least squares: the first column on the others, with an intercept (coefficients, standard errors, R²).</summary>
    Ols,
}

/// <summary>Which statistics can be computed together: they share one query and one release.</summary>
public enum StatisticFamily
{
    /// <summary>Count, sum, mean, variance, std (and histogram / cross-tab): cells with margins, disclosure control per cell.</summary>
    Table,
    /// <summary>Min, max, median, quantiles: order statistics of one column, per group.</summary>
    Order,
    Correlation,
    Ols,
}

public static class StatisticKinds
{
    public static readonly IReadOnlyList<string> All =
        ["count", "sum", "mean", "variance", "std", "histogram", "crosstab", "min", "max", "median", "quantiles", "correlation", "ols"];

    public static string Name(this StatisticKind s) => s switch
    {
        StatisticKind.StdDev => "std",
        StatisticKind.CrossTab => "crosstab",
        _ => s.ToString().ToLowerInvariant(),
    };

    public static StatisticFamily Family(this StatisticKind s) => s switch
    {
        StatisticKind.Min or StatisticKind.Max or StatisticKind.Median or StatisticKind.Quantiles => StatisticFamily.Order,
        StatisticKind.Correlation => StatisticFamily.Correlation,
        StatisticKind.Ols => StatisticFamily.Ols,
        _ => StatisticFamily.Table,
    };

    /// <summary>The per-cell measure of a table statistic.</summary>
    internal static Statistic? Measure(this StatisticKind s) => s switch
    {
        StatisticKind.Count => Statistic.Count,
        StatisticKind.Sum => Statistic.Sum,
        StatisticKind.Mean => Statistic.Mean,
        StatisticKind.Variance => Statistic.Variance,
        StatisticKind.StdDev => Statistic.StdDev,
        _ => null,
    };

    public static StatisticKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "count" or "n" => StatisticKind.Count,
        "sum" or "total" => StatisticKind.Sum,
        "mean" or "avg" or "average" => StatisticKind.Mean,
        "variance" or "var" => StatisticKind.Variance,
        "std" or "sd" or "stddev" => StatisticKind.StdDev,
        "histogram" or "hist" => StatisticKind.Histogram,
        "crosstab" or "cross-tab" => StatisticKind.CrossTab,
        "min" => StatisticKind.Min,
        "max" => StatisticKind.Max,
        "median" => StatisticKind.Median,
        "quantiles" or "quantile" => StatisticKind.Quantiles,
        "correlation" or "corr" => StatisticKind.Correlation,
        "ols" or "regression" or "lm" => StatisticKind.Ols,
        _ => throw new QueryException($"Unknown statistic '{text}'. Use one of: {string.Join(", ", All)}."),
    };
}
