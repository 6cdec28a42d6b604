using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies;

/// <summary>Charts of released aggregates.</summary>
public enum ChartKind
{
    /// <summary>Chosen from the statistic and the number of group-by columns.</summary>
    Auto,
    None,
    Bar,
    Histogram,
    /// <summary>A cross-tab as a heatmap (suppressed cells empty and labelled).</summary>
    Heatmap,
    /// <summary>Boxes from released quantiles (whiskers at the outermost released probabilities).</summary>
    Box,
    /// <summary>A regression: fitted lines for one covariate, else coefficients with 95% intervals.</summary>
    Regression,
}

public static class ChartKinds
{
    public static readonly IReadOnlyList<string> All = ["auto", "none", "bar", "histogram", "heatmap", "box", "regression"];

    public static ChartKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => ChartKind.Auto,
        "none" or "off" => ChartKind.None,
        "bar" => ChartKind.Bar,
        "histogram" or "hist" => ChartKind.Histogram,
        "heatmap" => ChartKind.Heatmap,
        "box" or "quantiles" => ChartKind.Box,
        "regression" or "fit" => ChartKind.Regression,
        _ => throw new QueryException($"Unknown plot '{text}'. Use one of: {string.Join(", ", All)}."),
    };
}
