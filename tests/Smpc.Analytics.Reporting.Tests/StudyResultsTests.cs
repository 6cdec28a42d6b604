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
