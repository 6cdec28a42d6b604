using Smpc.Analytics.Interactive.Api;

namespace Smpc.Analytics.Interactive.Charts;

/// <summary>Charts of released aggregates.</summary>
public enum ChartKind
{
    /// <summary>Picks from the statistic and the number of group-by columns.</summary>
    Auto,
    None,
    Bar,
    Histogram,
    Heatmap,
    Box,
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
        _ => throw new QueryException($"Unknown chart '{text}'. Use one of: {string.Join(", ", All)}."),
    };

    /// <summary>The chart that suits a release when none is named.</summary>
    public static ChartKind Resolve(ChartKind kind, Release release) => kind != ChartKind.Auto ? kind : release.Request.Statistic switch
    {
        Statistic.Histogram => ChartKind.Histogram,
        Statistic.Regression => ChartKind.Regression,
        Statistic.Quantiles => ChartKind.Box,
        _ when release.Table.KeyColumns.Count == 2 => ChartKind.Heatmap,
        _ when release.Table.KeyColumns.Count == 1 => ChartKind.Bar,
        _ => ChartKind.None,
    };
}
