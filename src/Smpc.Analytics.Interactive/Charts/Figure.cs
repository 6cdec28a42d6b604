using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Interactive.Charts;

/// <summary>A plotly figure (JSON with data, layout and config), its title and kind. Displays as plotly JSON with an
/// HTML fallback that draws offline.</summary>
public sealed record Figure(string Json, string Title, ChartKind Kind);

/// <summary>Charts of releases for C# cells: <c>study.Mean("vb", "balance", "service_era").Chart()</c>.</summary>
public static class ReleaseFigures
{
    /// <summary>The chart of a release (released cells only), or null for <see cref="ChartKind.None"/> or a release
    /// with nothing to draw.</summary>
    public static Figure? Chart(this Release release, ChartKind kind = ChartKind.Auto, string? value = null) =>
        ReleaseCharts.For(release, kind, value) is { } data ? ChartBuilder.Default.Render(data) : null;
}
