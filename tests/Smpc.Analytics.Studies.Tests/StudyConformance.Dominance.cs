using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// The suite's p% rule on order statistics (issue 10, point 5): the committed bank under its own terms with min, max and
/// quantiles allowed ("bank_os"). A dominated cell's sum is withheld, and so are its maximum and minimum, which would
/// otherwise be the dominant customer's exact value; a large state's median is released and equals the plaintext.
/// </summary>
public abstract partial class StudyConformance
{
    [Theory]
    [InlineData("monthly_deposits", OrderStatisticDominanceTests.DominatedDeposits, 47157.69)]
    [InlineData("balance", OrderStatisticDominanceTests.DominatedBalances, 894732.13)]
    public void The_maximum_of_a_dominated_cell_was_the_dominant_customers_value_and_is_now_withheld(string column, string filter, double dominant)
    {
        Func<double, bool> inCell = column == "balance" ? v => v < -300 || v > 850000 : v => v < 250 || v > 40000;
        var cell = OrderStatisticDominanceTests.Values(column, inCell);
        var magnitudes = cell.Select(Math.Abs).OrderDescending().ToArray();
        Assert.True(cell.Length >= 20);
        Assert.Equal(dominant, magnitudes[0], 1e-6);
        Assert.True(magnitudes.Sum() - magnitudes[0] - magnitudes[1] < 0.1 * magnitudes[0]);   // dominated

        // The attack: the cell's maximum is the dominant customer's value (what the same query released before the p%
        // rule covered order statistics; computed here under the same terms without the rule).
        using (var open = OrderStatisticDominanceTests.Study(new PlaintextEngine(), dominance: false))
            Assert.Equal(dominant, open.Query("bank").Where(filter).Max(column).Value(0, $"max({column})")!.Value, 1e-2);

        var q = f.Secure.Query(ConformanceData.OrderStatistics).Where(filter);
        var sum = q.Sum(column);
        Assert.True(sum.IsSuppressed(0));
        Assert.Equal(OrderStatisticDominanceTests.Rule, sum.Rule(0));
        foreach (var r in new[] { q.Max(column), q.Min(column) })
        {
            Assert.True(r.IsSuppressed(0));
            Assert.Equal(OrderStatisticDominanceTests.Rule, r.Rule(0));
            Assert.All(r.ValueColumns, v => Assert.Null(r.Value(0, v)));
            Assert.Contains(r.RulesApplied, x => x.StartsWith($"p% dominance rule for order statistics of {column}, p = 10"));
            Assert.Empty(r.Cost.ToAnalyst);                                   // nothing of the withheld cell reached the analyst
        }
    }

    [Fact]
    public void A_large_state_median_on_the_secure_engine_equals_the_plaintext()
    {
        var r = f.Secure.Query(ConformanceData.OrderStatistics).Where("state in (CA)").Median("monthly_deposits");
        var deposits = Plain.Column<double>(OrderStatisticDominanceTests.Bank, "monthly_deposits");
        var states = Plain.Text(OrderStatisticDominanceTests.Bank, "state");
        var ca = Enumerable.Range(0, deposits.Length).Where(i => states[i] == "CA").Select(i => deposits[i]!.Value).ToArray();
        Assert.False(r.IsSuppressed(0));
        Assert.Equal(Plain.Quantile(ca, 0.5), r.Value(0, "median(monthly_deposits)")!.Value, 0.01);
    }
}
