using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Study;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>Differential privacy through the study: ε is charged to each contributing dataset's budget, and a query
/// that would exceed it is refused before anything runs.</summary>
public sealed class PrivacyBudgetTests
{
    static SecureStudy Study(double budget)
    {
        var study = new SecureStudy("dp", new SecureEngine());
        var schema = new TableSchema
        {
            Name = "people",
            Columns = [new ColumnSpec { Name = "group", Kind = ColumnKind.Categorical, Domain = ["a", "b"] },
                       new ColumnSpec { Name = "income", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 1000 }],
        };
        var data = new PlainTable("people")
            .Add("group", Enumerable.Range(0, 400).Select(i => i % 3 == 0 ? "a" : "b").ToArray())
            .Add("income", Enumerable.Range(0, 400).Select(i => (double)(i % 100)).ToArray());
        var terms = new DataUseTerms
        {
            Dataset = "people", Steward = "test", Purpose = "test", Redisclosure = new RedisclosureTerms(), EpsilonBudget = budget,
            AllowedOperations = ["count", "sum", "mean", "groupby"],
        };
        study.Contribute(schema, data, terms);
        return study;
    }

    [Fact]
    public void A_query_that_would_exceed_the_budget_is_refused_and_the_ledger_keeps_what_was_spent()
    {
        using var study = Study(1.0);
        var first = study.Query("people").GroupBy("group").WithEpsilon(0.6).Count();
        Assert.Equal(0.6, first.EpsilonSpent);
        Assert.Contains(first.RulesApplied, r => r.Contains("differential privacy"));
        // Noisy counts stay near the truth (discrete Laplace, scale 1/ε per count).
        Assert.InRange(first.Cell("count", "a")!.Value, 134 - 60, 134 + 60);
        int reveals = study.Engine.Reveals.Count;
        var e = Assert.Throws<PolicyException>(() => study.Query("people").GroupBy("group").WithEpsilon(0.6).Count());
        Assert.Equal("EpsilonBudget", e.Rule);
        Assert.Equal(reveals, study.Engine.Reveals.Count);
        Assert.Equal(0.6, study.Ledger.Spent("people"), 9);
    }

    [Fact]
    public void A_dataset_with_a_budget_requires_epsilon()
    {
        using var study = Study(1.0);
        Assert.Equal("EpsilonBudget", Assert.Throws<PolicyException>(() => study.Count("people", "group")).Rule);
    }
}
