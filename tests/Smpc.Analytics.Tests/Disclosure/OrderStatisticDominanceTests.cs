using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Tests.Statistics;

namespace Smpc.Analytics.Tests.Disclosure;

/// <summary>
/// The p% rule covers order statistics (Disclosure/OrderStatisticRule.cs): a dominated cell's maximum, minimum and
/// quantiles are withheld like its sum, and a released extreme or quantile never is one of the k − 1 largest or
/// smallest contributions. Computed on shares (SecureEngine), checked against the plaintext rows.
/// </summary>
public class OrderStatisticDominanceTests
{
    const string Rule = "dominance (p% rule, p = 10)";

    /// <summary>90 rows in CA, TX, NY; in CA one income of 99,000 and every other one 10: CA is dominated. In TX six
    /// incomes sit at the declared maximum 100,000, so TX's maximum is a value six rows share.</summary>
    static SurveyData Data()
    {
        var d = SurveyData.Generate(90, seed: 5, stateShares: [0.34, 0.33, 0.33, 0]);
        int first = Array.IndexOf(d.State, "CA");
        for (int i = 0; i < d.Rows; i++) if (d.State[i] == "CA") d.Income[i] = 10;
        d.Income[first] = 99000;
        foreach (var i in Rows(d, "TX").Take(6)) d.Income[i] = 100000;
        return d;
    }

    static IEnumerable<int> Rows(SurveyData d, string state) => Enumerable.Range(0, d.Rows).Where(i => d.State[i] == state);
    static double[] Incomes(SurveyData d, string state) => Rows(d, state).Select(i => d.Income[i]).ToArray();

    static DataUseTerms Terms(double? p) => SurveyData.Terms(minCellSize: 5, more: t => t.DominanceP = p);

    static int AnalystReveals(QueryResult r) => r.Reveals.Where(x => x.Audience == RevealAudience.Analyst).Sum(x => x.Elements);

    [Fact]
    public void The_maximum_of_a_dominated_cell_gave_the_dominant_contribution_and_is_now_withheld()
    {
        using var engine = new SecureEngine();
        var d = Data();
        var table = d.Share(engine);
        var ca = Incomes(d, "CA");
        Assert.True(ca.Sum() - 99000 - 10 < 0.1 * 99000);                 // the cell fails the p% rule

        // The sum of CA is withheld by the p% rule …
        var guarded = new SecureAnalysis(table, Terms(10)).Where("state in (CA)");
        var sum = guarded.Sum("income");
        Assert.Equal(SuppressionReason.Dominance, sum.Cells!.Status[0]);
        Assert.Equal(Rule, sum.Table.Text("rule", 0));

        // … the attack: the same cell's maximum is the dominant contribution itself (as released before the p% rule
        // covered order statistics; shown here under terms without the rule, which compute the same maximum).
        var open = new SecureAnalysis(table, Terms(null)).Where("state in (CA)").Max("income");
        Assert.Equal(99000, open.Table.Value("value", 0));

        // Now every order statistic of the dominated cell is withheld under the rule, and nothing is revealed to the analyst.
        foreach (var r in new[] { guarded.Max("income"), guarded.Min("income"), guarded.Median("income"), guarded.Quantile("income", 0.25, 0.9) })
        {
            for (long row = 0; row < r.Table.Rows.Count; row++)
            {
                Assert.Null(r.Table.Value("value", row));
                Assert.Equal("suppressed", r.Table.Text("status", row));
                Assert.Equal(Rule, r.Table.Text("rule", row));
            }
            Assert.Equal(0, AnalystReveals(r));
            Assert.Contains(r.RulesApplied, x => x.StartsWith("p% dominance rule for order statistics of income, p = 10"));
            // One bit per statistic is opened to the compute parties for the rule.
            var bits = Assert.Single(r.Reveals, x => x.Purpose.StartsWith("p% rule on order statistics of income"));
            Assert.Equal(RevealAudience.ComputeParties, bits.Audience);
            Assert.Equal(r.Table.Rows.Count, bits.Elements);
        }
    }

    [Fact]
    public void A_cell_that_passes_the_rule_keeps_its_median_and_a_maximum_enough_rows_share()
    {
        using var engine = new SecureEngine();
        var d = Data();
        var q = new SecureAnalysis(d.Share(engine), Terms(10)).Where("state in (TX)");
        var tx = Incomes(d, "TX");
        Assert.Equal(6, tx.Count(x => x == 100000));

        // Six rows hold the maximum (k = max(5, 3) = 5): released, exactly.
        var max = q.Max("income");
        Assert.Equal("released", max.Table.Text("status", 0));
        Assert.Equal(tx.Max(), max.Table.Value("value", 0));

        // The median is released and equal to the plaintext type-7 median; the 0.97 quantile interpolates with the
        // top rows (fewer than 5 rows at or above it … unless they share the value) and the minimum is one row's own value.
        var quantiles = q.Quantile("income", 0.5, 0.97);
        Assert.Equal("released", quantiles.Table.Text("status", 0));
        Assert.Equal(Type7(tx, 0.5), quantiles.Table.Value("value", 0)!.Value, 1e-3);
        bool topShared = tx.Count(x => x >= Type7(tx, 0.97)) >= 5;
        Assert.Equal(topShared ? "released" : "suppressed", quantiles.Table.Text("status", 1));
        var min = q.Min("income");
        Assert.Equal(tx.Count(x => x == tx.Min()) >= 5 ? "released" : "suppressed", min.Table.Text("status", 0));
        if (min.Table.Text("status", 0) == "suppressed") Assert.Equal(Rule, min.Table.Text("rule", 0));
    }

    [Fact]
    public void A_quantile_near_the_top_is_withheld_when_few_rows_lie_beyond_it()
    {
        using var engine = new SecureEngine();
        var d = SurveyData.Generate(60, seed: 3);
        var q = new SecureAnalysis(d.Share(engine), Terms(10));
        var all = d.Income;
        // 60 rows, k = 5: the 0.95 quantile has three rows above it (h = 56.05), the 0.9 quantile six.
        var r = q.Quantile("income", 0.5, 0.9, 0.95);
        bool Passes(double p) { var v = Type7(all, p); return all.Count(x => x >= v) >= 5 && all.Count(x => x <= v) >= 5; }
        for (int k = 0; k < 3; k++)
        {
            double p = new[] { 0.5, 0.9, 0.95 }[k];
            Assert.Equal(Passes(p) ? "released" : "suppressed", r.Table.Text("status", k));
            // the interpolation fraction is rounded to 2^−16 (Statistics/Quantiles.cs)
            if (Passes(p)) Assert.Equal(Type7(all, p), r.Table.Value("value", k)!.Value, 1e-3 + (all.Max() - all.Min()) * Math.ScaleB(1.0, -16));
        }
        Assert.Equal("suppressed", r.Table.Text("status", 2));
        Assert.Equal(2, AnalystReveals(r));                                      // only the two released quantiles
    }

    [Fact]
    public void Columns_the_rule_does_not_cover_release_their_order_statistics_as_before()
    {
        using var engine = new SecureEngine();
        var d = Data();
        var terms = Terms(10) with { DominanceColumns = ["income"] };
        var r = new SecureAnalysis(d.Share(engine), terms).Where("state in (CA)").Max("age");
        Assert.Equal("released", r.Table.Text("status", 0));
        Assert.Equal(Rows(d, "CA").Max(i => d.Age[i]), r.Table.Value("value", 0));
        Assert.DoesNotContain(r.Reveals, x => x.Purpose.StartsWith("p% rule"));
        Assert.DoesNotContain(r.RulesApplied, x => x.Contains("order statistics"));
    }

    static double Type7(IReadOnlyList<double> values, double q)
    {
        var x = values.Order().ToArray();
        double h = (x.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        return lo + 1 < x.Length ? x[lo] + (h - lo) * (x[lo + 1] - x[lo]) : x[lo];
    }
}
