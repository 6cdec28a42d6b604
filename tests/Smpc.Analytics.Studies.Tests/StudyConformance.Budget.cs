using Smpc.Analytics.Queries;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>The suite's differential-privacy budget: ε is charged to each contributing dataset's budget (here "people",
/// ε = 1), and a query that would exceed it is refused before anything runs.</summary>
public abstract partial class StudyConformance
{
    static string RuleOf(Exception e) => e switch
    {
        PolicyException p => p.Rule,
        Parties.StudyRefusedException r => r.Rule,
        _ => throw new Xunit.Sdk.XunitException($"Expected a refusal by rule, got {e.GetType().Name}: {e.Message}"),
    };

    [Fact]
    public void A_query_that_would_exceed_the_budget_is_refused_and_the_ledger_keeps_what_was_spent()
    {
        var first = f.Secure.Query(ConformanceData.Budgeted).GroupBy("group").WithEpsilon(0.6).Count();
        Assert.Equal(0.6, first.EpsilonSpent);
        Assert.Contains(first.RulesApplied, r => r.Contains("differential privacy"));
        // Noisy counts stay near the truth (discrete Laplace, scale 1/ε per count).
        Assert.InRange(first.Cell("count", "a")!.Value, 134 - 60, 134 + 60);
        int history = f.Secure.History.Count;
        var e = Assert.ThrowsAny<SmpcException>(() => f.Secure.Query(ConformanceData.Budgeted).GroupBy("group").WithEpsilon(0.6).Count());
        Assert.Equal("EpsilonBudget", RuleOf(e));
        Assert.Equal(history, f.Secure.History.Count);
        // What remains (0.4) can still be spent: the refused query charged nothing.
        Assert.Equal(0.3, f.Secure.Query(ConformanceData.Budgeted).GroupBy("group").WithEpsilon(0.3).Count().EpsilonSpent!.Value, 9);
    }

    [Fact]
    public void A_dataset_with_a_budget_requires_epsilon() =>
        Assert.Equal("EpsilonBudget", RuleOf(Assert.ThrowsAny<SmpcException>(() => f.Secure.Count(ConformanceData.Budgeted, "group"))));
}
