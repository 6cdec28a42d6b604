using Smpc.Analytics.Studies.Plans;

namespace Smpc.Analytics.Reporting.Tests.Plans;

/// <summary>Narrative templates filled from a released table: values, arithmetic, and sentences left out over suppressed cells.</summary>
public sealed class NarrativeTemplateTests
{
    static readonly ReportTable Table = new(["band"], ["count", "mean(balance)"],
    [
        new(["none"], [120, 1500.25]),
        new(["70-100"], [80, 2250.5]),
        new(["10-20"], null, "cell size < 20"),
        new(["(all)"], [205, 1800]),
    ]);

    static string? Fill(string sentence, ReportTable? table = null)
    {
        var t = table ?? Table;
        return NarrativeTemplate.Fill(sentence, (c, k) => t.Value(c, k), t.SuppressedCount, Html.Number);
    }

    [Fact]
    public void A_cell_is_replaced_by_its_formatted_value()
    {
        Assert.Equal("Rated 70–100%: 2,250.50 against 1,500.25.", Fill("Rated 70–100%: {mean(balance)@70-100} against {mean(balance)@none}."));
        Assert.Equal("205 people.", Fill("{count@(all)} people."));
    }

    [Fact]
    public void Arithmetic_between_spaced_operators_is_computed_with_products_first()
    {
        Assert.Equal("750.25 more", Fill("{mean(balance)@70-100 - mean(balance)@none} more"));
        Assert.Equal("1.50", Fill("{mean(balance)@70-100 / mean(balance)@none}"));
        Assert.Equal("40", Fill("{count@none - count@70-100 * 1}"));
        Assert.Equal("240", Fill("{count@none * 2}"));
    }

    [Fact]
    public void A_sentence_over_a_suppressed_cell_is_left_out()
    {
        Assert.Null(Fill("The 10–20% band holds {mean(balance)@10-20}."));
        Assert.Null(Fill("A difference of {mean(balance)@10-20 - mean(balance)@none}."));
    }

    [Fact]
    public void Suppressed_counts_and_conditional_text_follow_the_table()
    {
        Assert.Equal("1 cell is withheld.", Fill("{suppressed} cell is withheld."));
        Assert.Equal("Rates. Some are withheld.", Fill("Rates.{?suppressed: Some are withheld.}"));
        var open = new ReportTable(["band"], ["count"], [new(["none"], [120])]);
        Assert.Null(Fill("{suppressed} cells are withheld.", open));
        Assert.Equal("Rates.", Fill("Rates.{?suppressed: Some are withheld.}", open));
    }

    [Fact]
    public void A_cell_the_table_does_not_have_is_an_error_not_a_silent_drop()
    {
        Assert.Throws<KeyNotFoundException>(() => Fill("{mean(balance)@30-60}"));
        Assert.Throws<KeyNotFoundException>(() => Fill("{median(balance)@none}"));
    }

    [Theory]
    [InlineData("{a", "is not closed")]
    [InlineData("a}", "without its")]
    [InlineData("{}", "empty braces")]
    [InlineData("{count@none -}", "ends with an operator")]
    [InlineData("{@none}", "names no value column")]
    public void Malformed_templates_are_described(string sentence, string problem) =>
        Assert.Contains(problem, NarrativeTemplate.Problem(sentence));
}
