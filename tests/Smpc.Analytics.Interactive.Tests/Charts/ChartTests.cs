using System.Runtime.Loader;
using System.Text.Json;
using Smpc.Analytics.Interactive.Charts;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Interactive.Tests.Charts;

/// <summary>A small generated demo study shared by the chart tests.</summary>
public sealed class DemoStudy : IDisposable
{
    public SecureStudy Study { get; } = SecureStudy.OpenDemo(size: 1000, seed: 5, name: "charts");
    public void Dispose() => Study.Dispose();
}

/// <summary>Charts are built by Plotly.NET in its own load context from released cells only.</summary>
public sealed class ChartTests(DemoStudy demo) : IClassFixture<DemoStudy>
{
    static ChartBuilder Builder => ChartBuilder.Default;
    SecureStudy Study => demo.Study;

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
        var release = Study.Count("bank", "state");      // the bank's minimum cell size (20) suppresses small states
        Assert.True(release.SuppressedCount > 0);
        var figure = release.Chart()!;
        var trace = Trace(figure);
        Assert.Equal("bar", trace.GetProperty("type").GetString());
        var released = release.ReleasedRows.Where(r => !release.IsMargin(r)).ToList();
        Assert.Equal(released.Select(release.Label), Strings(trace.GetProperty("x")));
        Assert.Equal(released.Select(r => release.Value(r, "count")!.Value), Numbers(trace.GetProperty("y")));
        foreach (var r in release.SuppressedRows) Assert.DoesNotContain($"\"{release.Label(r)}\"", figure.Json);
    }

    [Fact]
    public void A_heatmap_leaves_suppressed_cells_empty_and_labels_them()
    {
        var release = Study.CrossTab("veterans", "service_era", "sex");
        Assert.True(release.SuppressedCount > 0);
        var figure = release.Chart()!;
        Assert.Equal(ChartKind.Heatmap, figure.Kind);
        var trace = Trace(figure);
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        var ys = Strings(trace.GetProperty("y")); var xs = Strings(trace.GetProperty("x"));
        var z = trace.GetProperty("z"); var text = trace.GetProperty("text");
        var marks = JsonDocument.Parse(figure.Json).RootElement.GetProperty("layout").GetProperty("annotations").EnumerateArray()
            .Select(a => (Y: a.GetProperty("y").GetString(), X: a.GetProperty("x").GetString(), Text: a.GetProperty("text").GetString())).ToList();
        int interiorSuppressed = 0;
        for (int r = 0; r < release.RowCount; r++)
        {
            if (release.IsMargin(r)) continue;
            string era = release.Key(r, "service_era")!, sex = release.Key(r, "sex")!;
            var cell = z[Array.IndexOf(ys, era)][Array.IndexOf(xs, sex)];
            if (release.IsSuppressed(r))
            {
                interiorSuppressed++;
                Assert.Equal(JsonValueKind.Null, cell.ValueKind);
                Assert.Equal("", text[Array.IndexOf(ys, era)][Array.IndexOf(xs, sex)].GetString());
                Assert.Contains((era, sex, "suppressed"), marks);
            }
            else Assert.Equal(release.Value(r, "count"), cell.GetDouble());
        }
        Assert.Equal(interiorSuppressed, marks.Count);
    }

    [Fact]
    public void A_histogram_draws_released_bins_without_gaps()
    {
        var release = Study.Histogram("veterans", "monthly_benefit", [0, 500, 1000, 2000, 3000, 5000]);
        var figure = release.Chart()!;
        Assert.Equal(ChartKind.Histogram, figure.Kind);
        var trace = Trace(figure);
        Assert.Equal(release.ReleasedRows.Where(r => !release.IsMargin(r)).Select(r => release.Value(r, "count")!.Value), Numbers(trace.GetProperty("y")));
        Assert.Equal(0.0, JsonDocument.Parse(figure.Json).RootElement.GetProperty("layout").GetProperty("bargap").GetDouble());
    }

    [Fact]
    public void A_box_chart_draws_released_quantiles()
    {
        var release = Study.Quantiles("veterans", "age", AggregateRequest.BoxProbabilities, "disability_band");
        var figure = release.Chart()!;
        Assert.Equal(ChartKind.Box, figure.Kind);
        var trace = Trace(figure);
        Assert.Equal("box", trace.GetProperty("type").GetString());
        var labels = Strings(trace.GetProperty("x"));
        var medians = Numbers(trace.GetProperty("median"));
        for (int i = 0; i < labels.Length; i++) Assert.Equal(release.Cell("median(age)", labels[i]), medians[i]);
        Assert.Equal(release.ReleasedRows.Select(release.Label), labels);
    }

    [Fact]
    public void A_regression_chart_draws_fitted_lines_or_coefficients()
    {
        var single = Study.Query("veterans").GroupBy("sex").Ols("monthly_benefit", "disability_rating");
        var data = JsonDocument.Parse(single.Chart()!.Json).RootElement.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal([0.0, 100.0], Numbers(data[0].GetProperty("x")));
        var y = Numbers(data[0].GetProperty("y"));
        Assert.Equal(single.Cell("coefficient", "F", "(intercept)")!.Value, y[0], 6);

        var multiple = Study.Ols("veterans", "monthly_benefit", "disability_rating", "age");
        var trace = Trace(multiple.Chart()!);
        Assert.Equal(["disability_rating", "age"], Strings(trace.GetProperty("x")));
        Assert.Equal(1.96 * multiple.Cell("std_error", "age")!.Value, Numbers(trace.GetProperty("error_y").GetProperty("array"))[1], 6);
    }

    [Fact]
    public void The_html_fallback_inlines_plotly_js_once_and_loads_nothing_from_the_network()
    {
        var html = new PlotlyHtml(Builder);
        var figure = Study.Mean("veterans", "monthly_benefit", "service_era").Chart()!;
        var first = html.Render(figure);
        var second = html.Render(figure);
        Assert.Contains("plotly.js " + Builder.PlotlyJsVersion, first);
        Assert.True(first.Length > 1_000_000, "the first chart carries the plotly.js bundle");
        Assert.DoesNotContain("plotly.js " + Builder.PlotlyJsVersion, second);
        Assert.True(second.Length < 20_000);
        foreach (var h in new[] { first, second })
        {
            Assert.DoesNotContain("<script src", h, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Plotly.newPlot", h);
        }
    }
}
