namespace Smpc.Analytics.Statistics;

/// <summary>Per-cell statistics of a table query.</summary>
public enum Statistic { Count, Sum, Mean, Variance, StdDev }

/// <summary>One statistic of a table query: <c>Measure.Count()</c>, <c>Measure.Mean("income")</c>, …</summary>
public sealed record Measure(Statistic Statistic, string? Column = null)
{
    public static Measure Count() => new(Statistic.Count);
    public static Measure Sum(string column) => new(Statistic.Sum, column);
    public static Measure Mean(string column) => new(Statistic.Mean, column);
    public static Measure Variance(string column) => new(Statistic.Variance, column);
    public static Measure StdDev(string column) => new(Statistic.StdDev, column);

    /// <summary>Column name in the result, e.g. "count", "mean(income)".</summary>
    public string Label => Column is null ? "count" : $"{Statistic.ToString().ToLowerInvariant()}({Column})";

    /// <summary>The operation name the data-use terms list (AllowedOperations). A standard deviation is the square root
    /// of the variance — releasing one releases the other — so terms that allow "variance" allow it.</summary>
    public string Operation => Statistic switch
    {
        Statistic.Count => "count", Statistic.Sum => "sum", Statistic.Mean => "mean",
        _ => "variance",
    };

    public bool NeedsSquares => Statistic is Statistic.Variance or Statistic.StdDev;

    /// <summary>Smallest cell count the statistic is defined for (mean 1, variance 2).</summary>
    public int MinimumCount => Statistic switch { Statistic.Mean => 1, Statistic.Variance or Statistic.StdDev => 2, _ => 0 };
}
