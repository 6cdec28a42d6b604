using System.Runtime.Loader;
using System.Text.Json;
using Smpc.Analytics.Interactive.Api;
using Smpc.Analytics.Interactive.Charts;
using Smpc.Analytics.Interactive.Tests.Api;

namespace Smpc.Analytics.Interactive.Tests.Charts;

/// <summary>Charts are built by Plotly.NET in its own load context, and suppressed cells never reach their data.</summary>
public sealed class ChartTests(StudyFixture fixture) : IClassFixture<StudyFixture>
{
    static ChartBuilder Builder => ChartBuilder.Default;

    static JsonElement Trace(Figure figure, int index = 0) => JsonDocument.Parse(figure.Json).RootElement.GetProperty("data")[index];
    static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();
    static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    [Fact]
    public void The_chart_builder_runs_in_its_own_load_context_with_its_own_FSharp_Core()
    {
        Assert.NotSame(AssemblyLoadContext.Default, Builder.Context);
        Builder.Bar(["a"], [1.0], "t", "x", "y");   // forces the load
        var fsharp = Builder.Context.Assemblies.Single(a => a.GetName().Name == "FSharp.Core");
        var plotly = Builder.Context.Assemblies.Single(a => a.GetName().Name == "Plotly.NET");
        Assert.True(fsharp.GetName().Version >= new Version(10, 1), $"FSharp.Core {fsharp.GetName().Version}");
        Assert.StartsWith(Builder.Folder, plotly.Location);
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "Plotly.NET");
    }

    [Fact]
    public void A_bar_chart_holds_only_released_cells()
    {
        var release = fixture.Secure.Mean("veterans", "monthly_benefit", "state");
        var withSmall = fixture.Secure.Count("veterans", "state", "era");
        Assert.True(withSmall.Table.SuppressedCount > 0);

        var figure = ReleaseCharts.For(withSmall, ChartKind.Bar, Builder)!;
        var trace = Trace(figure);
        Assert.Equal("bar", trace.GetProperty("type").GetString());
        var labels = Strings(trace.GetProperty("x"));
        var released = withSmall.Table.Released.ToList();
        Assert.Equal(released.Select(r => string.Join(" · ", r.Keys)), labels);
        Assert.Equal(released.Select(r => r.Values![0]), Numbers(trace.GetProperty("y")));
        foreach (var s in withSmall.Table.Rows.Where(r => r.Suppressed))
            Assert.DoesNotContain(string.Join(" · ", s.Keys), labels);

        var means = Trace(ReleaseCharts.For(release, ChartKind.Auto, Builder)!);
        Assert.Equal(release.Table.Released.Select(r => r.Values![1]), Numbers(means.GetProperty("y")));
    }

    [Fact]
    public void A_heatmap_leaves_suppressed_cells_empty_and_labels_them()
    {
        var release = fixture.Secure.Count("veterans", "state", "era");
        var figure = ReleaseCharts.For(release, ChartKind.Auto, Builder)!;
        Assert.Equal(ChartKind.Heatmap, figure.Kind);
        var trace = Trace(figure);
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        var ys = Strings(trace.GetProperty("y"));
        var xs = Strings(trace.GetProperty("x"));
        var z = trace.GetProperty("z");
        var text = trace.GetProperty("text");
        var marks = JsonDocument.Parse(figure.Json).RootElement.GetProperty("layout").GetProperty("annotations").EnumerateArray()
            .Select(a => (Y: a.GetProperty("y").GetString(), X: a.GetProperty("x").GetString(), Text: a.GetProperty("text").GetString())).ToList();
        foreach (var row in release.Table.Rows)
        {
            int i = Array.IndexOf(ys, row.Keys[0]), j = Array.IndexOf(xs, row.Keys[1]);
            var cell = z[i][j];
            if (row.Suppressed)
            {
                Assert.Equal(JsonValueKind.Null, cell.ValueKind);
                Assert.Equal("", text[i][j].GetString());
                Assert.Contains((row.Keys[0], row.Keys[1], "suppressed"), marks);
            }
            else
            {
                Assert.Equal(row.Values![0], cell.GetDouble());
                Assert.Equal(row.Values![0].ToString("G6"), text[i][j].GetString());
            }
        }
        Assert.Equal(release.Table.SuppressedCount, marks.Count);
    }

    [Fact]
    public void A_histogram_drops_suppressed_bins()
    {
        var release = fixture.Secure.Histogram("veterans", "monthly_benefit", [0, 500, 1000, 2000, 3000, 5000, 9000]);
        var figure = ReleaseCharts.For(release, ChartKind.Auto, Builder)!;
        Assert.Equal(ChartKind.Histogram, figure.Kind);
        var trace = Trace(figure);
        Assert.Equal(release.Table.Released.Select(r => r.Keys[0]), Strings(trace.GetProperty("x")));
        Assert.Equal(release.Table.Released.Select(r => r.Values![0]), Numbers(trace.GetProperty("y")));
        Assert.Equal(0.0, JsonDocument.Parse(figure.Json).RootElement.GetProperty("layout").GetProperty("bargap").GetDouble());
    }

    [Fact]
    public void A_box_chart_uses_released_quantiles_and_drops_suppressed_groups()
    {
        var table = new ReleaseTable("quantiles(balance) by era", ["era"], ["n", "min", "q1", "median", "q3", "max"],
        [
            new ReleaseRow(["Vietnam"], [120, 10, 20, 30, 40, 50], null),
            new ReleaseRow(["Gulf War"], null, "n < 11"),
            new ReleaseRow(["Post-9/11"], [90, 15, 25, 35, 45, 55], null),
        ]);
        var release = new Release(new AggregateRequest { Dataset = "linked", Statistic = Statistic.Quantiles, Column = "balance", GroupBy = ["era"] },
                                  table, new DisclosureRules(11), new OperationCost(0, 0, 0, TimeSpan.Zero, []));
        var figure = ReleaseCharts.For(release, ChartKind.Auto, Builder)!;
        Assert.Equal(ChartKind.Box, figure.Kind);
        var trace = Trace(figure);
        Assert.Equal("box", trace.GetProperty("type").GetString());
        Assert.Equal(["Vietnam", "Post-9/11"], Strings(trace.GetProperty("x")));
        Assert.Equal([20.0, 25.0], Numbers(trace.GetProperty("q1")));
        Assert.Equal([30.0, 35.0], Numbers(trace.GetProperty("median")));
        Assert.Equal([10.0, 15.0], Numbers(trace.GetProperty("lowerfence")));
        Assert.DoesNotContain("Gulf War", figure.Json);
    }

    [Fact]
    public void A_regression_chart_draws_the_released_fits_over_the_declared_range()
    {
        var release = fixture.Secure.Regression("veterans", "monthly_benefit", "disability_rating", "sex");
        var figure = ReleaseCharts.For(release, ChartKind.Auto, Builder)!;
        var data = JsonDocument.Parse(figure.Json).RootElement.GetProperty("data");
        var released = release.Table.Released.ToList();
        Assert.Equal(released.Count, data.GetArrayLength());
        for (int k = 0; k < released.Count; k++)
        {
            Assert.Equal(released[k].Keys[0], data[k].GetProperty("name").GetString());
            Assert.Equal([0.0, 100.0], Numbers(data[k].GetProperty("x")));
            var y = Numbers(data[k].GetProperty("y"));
            Assert.Equal(released[k].Values![1], y[0], 6);
            Assert.Equal(released[k].Values![1] + 100 * released[k].Values![2], y[1], 6);
        }
    }

    [Fact]
    public void A_chart_that_does_not_fit_the_release_is_a_clear_error()
    {
        var release = fixture.Secure.Mean("veterans", "monthly_benefit", "era");
        Assert.Contains("needs two group-by columns", Assert.Throws<QueryException>(() => ReleaseCharts.For(release, ChartKind.Heatmap, Builder)).Message);
        Assert.Contains("needs released quantile columns", Assert.Throws<QueryException>(() => ReleaseCharts.For(release, ChartKind.Box, Builder)).Message);
        Assert.Null(ReleaseCharts.For(release, ChartKind.None, Builder));
    }

    [Fact]
    public void The_html_fallback_inlines_plotly_js_once_and_loads_nothing_from_the_network()
    {
        var html = new PlotlyHtml(Builder);
        var figure = ReleaseCharts.For(fixture.Secure.Mean("veterans", "monthly_benefit", "era"), ChartKind.Auto, Builder)!;
        var first = html.Render(figure);
        var second = html.Render(figure);
        Assert.Contains("plotly.js v" + Builder.PlotlyJsVersion, first);
        Assert.True(first.Length > 1_000_000, "the first chart carries the plotly.js bundle");
        Assert.DoesNotContain("plotly.js v", second);
        Assert.True(second.Length < 20_000);
        foreach (var h in new[] { first, second })
        {
            Assert.DoesNotContain("<script src", h, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Plotly.newPlot", h);
        }
    }
}
