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
    [InlineData("#!secure-release")]
    [InlineData("#!secure-report")]
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
    [InlineData("#!secure-release")]
    [InlineData("#!secure-report")]
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
        var open = await _kernel.Run("#!secure-study --open demo --size 300 --seed 5");
        open.ShouldSucceed();
        Assert.Contains(open.Html(), h => h.Contains("veterans") && h.Contains("bank") && h.Contains("survey") && h.Contains("party services in this process"));
        Assert.Equal(3, (await _kernel.Run("demo.Datasets.Count")).ReturnValue());
        Assert.Equal(true, (await _kernel.Run("demo.IsEmbedded")).ReturnValue());
        Assert.Equal(240, (await _kernel.Run("demo.Dataset(\"veterans\").RowCount")).ReturnValue());
        Assert.Equal("smpc synth --seed 5 --size 300", (await _kernel.Run("demo.GroundTruth!.Element(\"generator.command\").GetString()")).ReturnValue());

        // --engine: the study program on the secure engine itself, or on the plaintext reference.
        var direct = await _kernel.Run("#!secure-study --open demo --size 300 --seed 5 --engine secure --name direct");
        direct.ShouldSucceed();
        Assert.Contains(direct.Html(), h => h.Contains("secure, 3 parties"));
        Assert.Equal(false, (await _kernel.Run("direct.IsEmbedded")).ReturnValue());
        (await _kernel.Run("#!secure-study --open demo --size 300 --seed 5 --engine plaintext --name reference")).ShouldSucceed();
        Assert.Equal(true, (await _kernel.Run("reference.Engine is Smpc.Analytics.Engine.PlaintextEngine")).ReturnValue());
    }

    [Fact]
    public async Task Long_operations_show_a_progress_line_in_the_cell_that_ends_with_the_outcome()
    {
        static List<string> Lines(KernelCommandResult r) =>
            [.. r.Events.OfType<Microsoft.DotNet.Interactive.Events.DisplayEvent>()
                .Where(e => e is Microsoft.DotNet.Interactive.Events.DisplayedValueProduced or Microsoft.DotNet.Interactive.Events.DisplayedValueUpdated)
                .SelectMany(e => e.FormattedValues).Where(f => f.MimeType == "text/plain").Select(f => f.Value)];
        var open = await _kernel.Run("#!secure-study --open demo --size 300 --seed 8 --name progress");
        open.ShouldSucceed();
        var lines = Lines(open);
        Assert.StartsWith("⏳ opening study 'progress'", lines[0]);
        foreach (var dataset in new[] { "veterans", "bank", "survey" })
            Assert.Contains(lines, l => l.StartsWith($"⏳ {dataset}: validating, pseudonymising and sharing", StringComparison.Ordinal));
        Assert.Matches(@"^✓ study 'progress' open: 3 datasets in \d+\.\d s$", lines[^1]);

        var join = Lines(await _kernel.Run("#!secure-join --datasets veterans,bank --name vbp"));
        Assert.Equal("⏳ linking veterans ⋈ bank at the three compute parties…", join[0]);
        Assert.Matches(@"^✓ linked vbp: [\d,]+ rows", join[^1]);
        Assert.Contains(join, l => l.StartsWith("⏳ linkage pass 'ssn' (1 of 2): opening pseudonyms to the parties and matching (", StringComparison.Ordinal));
        var median = Lines(await _kernel.Run("#!secure-aggregate --dataset veterans --stat median --column monthly_benefit"));
        Assert.Contains(median, l => l.StartsWith("⏳ ordering: level 1 (", StringComparison.Ordinal));

        var refused = await _kernel.Run("#!secure-aggregate --dataset vbp --stat median --column balance");
        Assert.NotNull(refused.Failure());
        Assert.StartsWith("✗ stopped after", Lines(refused)[^1]);
    }

    [Fact]
    public async Task The_report_magic_writes_the_report_and_packet_of_what_the_notebook_released()
    {
        var folder = Path.Combine(Path.GetTempPath(), "smpc-report-magic", Guid.NewGuid().ToString("N"));
        try
        {
            (await _kernel.Run("#!secure-study --open demo --size 600 --seed 4")).ShouldSucceed();
            (await _kernel.Run("#!secure-aggregate --dataset veterans --stat count,mean --column monthly_benefit --group-by service_era --name byEra")).ShouldSucceed();
            (await _kernel.Run("#!secure-join --datasets veterans,bank --name vb")).ShouldSucceed();
            (await _kernel.Run("#!secure-aggregate --dataset vb --stat crosstab --group-by service_era,disability_band --name cells")).ShouldSucceed();
            var written = await _kernel.Run($"#!secure-report --out {folder} --title \"Benefits and balances\" --question \"How do balances vary by era?\" --command \"jupyter nbconvert --execute study.ipynb\"");
            written.ShouldSucceed();
            Assert.Contains(written.Html(), h => h.Contains("smpc-report") && h.Contains("2 release(s)") && h.Contains("SHA256SUMS"));

            // The files, their manifest, and a packet that holds exactly the notebook's join and releases.
            Assert.Empty(Reporting.Manifest.Verify(folder, Reporting.ReportWriter.ManifestSums));
            var html = File.ReadAllText(Path.Combine(folder, "report.html"));
            Assert.Contains("Benefits and balances", html);
            Assert.Contains("How do balances vary by era?", html);
            Assert.Contains("jupyter nbconvert --execute study.ipynb", html);
            Assert.Contains("class=\"smpc-chart\"", html);
            using var packet = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "disclosure-review.json")));
            Assert.Equal(2, packet.RootElement.GetProperty("releases").GetArrayLength());
            Assert.Equal(1, packet.RootElement.GetProperty("linkages").GetArrayLength());
            Assert.True(File.Exists(Path.Combine(folder, "disclosure-review.md")));
            Assert.Equal(true, (await _kernel.Run($"report.Folder == @\"{folder}\" && report.Files.Count >= 4")).ReturnValue());

            Assert.Contains("--out needs the folder", (await _kernel.Run("#!secure-report --title x")).Failure());
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public async Task An_aggregate_shows_a_table_a_footer_a_chart_and_becomes_a_DataFrame_variable()
    {
        (await _kernel.Run("#!secure-study --open demo --size 600")).ShouldSucceed();
        var result = await _kernel.Run("#!secure-aggregate --dataset veterans --stat count,mean --column monthly_benefit --group-by service_era --name byEra");
        result.ShouldSucceed();

        var table = Assert.Single(result.Html(), h => h.Contains("smpc-release"));
        Assert.Contains("mean(monthly_benefit)", table);
        foreach (var era in new[] { "Vietnam", "Gulf War", "Post-9/11", "Peacetime" }) Assert.Contains(era, table);
        foreach (var part in new[] { "rows used: 480", "rounds:", "bytes:", "time:", "to the analyst", "to the compute parties", "rules applied:", "minimum cell size 11" })
            Assert.Contains(part, table);

        var plotly = Assert.Single(result.Formatted(PlotlyHtml.MimeType));
        Assert.Contains("\"type\":\"bar\"", plotly.Value);

        var frame = await _kernel.Run("byEra.GetType().Name + \" \" + byEra.Columns[\"count\"][byEra.Rows.Count - 1]");
        frame.ShouldSucceed();
        Assert.Equal("DataFrame 480", frame.ReturnValue());
        var truth = await _kernel.Run("""
            var eras = demo.GroundTruth!.Numbers("aggregates.veterans.rows_by_service_era");
            eras.All(e => byEraRelease.Cell("count", e.Key) is null || byEraRelease.Cell("count", e.Key) == e.Value)
            """);
        truth.ShouldSucceed();
        Assert.Equal(true, truth.ReturnValue());
    }

    [Fact]
    public async Task Suppressed_cells_are_visibly_marked_and_have_no_value()
    {
        (await _kernel.Run("#!secure-study --open demo --size 400")).ShouldSucceed();
        var result = await _kernel.Run("#!secure-aggregate --dataset bank --group-by state --name byState");
        result.ShouldSucceed();
        var table = Assert.Single(result.Html(), h => h.Contains("smpc-release"));
        Assert.Contains("smpc-suppressed", table);
        Assert.Contains("suppressed (cell size &lt; 20)", table);

        var check = await _kernel.Run("byStateRelease.SuppressedRows.All(r => byStateRelease.Value(r, \"count\") is null) && byState.Columns[\"count\"].NullCount == byStateRelease.SuppressedCount && byStateRelease.SuppressedCount > 0");
        check.ShouldSucceed();
        Assert.Equal(true, check.ReturnValue());
    }

    [Fact]
    public async Task A_filter_in_quotes_runs_on_shares_and_equals_the_CSharp_API()
    {
        (await _kernel.Run("#!secure-study --open demo --size 600")).ShouldSucceed();
        (await _kernel.Run("#!secure-aggregate --dataset veterans --group-by sex --filter \"age >= 65 and service_era in (Vietnam, Korea)\" --name old")).ShouldSucceed();
        var same = await _kernel.Run("""
            var api = demo.Query("veterans").Where("age >= 65 and service_era in (Vietnam, Korea)").GroupBy("sex").Count();
            Enumerable.Range(0, api.RowCount).All(r => api.Value(r, "count") == oldRelease.Value(r, "count")) && oldRelease.Query.Contains("where")
            """);
        same.ShouldSucceed();
        Assert.Equal(true, same.ReturnValue());
    }

    [Fact]
    public async Task The_weight_kind_option_parses_and_the_release_names_the_kind()
    {
        (await _kernel.Run("#!secure-study --open demo --size 400")).ShouldSucceed();
        var mean = await _kernel.Run("#!secure-aggregate --dataset survey --stat count,mean --column salary --weight survey_weight --weight-kind probability --name wmean");
        mean.ShouldSucceed();
        var html = Assert.Single(mean.Html(), h => h.Contains("smpc-release"));
        Assert.Contains("weighted by survey_weight (probability weights)", html);
        Assert.Contains("estimated population total", html);
        Assert.Equal("Probability", (await _kernel.Run("wmeanRelease.Request.WeightKind.ToString()")).ReturnValue());

        var count = await _kernel.Run("#!secure-aggregate --dataset survey --stat count --weight survey_weight --weight-kind frequency --name wcount");
        count.ShouldSucceed();
        Assert.Contains("(frequency weights)", Assert.Single(count.Html(), h => h.Contains("smpc-release")));
        Assert.Equal(true, (await _kernel.Run("wcountRelease.Query.Contains(\"frequency weights\")")).ReturnValue());
    }

    [Fact]
    public async Task Explain_on_a_magic_shows_the_cost_and_reveals_and_runs_nothing()
    {
        (await _kernel.Run("#!secure-study --open demo --size 600")).ShouldSucceed();
        var join = await _kernel.Run("#!secure-join --datasets veterans,bank --name linked --explain");
        join.ShouldSucceed();
        var html = Assert.Single(join.Html(), h => h.Contains("smpc-explain"));
        foreach (var part in new[] { "nothing computed", "rounds", "bytes per party", "expected time", "would reveal", "shuffled pseudonyms", "assumes" })
            Assert.Contains(part, html);
        Assert.Equal(0, (await _kernel.Run("demo.Joins.Count")).ReturnValue());                 // nothing was linked
        var refused = await _kernel.Run("#!secure-aggregate --dataset veterans --stat mean --column no_such_column --explain --name why");
        refused.ShouldSucceed();
        Assert.Contains("would be refused", Assert.Single(refused.Html(), h => h.Contains("smpc-explain")));
        Assert.Equal(true, (await _kernel.Run("why.Refused")).ReturnValue());

        var query = "#!secure-aggregate --dataset veterans --stat mean --column monthly_benefit --group-by service_era";
        (await _kernel.Run(query + " --explain --name plan")).ShouldSucceed();
        (await _kernel.Run(query + " --name ran")).ShouldSucceed();
        Assert.Equal(true, (await _kernel.Run("plan.Rounds == ranRelease.Cost.Rounds && demo.Releases.Count == 1")).ReturnValue());
    }

    [Fact]
    public async Task A_join_reports_counts_and_its_result_can_be_aggregated_charted_and_regressed()
    {
        (await _kernel.Run("#!secure-study --open demo --size 600")).ShouldSucceed();
        var join = await _kernel.Run("#!secure-join --datasets veterans,bank --name linked");
        join.ShouldSucceed();
        var html = Assert.Single(join.Html(), h => h.Contains("smpc-join"));
        foreach (var part in new[] { "joined rows", "linked in pass <code>ssn</code>", "linked in pass <code>name-dob</code>", "hmac-sha256/64", "to the compute parties", "to the analyst" })
            Assert.Contains(part, html);
        var rows = await _kernel.Run("linked.JoinedRows >= 0.9 * demo.GroundTruth!.Number(\"overlap.persons.veterans_bank\") && linked.JoinedRows <= demo.GroundTruth!.Number(\"overlap.persons.veterans_bank\") + 2");   // released rounded to 5 (the bank's terms): at most 2 above
        Assert.Equal(true, rows.ReturnValue());

        (await _kernel.Run("#!secure-aggregate --dataset linked --stat sum --column balance --group-by delinquent")).Failure().ShouldMention("Cannot group by 'delinquent'");
        var mean = await _kernel.Run("#!secure-aggregate --dataset linked --stat mean --column balance --group-by disability_band --plot bar");
        mean.ShouldSucceed();
        Assert.Contains("p% dominance rule", Assert.Single(mean.Html(), h => h.Contains("smpc-release")));
        var fit = await _kernel.Run("#!secure-aggregate --dataset linked --stat ols --column balance,monthly_benefit --name fit");
        fit.ShouldSucceed();
        Assert.Contains("\"mode\":\"lines\"", Assert.Single(fit.Formatted(PlotlyHtml.MimeType)).Value);
        Assert.Equal(true, (await _kernel.Run("fitRelease.Cell(\"coefficient\", \"monthly_benefit\") is not null")).ReturnValue());
    }

    [Fact]
    public async Task Quantiles_by_group_draw_a_box_and_an_oprf_left_join_works_from_the_magic()
    {
        (await _kernel.Run("#!secure-study --open demo --size 400 --engine secure")).ShouldSucceed();   // OPRF joins run on the engine itself
        var box = await _kernel.Run("#!secure-aggregate --dataset veterans --stat quantiles --column age --group-by disability_band");
        box.ShouldSucceed();
        Assert.Contains("\"type\":\"box\"", Assert.Single(box.Formatted(PlotlyHtml.MimeType)).Value);
        var join = await _kernel.Run("#!secure-join --datasets veterans,survey --kind left --pseudonymiser oprf --passes ssn,name-dob-sex --name vs");
        join.ShouldSucceed();
        Assert.Contains("2hashdh-x25519/64", Assert.Single(join.Html(), h => h.Contains("smpc-join")));
        Assert.Equal(true, (await _kernel.Run("vs.Columns.Contains(\"matched\") && vs.JoinedRows > 300")).ReturnValue());
    }

    [Fact]
    public async Task The_same_operations_work_from_CSharp_and_display_as_tables_and_charts()
    {
        (await _kernel.Run("#!secure-study --open demo --size 400")).ShouldSucceed();
        var table = await _kernel.Run("""
            using Smpc.Analytics.Interactive.Charts;
            var byEra = demo.Mean("veterans", "monthly_benefit", "service_era");
            byEra
            """);
        table.ShouldSucceed();
        Assert.Contains(table.Html(), h => h.Contains("smpc-release") && h.Contains("mean(monthly_benefit)") && h.Contains("rows used: 320"));
        var chart = await _kernel.Run("byEra.Chart()");
        chart.ShouldSucceed();
        Assert.Contains("\"type\":\"bar\"", Assert.Single(chart.Formatted(PlotlyHtml.MimeType)).Value);
        Assert.Contains(chart.Html(), h => h.Contains("Plotly.newPlot"));
        var history = await _kernel.Run("demo.History.Count");
        Assert.Equal(1, history.ReturnValue());
    }

    [Theory]
    [InlineData("#!secure-aggregate --dataset veterans", "No study is open")]
    [InlineData("#!secure-join --datasets veterans,bank", "No study is open")]
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
    [InlineData("#!secure-aggregate --dataset veterans --stat mode --column age", "Unknown statistic 'mode'")]
    [InlineData("#!secure-aggregate --dataset veterans --stat mean", "'mean' needs a column")]
    [InlineData("#!secure-aggregate --dataset veterans --stat mean --column state", "needs a numeric column; 'state' is categorical")]
    [InlineData("#!secure-aggregate --dataset veterans --stat histogram --column age --bins 0,x,10", "--bins: 'x' is not a number")]
    [InlineData("#!secure-aggregate --dataset veterans --stat histogram --column age --bins 10,0", "edges must increase")]
    [InlineData("#!secure-aggregate --dataset veterans --stat quantiles --column age --probabilities 0.5,2", "outside (0, 1)")]
    [InlineData("#!secure-aggregate --dataset veterans --stat mean,median --column age", "cannot be computed in one query")]
    [InlineData("#!secure-aggregate --dataset veterans --plot pie", "Unknown plot 'pie'")]
    [InlineData("#!secure-aggregate --dataset veterans --group-by state,sex,service_era", "at most two columns")]
    [InlineData("#!secure-aggregate --dataset veterans --filter \"age >>= 3\"", "age >>= 3")]
    [InlineData("#!secure-aggregate --dataset veterans --epsilon lots", "--epsilon: 'lots' is not a number")]
    [InlineData("#!secure-aggregate --dataset veterans --stat max --column age", "Refused by the data-use terms (AllowedOperations)")]
    [InlineData("#!secure-aggregate --dataset veterans --group-by state --reveal-group-sizes", "Refused by the data-use terms (AllowRevealGroupSizes)")]
    [InlineData("#!secure-aggregate --dataset veterans --colour red", "--colour")]
    [InlineData("#!secure-aggregate --dataset survey --stat mean --column salary --weight survey_weight", "needs --weight-kind")]
    [InlineData("#!secure-aggregate --dataset survey --stat mean --column salary --weight survey_weight --weight-kind often", "--weight-kind: 'often' is not one of frequency, analytic, probability")]
    [InlineData("#!secure-aggregate --dataset survey --stat mean --column salary --weight-kind analytic", "--weight-kind applies to a weighted query")]
    [InlineData("#!secure-aggregate --stat count", "--dataset")]
    [InlineData("#!secure-join --datasets veterans,census", "Unknown dataset 'census'")]
    [InlineData("#!secure-join --datasets veterans", "--datasets needs at least two datasets")]
    [InlineData("#!secure-join --datasets veterans,bank --pseudonymiser bloom", "Unknown pseudonymiser 'bloom'")]
    [InlineData("#!secure-join --datasets veterans,bank --passes ssn,fingerprint", "Unknown linkage key 'fingerprint'")]
    [InlineData("#!secure-join --datasets veterans,bank --kind outer", "--kind 'outer' is not inner or left")]
    [InlineData("#!secure-join --datasets veterans,bank --duplicates reject", "duplicate policy is Reject")]
    [InlineData("#!secure-study --open demo --size many", "--size must be a whole number")]
    [InlineData("#!secure-study --open census", "Unknown data 'census'")]
    [InlineData("#!secure-study", "needs --open demo")]
    [InlineData("#!secure-study --config /nonexistent/study.json", "does not exist")]
    [InlineData("#!secure-study --open synthetic --data /nonexistent", "holds no synthetic agency files")]
    [InlineData("#!secure-study --open demo --data /tmp", "--data only applies to --open synthetic")]
    [InlineData("#!secure-study --open demo --engine quantum", "Unknown engine 'quantum'")]
    [InlineData("#!secure-study --open demo --engine secure --pseudonymiser oprf", "--pseudonymiser applies to the party services in this process")]
    [InlineData("#!secure-study --open demo --pseudonymiser bloom", "Unknown pseudonymiser 'bloom'")]
    [InlineData("#!secure-study --connect /nonexistent/study.json", "does not exist")]
    [InlineData("#!secure-study --connect /nonexistent/study.json --open demo", "--connect works on the data held by the party services")]
    [InlineData("#!secure-study --connect /nonexistent/study.json --analyst alice", "your account is the one your certificate proves")]
    public async Task Bad_input_fails_the_cell_with_a_clear_message_and_the_kernel_keeps_working(string code, string expected)
    {
        (await _kernel.Run("#!secure-study --open demo --size 200")).ShouldSucceed();
        var result = await _kernel.Run(code);
        result.Failure().ShouldMention(expected);

        (await _kernel.Run("40 + 2")).ReturnValue().ShouldBe(42);
        (await _kernel.Run("#!secure-aggregate --dataset veterans --plot none")).ShouldSucceed();
    }

    [Fact]
    public async Task Queries_the_terms_forbid_on_linked_data_name_the_dataset_and_the_rule()
    {
        (await _kernel.Run("#!secure-study --open demo --size 400")).ShouldSucceed();
        (await _kernel.Run("#!secure-join --datasets veterans,bank --name vb")).ShouldSucceed();
        (await _kernel.Run("#!secure-aggregate --dataset vb --stat median --column monthly_benefit")).Failure()
            .ShouldMention("Refused by the data-use terms (AllowedOperations): operation 'quantile' is not allowed on 'bank'");
        (await _kernel.Run("#!secure-aggregate --dataset vb --stat mean --column spend_health")).Failure()
            .ShouldMention("Refused by the data-use terms (AllowedColumns): column 'spend_health' may not be used in analyses of 'bank'");
        (await _kernel.Run("#!secure-aggregate --dataset vb --stat sum,mean --column balance")).Failure().ShouldMention("(RoundingBase)");
        (await _kernel.Run("#!secure-join --datasets vb,survey")).Failure().ShouldMention("'vb' is the result of a join");
        (await _kernel.Run("#!secure-aggregate --dataset vb --group-by service_era")).ShouldSucceed();
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
        (await _kernel.Run("#!secure-study --open demo --size 200")).ShouldSucceed();
    }

    [Fact]
    public async Task It_opens_the_synthetic_agencies_under_their_own_terms()
    {
        var open = await _kernel.Run("#!secure-study --open synthetic");
        open.ShouldSucceed();
        Assert.Contains(open.Html(), h => h.Contains("veterans") && h.Contains("bank") && h.Contains("survey") && h.Contains("data/synthetic"));
        var result = await _kernel.Run("#!secure-aggregate --dataset bank --group-by state --name byState");
        result.ShouldSucceed();
        Assert.Contains(result.Html(), h => h.Contains("minimum cell size 20") && h.Contains("multiple of 5"));
    }

    [Fact]
    public async Task The_extension_dib_loads_the_extension_into_a_fresh_kernel()
    {
        using var kernel = TestKernel.Create(loadExtension: false);
        await kernel.LoadAndRunInteractiveDocument(new FileInfo(Path.Combine(AppContext.BaseDirectory, "extension.dib")));
        Assert.Contains(kernel.KernelInfo.SupportedDirectives, d => d.Name == "#!secure-aggregate");
        (await kernel.Run("#!secure-study --open demo --size 200")).ShouldSucceed();
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
