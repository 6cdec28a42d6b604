using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Tests.Statistics;

namespace Smpc.Analytics.Tests.Disclosure;

public class NoiseTests
{
    [Fact]
    public void One_partys_draws_follow_the_discrete_laplace_distribution()
    {
        double alpha = DistributedNoise.Alpha(epsilon: 0.5, sensitivity: 1);
        var draws = DistributedNoise.Sample(alpha, 200_000).Select(v => (double)(long)v).ToArray();
        double variance = draws.Select(x => x * x).Average();
        double expected = 2 * alpha / ((1 - alpha) * (1 - alpha));          // one draw
        Assert.InRange(Math.Abs(draws.Average()), 0, 0.05);
        Assert.InRange(variance, expected * 0.95, expected * 1.05);
        // P(Z = 0) = (1 − α) / (1 + α)
        Assert.InRange(draws.Count(x => x == 0) / (double)draws.Length, (1 - alpha) / (1 + alpha) - 0.01, (1 - alpha) / (1 + alpha) + 0.01);
    }

    [Fact]
    public void Noise_is_the_sum_of_three_private_draws_and_no_party_sees_it()
    {
        using var engine = new SecureEngine();
        var zero = engine.Share(new ulong[50_000]);
        var noise = DistributedNoise.DiscreteLaplace(engine, 50_000, epsilon: 1, sensitivity: 1);
        var values = engine.Reveal(engine.Add(zero, noise)).Select(v => (double)(long)v).ToArray();
        double alpha = Math.Exp(-1);
        Assert.InRange(values.Select(x => x * x).Average(), DistributedNoise.Variance(alpha) * 0.93, DistributedNoise.Variance(alpha) * 1.07);
    }

    [Fact]
    public void Differentially_private_counts_spend_the_budget_and_a_query_beyond_it_is_refused()
    {
        var data = SurveyData.Generate(400, seed: 2);
        using var engine = new SecureEngine();
        var ledger = new PrivacyBudgetLedger();
        var analysis = new SecureAnalysis(data.Share(engine), SurveyData.Terms(minCellSize: 0, more: t => t.EpsilonBudget = 1.0), ledger);
        var r = analysis.GroupBy("state").WithEpsilon(0.6).Aggregate(Measure.Count(), Measure.Mean("age"));
        Assert.Equal(0.6, ledger.Spent("survey"), 9);
        foreach (var s in SurveyData.States)
        {
            int exact = data.State.Count(x => x == s);
            Assert.InRange(r.Cell("count", s)!.Value, exact - 60, exact + 60);     // noise sd ≈ 4 at ε = 0.3
        }
        Assert.Contains(r.Notes, n => n.Contains("noise standard deviation"));
        var ex = Assert.Throws<PolicyException>(() => analysis.GroupBy("state").WithEpsilon(0.5).Count());
        Assert.Equal("EpsilonBudget", ex.Rule);
        Assert.Contains("exhausted", ex.Message);
        Assert.Equal(0.6, ledger.Spent("survey"), 9);                              // the refused query spent nothing
        var missing = Assert.Throws<PolicyException>(() => analysis.Count());
        Assert.Equal("EpsilonBudget", missing.Rule);
        var notDp = Assert.Throws<PolicyException>(() => analysis.WithEpsilon(0.1).Median("age"));
        Assert.Equal("EpsilonBudget", notDp.Rule);
    }

    [Fact]
    public void The_ledger_persists_committed_spending()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.jsonl");
        try
        {
            var ledger = new PrivacyBudgetLedger(path);
            ledger.Reserve("d", 0.25, 1, "q1").Commit();
            ledger.Reserve("d", 0.5, 1, "q2").Cancel();
            Assert.Equal(0.25, new PrivacyBudgetLedger(path).Spent("d"), 9);
            Assert.Throws<PolicyException>(() => new PrivacyBudgetLedger(path).Reserve("d", 0.8, 1, "q3"));
        }
        finally { File.Delete(path); }
    }
}
