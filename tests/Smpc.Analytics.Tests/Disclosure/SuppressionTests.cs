using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Tests.Statistics;

namespace Smpc.Analytics.Tests.Disclosure;

public class SuppressionTests
{
    // WA has few rows (2% of 300), so its cells fall under the minimum cell size of 11.
    static readonly SurveyData Data = SurveyData.Generate(300, seed: 11, stateShares: [0.5, 0.3, 0.18, 0.02]);

    [Fact]
    public void Small_cells_are_suppressed_and_complements_protect_them_in_a_table_with_margins()
    {
        using var engine = new SecureEngine();
        var r = new SecureAnalysis(Data.Share(engine), SurveyData.Terms(minCellSize: 11)).CrossTab("state", "sex", Measure.Count(), Measure.Sum("age"));
        var cells = r.Cells!;
        int waF = Enumerable.Range(0, Data.Rows).Count(i => Data.State[i] == "WA" && Data.Sex[i] == "F");
        Assert.InRange(waF, 0, 10);
        Assert.Equal(SuppressionReason.CellSize, cells.Status[Index(cells.Layout, "WA", "F")]);
        Assert.Null(r.Cell("count", "WA", "F"));
        Assert.Null(r.Cell("sum(age)", "WA", "F"));
        Assert.Contains(cells.Status, s => s == SuppressionReason.Complementary);
        // No suppressed cell can be recomputed exactly from what was published.
        Assert.Empty(ComplementarySuppression.Recoverable(cells.Layout.Count, cells.Layout.Relations, cells.Status.Select(s => s != SuppressionReason.Released).ToArray()));
        // Published cells are exact.
        for (int c = 0; c < cells.Layout.InteriorCount; c++)
        {
            var key = cells.Layout.Keys[c];
            int exact = Enumerable.Range(0, Data.Rows).Count(i => Data.State[i] == key[0] && Data.Sex[i] == key[1]);
            if (cells.Status[c] == SuppressionReason.Released) Assert.Equal(exact, r.Cell("count", key[0]!, key[1]!));
            else Assert.Null(r.Cell("count", key[0]!, key[1]!));
        }
        Assert.Equal("cell size < 11", r.Table.Text("rule", Index(cells.Layout, "WA", "F")));
        Assert.Equal("suppressed", r.Table.Text("status", Index(cells.Layout, "WA", "F")));
    }

    [Fact]
    public void Complementary_suppression_blocks_recovery_from_margins()
    {
        // 3 × 3 table with margins; one interior cell primarily suppressed.
        var layout = new CellLayout(["a", "b"], [["1", "2", "3"], ["x", "y", "z"]]);
        var primary = new bool[layout.Count];
        primary[4] = true;                                         // (2, y)
        Assert.Single(ComplementarySuppression.Recoverable(layout.Count, layout.Relations, primary));
        var all = ComplementarySuppression.Apply(layout, primary);
        Assert.Empty(ComplementarySuppression.Recoverable(layout.Count, layout.Relations, all));
        Assert.True(all.Count(x => x) >= 4);                      // at least a rectangle of four cells
        Assert.All(Enumerable.Range(layout.InteriorCount, layout.Count - layout.InteriorCount), m => Assert.False(all[m])); // margins stay published

        // Check by brute force: another table agrees on every published cell but differs in the suppressed ones.
        var values = new double[] { 5, 7, 9, 2, 14, 6, 8, 3, 1 };
        Assert.True(HasAlternative(layout, all, values));
        Assert.False(HasAlternative(layout, primary, values));
    }

    [Fact]
    public void Suppression_on_one_dimensional_tables_hides_a_second_cell()
    {
        var layout = new CellLayout(["g"], [["a", "b", "c", "d"]]);
        var primary = new bool[layout.Count];
        primary[1] = true;
        var all = ComplementarySuppression.Apply(layout, primary);
        Assert.Equal(2, Enumerable.Range(0, 4).Count(c => all[c]));
        Assert.False(all[4]);
    }

    [Fact]
    public void Rounding_releases_multiples_of_the_base()
    {
        using var engine = new PlaintextEngine();
        var r = new SecureAnalysis(Data.Share(engine), SurveyData.Terms(more: t => t.RoundingBase = 5)).GroupBy("state").Count();
        foreach (var s in SurveyData.States)
        {
            int exact = Data.State.Count(x => x == s);
            Assert.Equal(Math.Round(exact / 5.0, MidpointRounding.AwayFromZero) * 5, r.Cell("count", s));
        }
        Assert.Contains(r.RulesApplied, x => x.Contains("multiple of 5"));
    }

    [Fact]
    public void Dominance_rule_suppresses_cells_with_one_large_contributor()
    {
        using var engine = new SecureEngine();
        var d = SurveyData.Generate(90, seed: 5, stateShares: [0.34, 0.33, 0.33, 0]);
        // One huge income in CA dominates its cell.
        int first = Array.IndexOf(d.State, "CA");
        for (int i = 0; i < d.Rows; i++) if (d.State[i] == "CA") d.Income[i] = 10;
        d.Income[first] = 99000;
        var r = new SecureAnalysis(d.Share(engine), SurveyData.Terms(more: t => t.DominanceP = 10)).GroupBy("state").Sum("income");
        var layout = r.Cells!.Layout;
        Assert.Equal(SuppressionReason.Dominance, r.Cells.Status[0]);
        Assert.Null(r.Cell("sum(income)", "CA"));
        Assert.Equal("dominance (p% rule, p = 10)", r.Table.Text("rule", 0));
        // Every other cell is released exactly when the p% rule holds for it (or it is a complement).
        for (int g = 1; g < SurveyData.States.Length; g++)
        {
            var v = d.State.Select((s, i) => (s, i)).Where(t => t.s == SurveyData.States[g]).Select(t => d.Income[t.i]).OrderDescending().ToArray();
            bool sensitive = v.Length >= 2 && v.Sum() - v[0] - v[1] < 0.1 * v[0];
            if (sensitive) Assert.Equal(SuppressionReason.Dominance, r.Cells.Status[g]);
            else Assert.NotEqual(SuppressionReason.Dominance, r.Cells.Status[g]);
        }
        Assert.Empty(ComplementarySuppression.Recoverable(layout.Count, layout.Relations, r.Cells.Status.Select(s => s != SuppressionReason.Released).ToArray()));
    }

    static int Index(CellLayout layout, params string[] keys) =>
        Enumerable.Range(0, layout.Count).First(c => layout.Keys[c].SequenceEqual(keys));

    static double[] Expand(CellLayout layout, double[] interior) =>
        Enumerable.Range(0, layout.Count).Select(c => layout.InteriorOf(c).Sum(i => interior[i])).ToArray();

    /// <summary>Whether another non-negative interior assignment agrees on every published cell but differs in a suppressed one.</summary>
    static bool HasAlternative(CellLayout layout, bool[] suppressed, double[] interior)
    {
        var s = Enumerable.Range(0, layout.InteriorCount).Where(c => suppressed[c]).ToArray();
        var baseFull = Expand(layout, interior);
        for (int delta = -3; delta <= 3; delta++)
        {
            if (delta == 0) continue;
            // Try ±delta on pairs of suppressed cells in a rectangle pattern.
            foreach (var a in s) foreach (var b in s) foreach (var c in s) foreach (var d in s)
            {
                if (new[] { a, b, c, d }.Distinct().Count() != 4) continue;
                var v = (double[])interior.Clone();
                v[a] += delta; v[b] -= delta; v[c] -= delta; v[d] += delta;
                if (v.Any(x => x < 0)) continue;
                var full = Expand(layout, v);
                if (Enumerable.Range(0, layout.Count).All(cell => suppressed[cell] || full[cell] == baseFull[cell])) return true;
            }
        }
        return false;
    }
}
