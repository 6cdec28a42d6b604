using Smpc.Analytics.Interactive.Api;

namespace Smpc.Analytics.Interactive.Tests.Api;

/// <summary>Bad queries fail before anything is revealed, with a message naming the problem.</summary>
public sealed class QueryErrorTests(StudyFixture fixture) : IClassFixture<StudyFixture>
{
    SecureStudy Study => fixture.Secure;

    void Fails<TException>(Action query, string expected) where TException : Exception
    {
        int reveals = Study.Engine.Reveals.Count;
        var e = Assert.Throws<TException>(query);
        Assert.Contains(expected, e.Message);
        Assert.Equal(reveals, Study.Engine.Reveals.Count);
    }

    [Fact] public void Unknown_dataset() => Fails<QueryException>(() => Study.Count("census"), "Unknown dataset 'census' in study 'secure'. Datasets: veterans, bank");
    [Fact] public void Unknown_column() => Fails<QueryException>(() => Study.Mean("veterans", "salary"), "Unknown column 'salary' in dataset 'veterans'");
    [Fact] public void Grouping_by_a_number() => Fails<QueryException>(() => Study.Count("veterans", "disability_rating"), "Cannot group by 'disability_rating'");
    [Fact] public void Summing_a_category() => Fails<QueryException>(() => Study.Sum("veterans", "state"), "needs a numeric column; 'state' is categorical");
    [Fact] public void Bins_out_of_order() => Fails<QueryException>(() => Study.Histogram("veterans", "monthly_benefit", [0, 10, 5]), "Bin edges must increase");
    [Fact] public void Too_few_bins() => Fails<QueryException>(() => Study.Histogram("veterans", "monthly_benefit", [0]), "at least two bin edges");
    [Fact] public void Predictor_outside_regression() =>
        Fails<QueryException>(() => Study.Aggregate(new AggregateRequest { Dataset = "veterans", Statistic = Statistic.Mean, Column = "monthly_benefit", Predictor = "disability_rating" }), "--predictor only applies");
    [Fact] public void Join_on_a_non_pseudonym() => Fails<QueryException>(() => Study.Join("veterans", "bank", on: "state", name: "x"), "do not allow 'state' as a linkage key");
    [Fact] public void Join_name_taken() => Fails<QueryException>(() => Study.Join("veterans", "bank", on: "ssn", name: "veterans"), "already has a dataset 'veterans'");
    [Fact] public void Unavailable_statistic() =>
        Fails<QueryException>(() => Study.Aggregate(new AggregateRequest { Dataset = "veterans", Statistic = Statistic.Quantiles, Column = "monthly_benefit" }), "'quantiles' is not available yet");

    [Fact]
    public void A_sum_that_could_overflow_the_ring_is_refused()
    {
        using var study = new SecureStudy("overflow", new Smpc.Analytics.Engine.PlaintextEngine());
        var schema = new Smpc.Analytics.Columnar.TableSchema
        {
            Name = "big",
            Columns = [new Smpc.Analytics.Columnar.ColumnSpec { Name = "x", Kind = Smpc.Analytics.Columnar.ColumnKind.FixedPoint, Min = 0, Max = 1e13 }],
        };
        var data = new Smpc.Analytics.Columnar.PlainTable("big").Add("x", Enumerable.Repeat(1e12, 2000).ToArray());
        study.Contribute(schema, data, Demo.DemoContributors.Terms("big", "test"));
        var e = Assert.Throws<RangeException>(() => study.Sum("big", "x"));
        Assert.Contains("the sum of 'x'", e.Message);
    }

    [Fact]
    public void Data_use_terms_that_do_not_allow_an_operation_are_enforced()
    {
        using var study = new SecureStudy("terms", new Smpc.Analytics.Engine.PlaintextEngine());
        var terms = Demo.DemoContributors.Terms("veterans", "VA") with { AllowedOperations = ["count"] };
        var data = Demo.DemoData.Generate(50, 1);
        study.Contribute(Demo.DemoContributors.VeteransSchema, Demo.DemoContributors.Veterans(data, new byte[32]), terms);
        var e = Assert.Throws<QueryException>(() => study.Mean("veterans", "monthly_benefit"));
        Assert.Contains("do not allow 'mean'", e.Message);
        Assert.Single(study.Count("veterans").Table.Rows);
    }
}
