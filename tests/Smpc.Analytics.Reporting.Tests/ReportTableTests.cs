using Smpc.Analytics.Reporting;

namespace Smpc.Analytics.Reporting.Tests;

public class ReportTableTests
{
    [Fact]
    public void Rows_must_match_the_columns_and_a_suppressed_row_must_say_why()
    {
        Assert.Contains("2 labels for 1 key columns", Assert.Throws<ArgumentException>(() => new ReportTable(["a"], ["v"], [new(["x", "y"], [1])])).Message);
        Assert.Contains("2 values for 1 value columns", Assert.Throws<ArgumentException>(() => new ReportTable(["a"], ["v"], [new(["x"], [1, 2])])).Message);
        Assert.Contains("neither values nor a suppression rule", Assert.Throws<ArgumentException>(() => new ReportTable(["a"], ["v"], [new(["x"], null)])).Message);
    }

    [Fact]
    public void Values_are_looked_up_by_keys_and_suppressed_cells_have_none()
    {
        var t = Samples.CrossTab();
        Assert.Equal(25, t.Value("count", "A", "y"));
        Assert.Null(t.Value("count", "B", "y"));
        Assert.Equal(2, t.SuppressedCount);
        Assert.Throws<KeyNotFoundException>(() => t.Value("count", "C", "y"));
        Assert.Throws<KeyNotFoundException>(() => t.Value("median", "A", "y"));
    }

    [Fact]
    public void A_check_of_a_suppressed_number_is_not_a_failure_but_a_wrong_number_is()
    {
        Assert.Equal(CheckOutcome.Pass, new GroundTruthCheck("x", 10, 10.4, 0.5, "").Outcome);
        Assert.Equal(CheckOutcome.Fail, new GroundTruthCheck("x", 10, 10.6, 0.5, "").Outcome);
        Assert.Equal(CheckOutcome.NotReleased, new GroundTruthCheck("x", 10, null, 0.5, "").Outcome);
        var report = Samples.Report();
        Assert.True(report.ChecksPassed);
        Assert.False((report with { Checks = [.. report.Checks, new GroundTruthCheck("y", 1, 2, 0, "")] }).ChecksPassed);
    }

    [Fact]
    public void Numbers_are_formatted_in_the_invariant_culture()
    {
        Assert.Equal("1,235", Html.Number(1235));
        Assert.Equal("1,234.57", Html.Number(1234.567));
        Assert.Equal("0.05375", Html.Number(0.053752));
        Assert.Equal("—", Html.Number(double.NaN));
        Assert.Equal("1.5 KiB", Html.Bytes(1536));
    }
}

public class PackagingTests
{
    [Fact]
    public void The_reporting_library_references_neither_Plotly_nor_FSharp()
    {
        // The notebook extension loads Plotly.NET in its own load context; a library it may load must stay Plotly-free.
        var references = typeof(ReportWriter).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain(references, n => n.StartsWith("Plotly", StringComparison.Ordinal) || n.StartsWith("FSharp", StringComparison.Ordinal));
        Assert.Contains("Smpc.Analytics", references);
    }

    [Fact]
    public void A_released_table_renders_as_an_html_fragment_with_suppressed_cells_marked()
    {
        var html = HtmlReportWriter.TableHtml(Samples.CrossTab(), "Era by band");
        Assert.Contains("<b>Era by band</b>", html);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "class=\"smpc-suppressed\"").Count);
        Assert.Contains("<td>1,234.56</td>", html);
    }
}
