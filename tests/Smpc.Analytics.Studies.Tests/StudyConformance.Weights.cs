using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>The suite's weights: the kind of a weight travels from the study API to the release, and a weight without a
/// kind is refused before anything is computed.</summary>
public abstract partial class StudyConformance
{
    [Fact]
    public void A_probability_weighted_count_and_mean_name_the_kind_and_read_as_population_estimates()
    {
        var release = f.Secure.Query("survey").Weighted("survey_weight", WeightKind.Probability).Aggregate([StatisticKind.Count, StatisticKind.Mean], "salary");
        Assert.Equal(WeightKind.Probability, release.Request.WeightKind);
        Assert.Contains("weighted by survey_weight (probability weights)", release.Query);
        Assert.Contains(release.Notes, n => n.Contains("estimated population total"));
        Assert.Contains(release.Notes, n => n.Contains("minimum cell size applies to the number of rows"));
        Assert.Contains("(probability weights)", release.Request.Describe());
    }

    [Theory]
    [InlineData(WeightKind.Frequency, "number of units")]
    [InlineData(WeightKind.Analytic, "sum of the analytic weights")]
    public void Other_kinds_say_what_a_weighted_count_is(WeightKind kind, string meaning)
    {
        var release = f.Secure.Query("survey").Weighted("survey_weight", kind).Count();
        Assert.Contains($"({kind.Name()} weights)", release.Query);
        Assert.Contains(release.Notes, n => n.Contains(meaning));
    }

    [Fact]
    public void A_weight_without_its_kind_is_refused_before_anything_is_computed()
    {
        int history = f.Secure.History.Count;
        var ex = Assert.ThrowsAny<SmpcException>(() => f.Secure.Aggregate(new AggregateRequest
        {
            Dataset = "survey", Statistics = [StatisticKind.Mean], Columns = ["salary"], Weight = "survey_weight",
        }));
        Assert.Contains("frequency, analytic or probability", ex.Message);
        Assert.ThrowsAny<SmpcException>(() => f.Secure.Aggregate(new AggregateRequest
        {
            Dataset = "survey", Statistics = [StatisticKind.Mean], Columns = ["salary"], WeightKind = WeightKind.Probability,
        }));
        Assert.Equal(history, f.Secure.History.Count);
    }
}
