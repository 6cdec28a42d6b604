using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>Chart data holds released cells only: suppressed cells and margins never reach a chart.</summary>
public sealed class ChartDataTests(SyntheticStudyFixture f) : IClassFixture<SyntheticStudyFixture>
{
    [Fact]
    public void Bars_hold_only_released_interior_cells()
    {
        var release = f.Secure.Count("bank", "state");       // the bank's minimum cell size is 20: VT (17) is suppressed
        Assert.True(release.SuppressedCount > 0);
        var bar = Assert.IsType<BarChartData>(ReleaseCharts.For(release));
        var released = release.ReleasedRows.Where(r => !release.IsMargin(r)).ToArray();
        Assert.Equal(released.Select(release.Label), bar.Labels);
        Assert.Equal(released.Select(r => release.Value(r, "count")!.Value), bar.Values);
        foreach (var r in release.SuppressedRows) Assert.DoesNotContain(release.Label(r), bar.Labels);
        Assert.DoesNotContain(Release.AllLabel, bar.Labels);
    }

    [Fact]
    public void A_heatmap_leaves_suppressed_cells_empty()
    {
        var release = f.Secure.CrossTab("veterans", "service_era", "sex");
        var map = Assert.IsType<HeatmapChartData>(ReleaseCharts.For(release));
        Assert.Equal(5 * 2, map.Z.Length);
        Assert.Equal(4, map.Z.Count(double.IsNaN));
        int korea = Array.IndexOf(map.Ys, "Korea"), female = Array.IndexOf(map.Xs, "F");
        Assert.True(double.IsNaN(map.Z[korea * map.Xs.Length + female]));
        Assert.Equal(f.Truth.Number("aggregates.veterans.rows_by_service_era_and_sex.Post-9/11.M"), map.Z[Array.IndexOf(map.Ys, "Post-9/11") * 2 + Array.IndexOf(map.Xs, "M")]);
    }

    [Fact]
    public void A_box_is_drawn_from_released_quantiles()
    {
        var release = f.Secure.Quantiles("veterans", "age", AggregateRequest.BoxProbabilities, "service_era");
        Assert.Equal(ChartKind.Box, ReleaseCharts.Resolve(release));
        var box = Assert.IsType<BoxChartData>(ReleaseCharts.For(release));
        int vietnam = Array.IndexOf(box.Labels, "Vietnam");
        Assert.Equal(release.Cell("median(age)", "Vietnam"), box.Median[vietnam]);
        Assert.Equal(release.Cell("quantile(age, 0.05)", "Vietnam"), box.Lower[vietnam]);
        Assert.Equal(release.Cell("quantile(age, 0.95)", "Vietnam"), box.Upper[vietnam]);
    }

    [Fact]
    public void A_regression_with_one_covariate_draws_fitted_lines_over_the_declared_range()
    {
        var release = f.Secure.Query("veterans").GroupBy("sex").Ols("monthly_benefit", "disability_rating");
        var fit = Assert.IsType<FitChartData>(ReleaseCharts.For(release));
        Assert.Equal(["F", "M"], fit.Labels);
        Assert.Equal((0.0, 100.0), (fit.XMin, fit.XMax));
        Assert.Equal(release.Cell("coefficient", "M", "disability_rating"), fit.Slopes[1]);
        Assert.Equal(release.Cell("coefficient", "F", "(intercept)"), fit.Intercepts[0]);
    }

    [Fact]
    public void A_regression_with_several_covariates_draws_coefficients_with_intervals()
    {
        var release = f.Secure.Ols("veterans", "monthly_benefit", "disability_rating", "age");
        var chart = Assert.IsType<CoefficientChartData>(ReleaseCharts.For(release));
        Assert.Equal(["disability_rating", "age"], chart.Terms);
        Assert.Equal(1.96 * release.Cell("std_error", "age")!.Value, chart.HalfWidths[1], 9);
    }

    [Fact]
    public void A_chart_that_does_not_fit_the_release_is_a_clear_error()
    {
        var release = f.Secure.Mean("veterans", "monthly_benefit", "service_era");
        Assert.Contains("needs two group-by columns", Assert.Throws<QueryException>(() => ReleaseCharts.For(release, ChartKind.Heatmap)).Message);
        Assert.Contains("needs released quartiles", Assert.Throws<QueryException>(() => ReleaseCharts.For(release, ChartKind.Box)).Message);
        Assert.Contains("needs an OLS release", Assert.Throws<QueryException>(() => ReleaseCharts.For(release, ChartKind.Regression)).Message);
        Assert.Contains("no statistic 'median'", Assert.Throws<QueryException>(() => ReleaseCharts.For(release, ChartKind.Bar, "median")).Message);
        Assert.Null(ReleaseCharts.For(release, ChartKind.None));
        Assert.Equal(ChartKind.Bar, ReleaseCharts.Resolve(release));
    }
}
