using Smpc.Analytics.Engine;
using Smpc.Analytics.Study;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// Issue 10, point 5, on the committed synthetic bank (data/synthetic; terms: cell size 20, p% rule with p = 10 on every
/// column). The bank's terms forbid order statistics, so a steward who allows min, max and quantiles is played here
/// (the same terms plus those operations): the p% rule must then cover them — a dominated cell's sum is withheld, and
/// so is its maximum, which would otherwise be the dominant customer's exact value.
/// </summary>
public sealed class OrderStatisticDominanceTests
{
    const string Rule = "dominance (p% rule, p = 10)";
    // The 21 customers with deposits under 250 and the one over 40,000 (47,157.69): 22 rows; all but the two largest
    // hold 3,968 together, under 10% of 47,157.69, so the cell fails the p% rule.
    const string DominatedDeposits = "monthly_deposits < 250 or monthly_deposits > 40000";
    // The 167 customers overdrawn by more than 300 and the one balance over 850,000 (894,732.13): 168 rows; judged on
    // |x|, all but the two largest hold 88,515, under 10% of 894,732.13.
    const string DominatedBalances = "balance < -300 or balance > 850000";

    static readonly string Folder = SyntheticAgencies.Locate(null);
    static readonly AgencyFile Bank = AgencyFile.Load(Folder, "bank");

    /// <summary>The bank as contributed, under its own terms with min, max and quantile allowed (and the p% rule as
    /// given, or removed to show what the same query computes without it).</summary>
    static SecureStudy Study(IComputeEngine engine, bool dominance)
    {
        var bank = SyntheticAgencies.Load(Folder, "bank");
        Assert.Equal(10, bank.Terms.DominanceP);
        var terms = bank.Terms with
        {
            AllowedOperations = [.. bank.Terms.AllowedOperations, "min", "max", "quantile"],
            DominanceP = dominance ? bank.Terms.DominanceP : null,
        };
        var study = new SecureStudy(dominance ? "p%" : "no p%", engine);
        study.Contribute(new Contributor(bank.Schema, bank.Analysis, bank.Identifiers, terms));
        return study;
    }

    static double[] Values(string column, Func<double, bool> where) =>
        Plain.Column<double>(Bank, column).Select(v => v!.Value).Where(where).ToArray();

    static int AnalystReveals(SecureStudy s) => s.Engine.Reveals.Count(r => r.Audience == RevealAudience.Analyst);

    [Theory]
    [InlineData("monthly_deposits", DominatedDeposits, 47157.69)]
    [InlineData("balance", DominatedBalances, 894732.13)]
    public void The_maximum_of_a_dominated_cell_was_the_dominant_customers_value_and_is_now_withheld(string column, string filter, double dominant)
    {
        Func<double, bool> inCell = column == "balance" ? v => v < -300 || v > 850000 : v => v < 250 || v > 40000;
        var cell = Values(column, inCell);
        var magnitudes = cell.Select(Math.Abs).OrderDescending().ToArray();
        Assert.True(cell.Length >= 20);
        Assert.Equal(dominant, magnitudes[0], 1e-6);
        Assert.True(magnitudes.Sum() - magnitudes[0] - magnitudes[1] < 0.1 * magnitudes[0]);   // dominated

        // The attack: the cell's maximum is the dominant customer's value (what the same query released before the p%
        // rule covered order statistics; computed here under the same terms without the rule).
        using (var open = Study(new PlaintextEngine(), dominance: false))
            Assert.Equal(dominant, open.Query("bank").Where(filter).Max(column).Value(0, $"max({column})")!.Value, 1e-2);

        using var study = Study(new SecureEngine(), dominance: true);
        var q = study.Query("bank").Where(filter);
        var sum = q.Sum(column);
        Assert.True(sum.IsSuppressed(0));
        Assert.Equal(Rule, sum.Rule(0));
        int before = AnalystReveals(study);
        foreach (var r in new[] { q.Max(column), q.Min(column) })
        {
            Assert.True(r.IsSuppressed(0));
            Assert.Equal(Rule, r.Rule(0));
            Assert.All(r.ValueColumns, v => Assert.Null(r.Value(0, v)));
            Assert.Contains(r.RulesApplied, x => x.StartsWith($"p% dominance rule for order statistics of {column}, p = 10"));
        }
        Assert.Equal(before, AnalystReveals(study));                      // nothing of the withheld cell reached the analyst
    }

    [Fact]
    public void Per_state_order_statistics_follow_the_rule_and_released_medians_equal_the_plaintext()
    {
        using var study = Study(new PlaintextEngine(), dominance: true);
        var medians = study.Quantiles("bank", "monthly_deposits", [0.5, 0.95], "state");
        var maxima = study.Max("bank", "monthly_deposits", "state");
        var deposits = Plain.Column<double>(Bank, "monthly_deposits");
        var states = Plain.Text(Bank, "state");
        int released = 0;
        foreach (var state in Bank.Schema.Column("state").Domain!)
        {
            var v = Enumerable.Range(0, deposits.Length).Where(i => states[i] == state).Select(i => deposits[i]!.Value).ToArray();
            if (v.Length == 0) continue;
            var top = v.OrderDescending().ToArray();
            bool dominated = top.Length >= 2 && top.Sum() - top[0] - top[1] < 0.1 * top[0];
            int row = medians.RowOf(state);
            double median = Plain.Quantile(v, 0.5), high = Plain.Quantile(v, 0.95);
            bool Passes(double x) => v.Count(y => y >= x) >= 20 && v.Count(y => y <= x) >= 20;
            // A group row is withheld when any of its statistics is (the cell-size rule first: fewer than 20 rows).
            bool expectReleased = v.Length >= 20 && !dominated && Passes(median) && Passes(high);
            Assert.Equal(!expectReleased, medians.IsSuppressed(row));
            if (expectReleased)
            {
                released++;
                Assert.Equal(median, medians.Value(row, "median(monthly_deposits)")!.Value, 0.01);
            }
            else if (v.Length >= 20) Assert.Equal(Rule, medians.Rule(row));
            // No state has 20 customers sharing its largest deposits: every maximum is withheld.
            Assert.True(maxima.IsSuppressed(maxima.RowOf(state)));
            Assert.Equal(v.Length < 20 ? "cell size < 20" : Rule, maxima.Rule(maxima.RowOf(state)));
        }
        Assert.True(released > 0);
        // The 0.95 quantile keeps the top 5% out: withheld wherever fewer than 20 customers lie at or above it.
        Assert.Contains(Enumerable.Range(0, medians.RowCount), r => medians.IsSuppressed(r) && medians.Rule(r) == Rule);
    }

    [Fact]
    public void A_large_state_median_on_the_secure_engine_equals_the_plaintext()
    {
        using var study = Study(new SecureEngine(), dominance: true);
        var r = study.Query("bank").Where("state in (CA)").Median("monthly_deposits");
        var deposits = Plain.Column<double>(Bank, "monthly_deposits");
        var states = Plain.Text(Bank, "state");
        var ca = Enumerable.Range(0, deposits.Length).Where(i => states[i] == "CA").Select(i => deposits[i]!.Value).ToArray();
        Assert.False(r.IsSuppressed(0));
        Assert.Equal(Plain.Quantile(ca, 0.5), r.Value(0, "median(monthly_deposits)")!.Value, 0.01);
    }
}
