using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Queries;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>Bad queries and queries the data-use terms forbid fail before anything is computed or revealed, with a
/// message naming the problem (dataset, column, rule), and leave the study's history unchanged.</summary>
public sealed class PolicyAndErrorTests(SyntheticStudyFixture f) : IClassFixture<SyntheticStudyFixture>
{
    SecureStudy Study => f.Secure;

    TException Fails<TException>(Action query, params string[] expected) where TException : Exception
    {
        int reveals = Study.Engine.Reveals.Count, history = Study.History.Count;
        var e = Assert.Throws<TException>(query);
        foreach (var x in expected) Assert.Contains(x, e.Message);
        Assert.Equal(reveals, Study.Engine.Reveals.Count);
        Assert.Equal(history, Study.History.Count);
        return e;
    }

    [Fact]
    public void Quantiles_over_rows_of_the_bank_are_refused_by_the_bank_terms()
    {
        var e = Fails<PolicyException>(() => Study.Median("vb", "monthly_benefit"), "AllowedOperations", "'quantile'", "'bank'");
        Assert.Equal("AllowedOperations", e.Rule);
        Study.Median("veterans", "monthly_benefit");   // the veterans' terms allow it on their own data
    }

    [Fact]
    public void A_column_its_steward_excludes_is_refused_even_after_a_join() =>
        Fails<PolicyException>(() => Study.Mean("vb", "spend_health"), "AllowedColumns", "'spend_health'", "'bank'");

    [Fact]
    public void A_sum_and_a_mean_of_the_same_cells_under_rounding_are_refused() =>
        Fails<PolicyException>(() => Study.Query("bank").Aggregate([StatisticKind.Sum, StatisticKind.Mean], "balance"), "RoundingBase", "multiples of 5");

    [Fact]
    public void An_operation_no_dataset_allows_is_refused() =>
        Fails<PolicyException>(() => Study.Max("veterans", "monthly_benefit"), "AllowedOperations", "'max'");

    [Fact]
    public void Revealing_group_sizes_needs_every_steward_to_allow_it() =>
        Fails<PolicyException>(() => Study.Query("veterans").GroupBy("state").RevealingGroupSizesToComputeParties().Count(), "AllowRevealGroupSizes");

    [Theory]
    [InlineData("census", "Unknown dataset 'census' in study 'secure'. Datasets: veterans, bank, survey")]
    public void Unknown_datasets_are_named(string dataset, string expected) => Fails<QueryException>(() => Study.Count(dataset), expected);

    [Fact] public void Unknown_columns_are_named_with_the_columns_there_are() => Fails<QueryException>(() => Study.Mean("veterans", "salary"), "Unknown column 'salary' in dataset 'veterans'. Columns: sex, state");
    [Fact] public void Grouping_by_a_number() => Fails<QueryException>(() => Study.Count("veterans", "age"), "Cannot group by 'age': it is integer");
    [Fact] public void Summing_a_category() => Fails<QueryException>(() => Study.Sum("veterans", "state"), "'sum' needs a numeric column; 'state' is categorical");
    [Fact] public void Three_group_by_columns() => Fails<QueryException>(() => Study.Count("veterans", "state", "sex", "service_era"), "at most two columns");
    [Fact] public void A_quantile_outside_zero_one() => Fails<QueryException>(() => Study.Quantiles("veterans", "age", [1.5]), "outside (0, 1)");
    [Fact] public void Bins_out_of_order() => Fails<QueryException>(() => Study.Histogram("veterans", "age", [10, 5]), "edges must increase");
    [Fact] public void A_histogram_without_bins() => Fails<QueryException>(() => Study.Histogram("veterans", "age", []), "at least two bin edges");
    [Fact] public void A_malformed_filter() => Fails<FilterSyntaxException>(() => Study.Query("veterans").Where("age >=").Count(), "age >=");
    [Fact] public void A_filter_on_an_unknown_column() => Fails<QueryException>(() => Study.Query("veterans").Where("income > 5").Count(), "Unknown column 'income'");
    [Fact] public void Epsilon_on_a_median() => Fails<QueryException>(() => Study.Query("veterans").WithEpsilon(1).Median("age"), "ε (differential privacy) applies to counts");

    [Fact]
    public void Statistics_of_different_kinds_in_one_query() =>
        Fails<QueryException>(() => Study.Aggregate(new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Mean, StatisticKind.Median], Columns = ["age"] }),
                              "cannot be computed in one query");

    [Fact]
    public void Bins_without_a_histogram() =>
        Fails<QueryException>(() => Study.Aggregate(new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Count], Bins = [0, 1] }), "apply to a histogram only");

    [Fact] public void Joining_a_join_result() => Fails<QueryException>(() => Study.Join("vb", "survey", "x"), "'vb' is the result of a join");
    [Fact] public void A_join_name_that_is_taken() => Fails<QueryException>(() => Study.Join("veterans", "bank", "survey"), "already has a dataset 'survey'");
    [Fact]
    public void The_same_join_asked_again_is_the_earlier_one_and_another_under_its_name_is_refused()
    {
        var earlier = Study.Joins.Single(j => j.Dataset == "vb");
        int reveals = Study.Engine.Reveals.Count, history = Study.History.Count;
        var again = Study.Join(earlier.Request);
        Assert.Same(earlier, again);                                  // nothing linked, opened or recorded again
        Assert.Equal(reveals, Study.Engine.Reveals.Count);
        Assert.Equal(history, Study.History.Count);
        Fails<QueryException>(() => Study.Join(earlier.Request with { Passes = [LinkageKeyKind.Ssn] }), "already has a dataset 'vb'");
        Fails<QueryException>(() => Study.Join(earlier.Request with { Kind = earlier.Request.Kind == JoinKind.Inner ? JoinKind.Left : JoinKind.Inner }), "already has a dataset 'vb'");
    }

    [Fact] public void A_dataset_listed_twice() => Fails<QueryException>(() => Study.Join("veterans", "veterans"), "listed twice");

    [Fact]
    public void A_key_the_bank_does_not_record() =>
        Assert.Contains("'sex'", Assert.Throws<LinkageException>(() =>
            Study.Join(new JoinRequest { Datasets = ["veterans", "bank"], Passes = [LinkageKeyKind.NameDateOfBirthSex], Name = "nope" })).Message);

    [Fact]
    public void Duplicates_under_the_reject_policy_stop_the_join()
    {
        var e = Assert.Throws<LinkageException>(() => Study.Join(new JoinRequest { Datasets = ["veterans", "bank"], Duplicates = DuplicatePolicy.Reject, Name = "strict" }));
        Assert.Contains("duplicate policy is Reject", e.Message);
        Assert.False(Study.Has("strict"));
    }

    [Fact]
    public void An_analyst_the_terms_do_not_name_is_refused()
    {
        using var study = SecureStudy.OpenSynthetic(name: "other", engine: new Engine.PlaintextEngine(), analyst: "ncses-analyst");
        Assert.Equal("AllowedAnalysts", Assert.Throws<PolicyException>(() => study.Count("veterans")).Rule);
        Assert.NotNull(study.Count("survey").Cell("count"));
    }
}
