using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Reporting;
using Smpc.Analytics.Studies;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Reporting.Tests;

/// <summary>Report entries from the study API: a release with a suppressed group, a refusal, and the chart built from the study API's chart data.</summary>
public sealed class StudyResultsTests : IDisposable
{
    readonly SecureStudy _study = new("report-test", new SecureEngine());
    readonly string[] _state;
    readonly long[] _income;

    public StudyResultsTests()
    {
        _state = Enumerable.Range(0, 80).Select(i => i < 45 ? "CA" : i < 77 ? "TX" : "VT").ToArray();     // VT: 3 rows
        _income = Enumerable.Range(0, 80).Select(i => 20_000L + 731 * i).ToArray();
        var schema = new TableSchema
        {
            Name = "people",
            Columns = [new ColumnSpec { Name = "state", Kind = ColumnKind.Categorical, Domain = ["CA", "TX", "VT"] }, new ColumnSpec { Name = "income", Kind = ColumnKind.Integer, Min = 0, Max = 100_000 }],
        };
        var terms = new DataUseTerms { Dataset = "people", Steward = "test", Purpose = "tests", Redisclosure = new RedisclosureTerms(), MinCellSize = 11, AllowedOperations = ["count", "mean", "groupby"] };
        _study.Contribute(schema, new PlainTable("people").Add("state", _state).Add("income", _income), terms);
    }

    public void Dispose() => _study.Dispose();

    [Fact]
    public void A_release_becomes_an_entry_with_its_table_reveals_cost_and_a_chart_of_released_cells_only()
    {
        var release = _study.Mean("people", "income", "state");
        var entry = StudyResults.Release("R01", "Mean income by state", release);
        var t = entry.Table!;
        Assert.Equal(release.KeyColumns, t.KeyColumns);
        Assert.Equal(release.ValueColumns, t.ValueColumns);
        Assert.True(t.Rows.Single(r => r.Keys[0] == "VT").Suppressed);
        foreach (var row in t.Released.Where(r => r.Keys[0] != "(all)"))
            Assert.InRange(row.Values![t.IndexOf("mean(income)")]!.Value, _income.Where((_, i) => _state[i] == row.Keys[0]).Average() - 0.01,
                           _income.Where((_, i) => _state[i] == row.Keys[0]).Average() + 0.01);
        Assert.Equal(release.Cost.Reveals.Count, entry.Reveals.Count);
        Assert.Equal(release.Cost.Bytes, entry.Cost.Bytes);

        var figures = new RecordingFigures();
        var figure = ReportCharts.For(entry, figures);
        Assert.NotNull(figure);
        var (kind, labels, _) = Assert.Single(figures.Calls);
        Assert.Equal("bar", kind);
        Assert.DoesNotContain("VT", labels);
        Assert.DoesNotContain("(all)", labels);
    }

    [Fact]
    public void A_release_with_log_entries_shows_them_in_the_packet_and_the_report_and_one_without_shows_none()
    {
        const string proof = "https://registry.example/api/studies/s1/log/";
        var release = _study.Mean("people", "income", "state");
        var logged = release with { LogEntries = [new LogEntryReference(2, 43, proof + "43"), new LogEntryReference(0, 41, proof + "41"), new LogEntryReference(1, 42, proof + "42")] };
        var report = Samples.Report(StudyResults.Release("R01", "Mean income by state (logged)", logged), StudyResults.Release("R02", "Mean income by state", release));
        Assert.Equal([0, 1, 2], report.Releases[0].LogEntries.Select(e => e.Party));
        Assert.Empty(report.Releases[1].LogEntries);

        using var doc = System.Text.Json.JsonDocument.Parse(PacketJsonWriter.Render(report));
        var releases = doc.RootElement.GetProperty("releases");
        var entries = releases[0].GetProperty("logEntries").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2], entries.Select(e => e.GetProperty("party").GetInt32()));
        Assert.Equal([41L, 42L, 43L], entries.Select(e => e.GetProperty("index").GetInt64()));
        Assert.Equal(proof + "42", entries[1].GetProperty("proofUrl").GetString());
        Assert.Empty(releases[1].GetProperty("logEntries").EnumerateArray());

        static string Section(string text, string from, string? to) => to is null ? text[text.IndexOf(from, StringComparison.Ordinal)..]
            : text[text.IndexOf(from, StringComparison.Ordinal)..text.IndexOf(to, text.IndexOf(from, StringComparison.Ordinal), StringComparison.Ordinal)];
        var md = PacketMarkdownWriter.Render(report);
        var mdLogged = Section(md, "### R01", "### R02");
        foreach (var (party, index) in new[] { (0, 41), (1, 42), (2, 43) })
            Assert.Contains($"* party {party}: entry #{index}, proof <{proof}{index}>", mdLogged);
        Assert.DoesNotContain(proof, Section(md, "### R02", null));

        var html = new HtmlReportWriter(null).Render(report, []);
        var htmlLogged = Section(html, "id=\"R01\"", "id=\"R02\"");
        foreach (var (party, index) in new[] { (0, 41), (1, 42), (2, 43) })
            Assert.Contains($"party {party} <a href=\"{proof}{index}\">entry #{index}</a>", htmlLogged);
        Assert.DoesNotContain(proof, Section(html, "id=\"R02\"", null));
        Assert.DoesNotContain("Registry transparency log", Section(html, "id=\"R02\"", null));
    }

    [Fact]
    public void The_report_shows_each_statistic_to_the_decimals_it_supports()
    {
        var release = _study.Mean("people", "income", "state");      // an integer column: count whole, mean to two decimals
        var t = StudyResults.Release("R01", "Mean income by state", release).Table!;
        Assert.Equal([0, 2], t.Decimals!);
        var row = t.Released.First();
        double mean = row.Values![t.IndexOf("mean(income)")]!.Value;
        Assert.Equal(mean.ToString("N2", System.Globalization.CultureInfo.InvariantCulture), t.Text(t.IndexOf("mean(income)"), mean));
        double count = row.Values![t.IndexOf("count")]!.Value;
        Assert.Equal(count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), t.Text(t.IndexOf("count"), count));
        var html = HtmlReportWriter.TableHtml(t);
        Assert.Contains(">" + mean.ToString("N2", System.Globalization.CultureInfo.InvariantCulture) + "<", html);
    }

    [Fact]
    public void A_refusal_by_the_study_api_keeps_its_rule()
    {
        var refusal = Assert.Throws<PolicyException>(() => _study.Median("people", "income"));
        var entry = StudyResults.Refusal("R02", "Median income", "people", "median(income)", refusal, [], CostEntry.None);
        Assert.Equal("AllowedOperations", entry.RefusedBy);
        Assert.Equal(ReleaseOutcome.Refused, entry.Outcome);
    }

    [Fact]
    public void A_contributed_dataset_carries_its_terms()
    {
        var entry = StudyResults.Dataset(_study.Dataset("people"));
        Assert.Equal(80, entry.Rows);
        Assert.Equal(11, entry.Terms.MinCellSize);
        Assert.Empty(entry.Files);   // contributed from memory, not files
    }
}
