using Microsoft.DotNet.Interactive;
using Smpc.Analytics.Interactive.Charts;

namespace Smpc.Analytics.Interactive.Tests.Kernel;

public sealed class MagicsTests : IDisposable
{
    readonly CompositeKernel _kernel = TestKernel.Create();

    public void Dispose() => _kernel.Dispose();

    [Theory]
    [InlineData("#!secure-study")]
    [InlineData("#!secure-join")]
    [InlineData("#!secure-aggregate")]
    public void It_adds_the_magic_with_help_on_the_magic_and_every_parameter(string magic)
    {
        var directive = _kernel.KernelInfo.SupportedDirectives.SingleOrDefault(d => d.Name == magic);
        Assert.NotNull(directive);
        Assert.False(string.IsNullOrWhiteSpace(directive.Description), $"{magic} has no description");
        Assert.NotEmpty(directive.Parameters);
        foreach (var p in directive.Parameters)
            Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{magic} {p.Name} has no description");
    }

    [Theory]
    [InlineData("#!secure-study")]
    [InlineData("#!secure-join")]
    [InlineData("#!secure-aggregate")]
    public async Task Help_shows_the_description_and_every_parameter(string magic)
    {
        var result = await _kernel.Run($"{magic} --help");
        result.ShouldSucceed();
        var help = Assert.Single(result.Html(), h => h.Contains("smpc-help"));
        var directive = _kernel.KernelInfo.SupportedDirectives.Single(d => d.Name == magic);
        foreach (var p in directive.Parameters) Assert.Contains($"<code>{p.Name}</code>", help);
    }

    [Fact]
    public async Task It_opens_the_demo_study_and_shares_it_as_a_variable()
    {
        var open = await _kernel.Run("#!secure-study --open demo --rows 300 --seed 5");
        open.ShouldSucceed();
        Assert.Contains(open.Html(), h => h.Contains("veterans") && h.Contains("bank") && h.Contains("secure, 3 parties"));

        var datasets = await _kernel.Run("demo.Datasets.Count");
        datasets.ShouldSucceed();
        Assert.Equal(2, datasets.ReturnValue());
        var rows = await _kernel.Run("demo.Dataset(\"veterans\").RowCount");
        Assert.Equal(300, rows.ReturnValue());
    }

    [Fact]
    public async Task An_aggregate_shows_a_table_a_footer_a_chart_and_becomes_a_variable()
    {
        (await _kernel.Run("#!secure-study --open demo --rows 600")).ShouldSucceed();
        var result = await _kernel.Run("#!secure-aggregate --dataset veterans --stat mean --column monthly_benefit --group-by era --name byEra");
        result.ShouldSucceed();

        var table = Assert.Single(result.Html(), h => h.Contains("smpc-release"));
        Assert.Contains("mean(monthly_benefit)", table);
        foreach (var era in new[] { "Vietnam", "Gulf War", "Post-9/11", "Peacetime" }) Assert.Contains(era, table);
        Assert.Contains("rows used: 600", table);
        Assert.Contains("rounds:", table);
        Assert.Contains("bytes:", table);
        Assert.Contains("time:", table);
        Assert.Contains("to the analyst", table);

        var plotly = Assert.Single(result.Formatted(PlotlyHtml.MimeType));
        Assert.Contains("\"type\":\"bar\"", plotly.Value);

        var n = await _kernel.Run("byEra.Table.Rows.Sum(r => r.Values is null ? 0 : r.Values[0])");
        n.ShouldSucceed();
        Assert.Equal(600.0, n.ReturnValue());
    }

    [Fact]
    public async Task Suppressed_cells_are_visibly_marked_and_have_no_value()
    {
        (await _kernel.Run("#!secure-study --open demo --rows 400")).ShouldSucceed();
        var result = await _kernel.Run("#!secure-aggregate --dataset veterans --group-by state,era --chart heatmap --name cells");
        result.ShouldSucceed();
        var table = Assert.Single(result.Html(), h => h.Contains("smpc-release"));
        Assert.Contains("smpc-suppressed", table);
        Assert.Contains("suppressed (n &lt; 11)", table);

        var check = await _kernel.Run("cells.Table.Rows.Where(r => r.Suppressed).All(r => r.Values is null) && cells.Table.SuppressedCount > 0");
        check.ShouldSucceed();
        Assert.Equal(true, check.ReturnValue());
    }

    [Fact]
    public async Task A_join_reports_counts_and_its_result_can_be_aggregated()
    {
        (await _kernel.Run("#!secure-study --open demo --rows 500")).ShouldSucceed();
        var join = await _kernel.Run("#!secure-join --left veterans --right bank --on ssn --name linked");
        join.ShouldSucceed();
        var html = Assert.Single(join.Html(), h => h.Contains("smpc-join"));
        Assert.Contains("linked rows", html);
        Assert.Contains("to the compute parties", html);

        var plain = await _kernel.Run("""
            var bank = demo.GroundTruth!.Bank.Select(c => c.Ssn).ToHashSet();
            demo.GroundTruth!.Veterans.Count(v => v.Ssn is not null && bank.Contains(v.Ssn)) == linked.MatchedRows
            """);
        plain.ShouldSucceed();
        Assert.Equal(true, plain.ReturnValue());

        (await _kernel.Run("#!secure-aggregate --dataset linked --stat sum --column balance --group-by delinquent --chart none")).Failure()
            .ShouldMention("Cannot group by 'delinquent'");
        (await _kernel.Run("#!secure-aggregate --dataset linked --stat sum --column balance --group-by state --chart bar")).ShouldSucceed();
    }

    [Fact]
    public async Task The_same_operations_work_from_CSharp_and_display_as_tables_and_charts()
    {
        (await _kernel.Run("#!secure-study --open demo --rows 400")).ShouldSucceed();
        var table = await _kernel.Run("""
            using Smpc.Analytics.Interactive.Charts;
            var byEra = demo.Mean("veterans", "monthly_benefit", "era");
            byEra
            """);
        table.ShouldSucceed();
        Assert.Contains(table.Html(), h => h.Contains("smpc-release") && h.Contains("mean(monthly_benefit)") && h.Contains("rows used: 400"));

        var chart = await _kernel.Run("byEra.Chart()");
        chart.ShouldSucceed();
        Assert.Contains("\"type\":\"bar\"", Assert.Single(chart.Formatted(PlotlyHtml.MimeType)).Value);
        Assert.Contains(chart.Html(), h => h.Contains("Plotly.newPlot"));
    }

    [Theory]
    [InlineData("#!secure-aggregate --dataset veterans", "No study is open")]
    [InlineData("#!secure-join --left veterans --right bank --on ssn", "No study is open")]
    public async Task Without_a_study_a_magic_says_how_to_open_one(string code, string expected)
    {
        (await _kernel.Run(code)).Failure().ShouldMention(expected);
        (await _kernel.Run("1 + 1")).ReturnValue().ShouldBe(2);
    }

    [Theory]
    [InlineData("#!secure-aggregate --study nope --dataset veterans", "No study named 'nope' is open")]
    [InlineData("#!secure-aggregate --dataset nope", "Unknown dataset 'nope'")]
    [InlineData("#!secure-aggregate --dataset veterans --stat mean --column salary", "Unknown column 'salary'")]
    [InlineData("#!secure-aggregate --dataset veterans --group-by county", "Unknown column 'county'")]
    [InlineData("#!secure-aggregate --dataset veterans --stat median --column monthly_benefit", "Unknown statistic 'median'")]
    [InlineData("#!secure-aggregate --dataset veterans --stat mean", "needs a value column")]
    [InlineData("#!secure-aggregate --dataset veterans --stat mean --column era", "needs a numeric column; 'era' is categorical")]
    [InlineData("#!secure-aggregate --dataset veterans --stat histogram --column monthly_benefit --bins 0,x,10", "--bins: 'x' is not a number")]
    [InlineData("#!secure-aggregate --dataset veterans --stat histogram --column monthly_benefit --bins 10,0", "Bin edges must increase")]
    [InlineData("#!secure-aggregate --dataset veterans --chart pie", "Unknown chart 'pie'")]
    [InlineData("#!secure-aggregate --dataset veterans --stat count --group-by state,era,sex", "At most two group-by columns")]
    [InlineData("#!secure-aggregate --dataset veterans --stat quantiles --column monthly_benefit", "'quantiles' is not available yet")]
    [InlineData("#!secure-aggregate --dataset veterans --colour red", "--colour")]
    [InlineData("#!secure-aggregate --stat count", "--dataset")]
    [InlineData("#!secure-join --left veterans --right bank --on state", "do not allow 'state' as a linkage key")]
    [InlineData("#!secure-join --left veterans --right veterans --on ssn", "a join needs two datasets")]
    [InlineData("#!secure-study --open demo --rows many", "--rows")]
    [InlineData("#!secure-study --open census", "Unknown study 'census'")]
    [InlineData("#!secure-study", "needs --open demo")]
    [InlineData("#!secure-study --config /nonexistent/study.json", "does not exist")]
    [InlineData("#!secure-study --open synthetic --data /nonexistent", "holds no synthetic agency files")]
    [InlineData("#!secure-study --open demo --data /tmp", "--data only applies to --open synthetic")]
    public async Task Bad_input_fails_the_cell_with_a_clear_message_and_the_kernel_keeps_working(string code, string expected)
    {
        (await _kernel.Run("#!secure-study --open demo --rows 200")).ShouldSucceed();
        var result = await _kernel.Run(code);
        result.Failure().ShouldMention(expected);

        (await _kernel.Run("40 + 2")).ReturnValue().ShouldBe(42);
        (await _kernel.Run("#!secure-aggregate --dataset veterans --chart none")).ShouldSucceed();
    }

    [Fact]
    public async Task A_configuration_file_that_is_not_a_study_configuration_is_a_clear_error()
    {
        var config = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(config, "{}");
            (await _kernel.Run($"#!secure-study --config \"{config}\"")).Failure().ShouldMention("'study' (the study name) is missing");
        }
        finally { File.Delete(config); }
        (await _kernel.Run("#!secure-study --open demo --rows 100")).ShouldSucceed();
    }

    [Fact]
    public async Task It_opens_the_synthetic_agencies_under_their_own_terms()
    {
        var open = await _kernel.Run("#!secure-study --open synthetic");
        open.ShouldSucceed();
        Assert.Contains(open.Html(), h => h.Contains("veterans") && h.Contains("bank") && h.Contains("survey"));
        (await _kernel.Run("#!secure-join --left veterans --right bank --on ssn --name vb")).ShouldSucceed();
        // The bank's terms ask for cells of at least 20 rows; they apply to the linked data.
        var result = await _kernel.Run("#!secure-aggregate --dataset vb --stat mean --column balance --group-by service_era --name byEra");
        result.ShouldSucceed();
        Assert.Contains(result.Html(), h => h.Contains("minimum cell size 20"));
        (await _kernel.Run("#!secure-aggregate --dataset vb --stat mean --column spend_health")).Failure()
            .ShouldMention("do not allow column 'spend_health' in analyses");
    }

    [Fact]
    public async Task The_extension_dib_loads_the_extension_into_a_fresh_kernel()
    {
        using var kernel = TestKernel.Create(loadExtension: false);
        await kernel.LoadAndRunInteractiveDocument(new FileInfo(Path.Combine(AppContext.BaseDirectory, "extension.dib")));
        Assert.Contains(kernel.KernelInfo.SupportedDirectives, d => d.Name == "#!secure-aggregate");
        (await kernel.Run("#!secure-study --open demo --rows 100")).ShouldSucceed();
    }
}

internal static class Should
{
    public static void ShouldMention(this string? failure, string expected)
    {
        Assert.NotNull(failure);
        Assert.Contains(expected, failure);
    }

    public static void ShouldBe(this object? value, object expected) => Assert.Equal(expected, value);
}
