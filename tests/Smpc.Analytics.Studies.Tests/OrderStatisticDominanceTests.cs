using Smpc.Analytics.Engine;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// Issue 10, point 5, on the committed synthetic bank (data/synthetic; terms: cell size 20, p% rule with p = 10 on every
/// column). The bank's terms forbid order statistics, so a steward who allows min, max and quantiles is played here
/// (the same terms plus those operations): the p% rule must then cover them — a dominated cell's sum is withheld, and
/// so is its maximum, which would otherwise be the dominant customer's exact value. The tests on the secure engine are
/// part of the study conformance suite (StudyConformance.Dominance.cs, on the dataset "bank_os"); here the rule per state
/// on the plaintext reference engine.
/// </summary>
public sealed class OrderStatisticDominanceTests
{
    internal const string Rule = "dominance (p% rule, p = 10)";
    // The 21 customers with deposits under 250 and the one over 40,000 (47,157.69): 22 rows; all but the two largest
    // hold 3,968 together, under 10% of 47,157.69, so the cell fails the p% rule.
    internal const string DominatedDeposits = "monthly_deposits < 250 or monthly_deposits > 40000";
    // The 167 customers overdrawn by more than 300 and the one balance over 850,000 (894,732.13): 168 rows; judged on
    // |x|, all but the two largest hold 88,515, under 10% of 894,732.13.
    internal const string DominatedBalances = "balance < -300 or balance > 850000";

    static readonly string Folder = SyntheticAgencies.Locate(null);
    internal static readonly AgencyFile Bank = AgencyFile.Load(Folder, "bank");

    /// <summary>The bank as contributed, under its own terms with min, max and quantile allowed (and the p% rule as
    /// given, or removed to show what the same query computes without it).</summary>
    internal static SecureStudy Study(IComputeEngine engine, bool dominance)
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

    internal static double[] Values(string column, Func<double, bool> where) =>
        Plain.Column<double>(Bank, column).Select(v => v!.Value).Where(where).ToArray();

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
}
