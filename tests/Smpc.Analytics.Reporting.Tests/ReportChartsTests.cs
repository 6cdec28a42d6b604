using Smpc.Analytics.Reporting;

namespace Smpc.Analytics.Reporting.Tests;

public class ReportChartsTests
{
    [Fact]
    public void A_bar_chart_gets_released_interior_cells_only()
    {
        var figures = new RecordingFigures();
        var release = Samples.Released(chart: ChartRequest.BarOf("count", "counts", "era · band"));
        var figure = ReportCharts.For(release, figures);
        Assert.NotNull(figure);
        var (kind, labels, values) = Assert.Single(figures.Calls);
        Assert.Equal("bar", kind);
        Assert.Equal(["A · x", "A · y"], labels);          // no margins, no suppressed cells
        Assert.Equal([40.0, 25.0], values);
    }

    [Fact]
    public void A_heatmap_marks_suppressed_cells_as_NaN_and_never_sees_their_values()
    {
        var figures = new RecordingFigures();
        ReportCharts.For(Samples.Released(chart: ChartRequest.HeatmapOf("mean(balance)", "t", "band", "era")), figures);
        var (_, labels, z) = Assert.Single(figures.Calls);
        Assert.Equal(["A|x", "A|y", "B|x", "B|y"], labels);
        Assert.Equal(1234.56, z[0]);
        Assert.Equal(2345.67, z[1]);
        Assert.True(double.IsNaN(z[2]) && double.IsNaN(z[3]));
    }

    [Fact]
    public void A_box_from_released_quantile_rows_is_drawn_and_a_suppressed_quantile_draws_no_box()
    {
        var quantiles = new ReportTable(["statistic"], ["value"],
            [new(["p10"], [10]), new(["p25"], [20]), new(["median"], [30]), new(["p75"], [40]), new(["p90"], [50])]);
        var request = new ChartRequest(ReportChartKind.Box, "salary", "", "USD") { ValueColumn = "value", BoxRows = ["p10", "p25", "median", "p75", "p90"], BoxLabel = "all" };
        var release = Samples.Released() with { Table = quantiles, Chart = request };
        var figures = new RecordingFigures();
        Assert.NotNull(ReportCharts.For(release, figures));
        Assert.Equal([10.0, 20, 30, 40, 50], figures.Calls[0].Values);

        var withheld = release with { Table = new ReportTable(["statistic"], ["value"], [.. quantiles.Rows.Take(4), new(["p90"], null, "cell size < 11")]) };
        Assert.Null(ReportCharts.For(withheld, figures));
        Assert.Single(figures.Calls);
    }

    [Fact]
    public void A_regression_chart_draws_the_given_lines_and_rejects_an_empty_range()
    {
        var request = new ChartRequest(ReportChartKind.Regression, "fit", "x", "y") { Lines = [new("a", 1, 2), new("b", 3, 4)], XMin = 0, XMax = 10 };
        var figures = new RecordingFigures();
        ReportCharts.For(Samples.Released() with { Chart = request }, figures);
        Assert.Equal([1.0, 3, 2, 4, 0, 10], figures.Calls[0].Values);
        var error = Assert.Throws<ArgumentException>(() => ReportCharts.For(Samples.Released() with { Chart = request with { XMax = 0 } }, figures));
        Assert.Contains("x range", error.Message);
    }

    [Fact]
    public void Refusals_and_releases_without_a_chart_request_have_no_figure()
    {
        var figures = new RecordingFigures();
        Assert.Null(ReportCharts.For(Samples.Refused() with { Chart = ChartRequest.BarOf("count", "t", "x") }, figures));
        Assert.Null(ReportCharts.For(Samples.Released(), figures));
        Assert.Empty(figures.Calls);
    }
}
