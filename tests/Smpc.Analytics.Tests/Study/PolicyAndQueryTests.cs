using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Tests.Statistics;

namespace Smpc.Analytics.Tests.Study;

public class PolicyAndQueryTests : IDisposable
{
    readonly PlaintextEngine _engine = new();
    readonly SurveyData _data = SurveyData.Generate(120, seed: 4);
    public void Dispose() => _engine.Dispose();

    SecureAnalysis With(Action<TermsBuilder> terms, TimeProvider? clock = null) =>
        new(_data.Share(_engine), SurveyData.Terms(more: terms), clock: clock);

    [Fact]
    public void Operations_columns_expiry_and_group_size_reveals_are_refused_by_rule()
    {
        var ops = Assert.Throws<PolicyException>(() => With(t => t.Operations = ["count"]).Mean("age"));
        Assert.Equal("AllowedOperations", ops.Rule);
        Assert.Contains("'mean'", ops.Message);

        var cols = Assert.Throws<PolicyException>(() => With(t => t.Columns = ["age", "state"]).GroupBy("state").Sum("income"));
        Assert.Equal("AllowedColumns", cols.Rule);
        Assert.Contains("'income'", cols.Message);
        var filterColumn = Assert.Throws<PolicyException>(() => With(t => t.Columns = ["age"]).Where("sex in (F)").Sum("age"));
        Assert.Contains("'sex'", filterColumn.Message);

        var expired = Assert.Throws<PolicyException>(() => With(t => t.Expires = new DateOnly(2020, 1, 1)).Count());
        Assert.Equal("Expires", expired.Rule);

        var sizes = Assert.Throws<PolicyException>(() => With(_ => { }).GroupBy("state").WithGroupSizes(GroupSizeDisclosure.RevealToComputeParties).Count());
        Assert.Equal("AllowRevealGroupSizes", sizes.Rule);

        var rounding = Assert.Throws<PolicyException>(() => With(t => t.RoundingBase = 10).Aggregate(Measure.Sum("age"), Measure.Mean("age")));
        Assert.Equal("RoundingBase", rounding.Rule);

        // Nothing was revealed by refused queries.
        Assert.Empty(_engine.Reveals);
    }

    [Fact]
    public void The_faster_group_by_reveals_group_sizes_to_the_compute_parties_only_and_gives_the_same_result()
    {
        using var secure = new SecureEngine();
        var table = _data.Share(secure);
        var open = new SecureAnalysis(table, SurveyData.Terms(more: t => t.AllowRevealGroupSizes = true));
        var fast = open.Where("age >= 40").GroupBy("state", "sex").WithGroupSizes(GroupSizeDisclosure.RevealToComputeParties).Aggregate(Measure.Count(), Measure.Sum("age"));
        var hidden = open.Where("age >= 40").GroupBy("state", "sex").Aggregate(Measure.Count(), Measure.Sum("age"));
        for (long row = 0; row < hidden.Table.Rows.Count; row++)
        {
            Assert.Equal(hidden.Table.Value("count", row), fast.Table.Value("count", row));
            Assert.Equal(hidden.Table.Value("sum(age)", row), fast.Table.Value("sum(age)", row));
        }
        Assert.Contains(fast.Reveals, r => r.Audience == RevealAudience.ComputeParties && r.Purpose.Contains("group sizes"));
        Assert.DoesNotContain(hidden.Reveals, r => r.Purpose.Contains("group sizes"));
        Assert.Contains(fast.Notes, n => n.Contains("group sizes were revealed to the compute parties"));
    }

    [Fact]
    public void Bad_queries_get_clear_errors()
    {
        var a = With(_ => { });
        Assert.Contains("Unknown column 'salary'", Assert.Throws<SchemaException>(() => a.Sum("salary")).Message);
        Assert.Contains("needs a numeric column; 'state' is categorical", Assert.Throws<QueryException>(() => a.Sum("state")).Message);
        Assert.Contains("not categorical with a declared domain", Assert.Throws<QueryException>(() => a.GroupBy("age").Count()).Message);
        Assert.Contains("outside (0, 1)", Assert.Throws<QueryException>(() => a.Quantile("age", 1.5)).Message);
        Assert.Contains("outside (0, 1)", Assert.Throws<QueryException>(() => a.Quantile("age", 0)).Message);
        Assert.Contains("'XX' is not in the declared domain", Assert.Throws<QueryException>(() => a.Where("state in (XX)").Count()).Message);
        Assert.Contains("only numeric and boolean columns can be compared", Assert.Throws<QueryException>(() => a.Where("state >= 3").Count()).Message);
        Assert.Contains("needs a numeric column; 'note' is pseudonym", Assert.Throws<QueryException>(() => a.Mean("note")).Message);
        Assert.Contains("edges must increase", Assert.Throws<QueryException>(() => a.Histogram("age", [10, 5])).Message);
        Assert.Contains("at most two columns", Assert.Throws<QueryException>(() => a.GroupBy("state", "sex", "state")).Message);
        Assert.Empty(_engine.Reveals);
    }

    [Fact]
    public void Filters_parse_with_precedence_and_report_syntax_errors_with_positions()
    {
        var f = RowFilter.Parse("age >= 65 and state in (CA, 'New York') or not score < 3");
        Assert.Equal("((age >= 65 and state in (CA, New York)) or not score < 3)", f.ToString());
        Assert.Equal(["age", "state", "score"], f.Columns().ToArray());
        Assert.Contains("at position 6", Assert.Throws<FilterSyntaxException>(() => RowFilter.Parse("age => 3")).Message);
        Assert.Contains("is not a number", Assert.Throws<FilterSyntaxException>(() => RowFilter.Parse("age > old")).Message);
        Assert.Contains("ended", Assert.Throws<FilterSyntaxException>(() => RowFilter.Parse("age >")).Message);
    }

    [Fact]
    public void Results_carry_metadata_and_a_status_column()
    {
        using var secure = new SecureEngine();
        var r = new SecureAnalysis(_data.Share(secure), SurveyData.Terms(minCellSize: 11)).Where("age < 30").GroupBy("state").Count();
        Assert.Equal(["state", "count", "status", "rule"], r.Table.Columns.Select(c => c.Name).ToArray());
        Assert.True(r.BytesSent > 0);
        Assert.True(r.Rounds > 0);
        Assert.True(r.Elapsed > TimeSpan.Zero);
        Assert.Equal(120, r.RowsUsed);
        Assert.Contains(r.RulesApplied, x => x.StartsWith("minimum cell size 11"));
        Assert.Contains(r.RevealedToWhom(), x => x.StartsWith("compute parties: cell-size rule"));
        Assert.Contains(r.RevealedToWhom(), x => x.StartsWith("analyst: release count"));
        Assert.Contains("where age < 30", r.Query);
        Assert.Contains("rows used 120", r.ToString());
    }
}
