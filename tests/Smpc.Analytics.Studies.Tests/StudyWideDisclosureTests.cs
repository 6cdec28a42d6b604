using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Queries;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>The study-wide disclosure model on the committed synthetic agencies: a tracker attack with two filters that
/// differ by a handful of veterans, and rounding undone by a sum and a mean of the bank's cells in two queries.</summary>
public sealed class StudyWideDisclosureTests
{
    [Fact]
    public void Two_filters_that_differ_by_a_few_veterans_do_not_give_their_benefits()
    {
        using var study = SecureStudy.OpenSynthetic(name: "tracker", engine: new PlaintextEngine());
        var file = study.GroundTruth!.File("veterans");
        var age = Plain.Column<long>(file, "age"); var state = Plain.Text(file, "state");
        int few = Enumerable.Range(0, age.Length).Count(i => state[i] == "RI" && age[i] >= 50);
        Assert.InRange(few, 1, 10);
        var all = study.Query("veterans").Where("age >= 50").Sum("monthly_benefit");
        Assert.Equal("released", all.Table.Columns["status"][0]);
        var e = Assert.Throws<PolicyException>(() => study.Query("veterans").Where("age >= 50 and state in (" +
            string.Join(", ", study.Dataset("veterans").Table["state"].Spec.Domain!.Where(s => s != "RI")) + ")").Sum("monthly_benefit"));
        Assert.Equal("StudyDisclosure", e.Rule);
        Assert.Contains("fewer than 11 rows", e.Message);
        Assert.Contains("age >= 50", e.Message);   // names the earlier release
    }

    [Fact]
    public void A_sum_and_a_mean_of_the_banks_cells_in_two_queries_do_not_reveal_unrounded_counts()
    {
        using var study = SecureStudy.OpenSynthetic(name: "rounding", engine: new PlaintextEngine());
        study.Sum("bank", "balance", "state");
        var e = Assert.Throws<PolicyException>(() => study.Mean("bank", "balance", "state"));
        Assert.Equal("StudyDisclosure", e.Rule);
        Assert.Contains("unrounded count", e.Message);
    }
}
