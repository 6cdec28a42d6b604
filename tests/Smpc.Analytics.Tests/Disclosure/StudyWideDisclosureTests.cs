using Smpc.Analytics.Columnar;
using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Tests.Statistics;

namespace Smpc.Analytics.Tests.Disclosure;

/// <summary>
/// The study-wide disclosure model (Disclosure/Audit): each attack first succeeds on per-query control alone, then
/// the same queries with the study's ledger are withheld or refused, naming the rule and the earlier release.
/// </summary>
public class StudyWideDisclosureTests
{
    // NY holds a handful of rows and WA none: both fall under the minimum cell size.
    static readonly SurveyData Sparse = SurveyData.Generate(300, seed: 5, stateShares: [0.6, 0.38, 0.02, 0.0]);
    static readonly SurveyData Uniform = SurveyData.Generate(300, seed: 7);

    static SecureAnalysis Analysis(IComputeEngine engine, SurveyData data, DataUseTerms terms, bool ledger) =>
        new(data.Share(engine), terms) { Disclosure = ledger ? new DisclosureLedger() : null };

    static double IncomeOf(SurveyData d, Func<int, bool> row) => Enumerable.Range(0, d.Rows).Where(row).Sum(i => d.Income[i]);

    [Fact]
    public void Total_minus_released_cells_no_longer_gives_the_sum_of_a_few_people()
    {
        int ny = Enumerable.Range(0, Sparse.Rows).Count(i => Sparse.State[i] == "NY");
        Assert.InRange(ny, 1, 10);
        Assert.DoesNotContain("WA", Sparse.State);
        double nySum = IncomeOf(Sparse, i => Sparse.State[i] == "NY");
        using var engine = new SecureEngine();

        // Per-query control: NY and WA are both suppressed, so complementary suppression is satisfied — yet the total
        // minus the released cells is the income of NY's few people, exactly.
        var leaky = Analysis(engine, Sparse, SurveyData.Terms(minCellSize: 11), ledger: false).GroupBy("state").Aggregate(Measure.Count(), Measure.Sum("income"));
        double recovered = leaky.Cell("sum(income)", "(all)")!.Value - leaky.Cell("sum(income)", "CA")!.Value - leaky.Cell("sum(income)", "TX")!.Value;
        Assert.Equal(nySum, recovered, 6);

        // The study-wide model: the union of the suppressed cells covers fewer than 11 rows, so one more cell is withheld.
        var safe = Analysis(engine, Sparse, SurveyData.Terms(minCellSize: 11), ledger: true).GroupBy("state").Aggregate(Measure.Count(), Measure.Sum("income"));
        var cells = safe.Cells!;
        Assert.Contains(SuppressionReason.StudyWide, cells.Status);
        Assert.Contains("study-wide disclosure model", safe.Table.Text("rule", Array.IndexOf(cells.Status, SuppressionReason.StudyWide)));
        if (cells.Status[^1] == SuppressionReason.Released)
        {
            var hidden = Enumerable.Range(0, cells.Layout.InteriorCount).Where(c => cells.Status[c] != SuppressionReason.Released).ToArray();
            int hiddenRows = Enumerable.Range(0, Sparse.Rows).Count(i => hidden.Any(c => cells.Layout.Keys[c][0] == Sparse.State[i]));
            Assert.True(hiddenRows >= 11, $"the withheld cells cover {hiddenRows} rows");
        }
        // Released cells are still exact.
        foreach (var s in new[] { "CA", "TX" })
            if (safe.Cell("sum(income)", s) is { } v) Assert.Equal(IncomeOf(Sparse, i => Sparse.State[i] == s), v, 6);
    }

    [Fact]
    public void Sum_then_mean_of_the_same_cells_cannot_undo_rounding()
    {
        using var engine = new SecureEngine();
        var terms = SurveyData.Terms(minCellSize: 11, b => b.RoundingBase = 5);
        int ca = Enumerable.Range(0, Uniform.Rows).Count(i => Uniform.State[i] == "CA");

        var leaky = Analysis(engine, Uniform, terms, ledger: false);
        var sum = leaky.GroupBy("state").Sum("income");
        var mean = leaky.GroupBy("state").Mean("income");
        Assert.Equal(ca, (int)Math.Round(sum.Cell("sum(income)", "CA")!.Value / mean.Cell("mean(income)", "CA")!.Value));

        var safe = Analysis(engine, Uniform, terms, ledger: true);
        safe.GroupBy("state").Sum("income");
        var refused = Assert.Throws<PolicyException>(() => safe.GroupBy("state").Mean("income"));
        Assert.Equal("StudyDisclosure", refused.Rule);
        Assert.Contains("unrounded count", refused.Message);
        Assert.Contains("release #1", refused.Message);
        // The other order is refused too: a mean first, then the sums of the same cells.
        var reverse = Analysis(engine, Uniform, terms, ledger: true);
        reverse.Mean("income");
        Assert.Throws<PolicyException>(() => reverse.Sum("income"));
    }

    [Fact]
    public void Filters_that_differ_by_a_few_rows_are_refused_and_wide_differences_released()
    {
        using var engine = new SecureEngine();
        int at30 = Uniform.Age.Count(a => a == 30);
        Assert.InRange(at30, 1, 10);
        var leaky = Analysis(engine, Uniform, SurveyData.Terms(minCellSize: 11), ledger: false);
        double difference = leaky.Where("age >= 30").Sum("income").Cell("sum(income)")!.Value - leaky.Where("age >= 31").Sum("income").Cell("sum(income)")!.Value;
        Assert.Equal(IncomeOf(Uniform, i => Uniform.Age[i] == 30), difference, 6);

        var safe = Analysis(engine, Uniform, SurveyData.Terms(minCellSize: 11), ledger: true);
        Assert.NotNull(safe.Where("age >= 30").Sum("income").Cell("sum(income)"));
        var refused = Assert.Throws<PolicyException>(() => safe.Where("age >= 31").Sum("income"));
        Assert.Equal("StudyDisclosure", refused.Rule);
        Assert.Contains("fewer than 11 rows", refused.Message);
        Assert.Contains("release #1", refused.Message);
        // A difference of many rows is fine.
        Assert.Equal(IncomeOf(Uniform, i => Uniform.Age[i] >= 45), safe.Where("age >= 45").Sum("income").Cell("sum(income)")!.Value, 6);
    }

    [Fact]
    public void Three_overlapping_groups_cannot_isolate_their_small_intersection()
    {
        using var engine = new PlaintextEngine();
        var safe = Analysis(engine, Uniform, SurveyData.Terms(minCellSize: 11), ledger: true);
        safe.Count();
        safe.Where("age < 50").Count();
        // all − (age < 50) − … : with age >= 49 the single age 49 would follow.
        var refused = Assert.Throws<PolicyException>(() => safe.Where("age >= 49").Count());
        Assert.Contains("#1", refused.Message);
        Assert.Contains("#2", refused.Message);
    }
}

public class StudyWideRowCountTests
{
    static readonly SurveyData Uniform = SurveyData.Generate(300, seed: 7);

    [Fact]
    public void The_row_counts_shown_beside_complete_cases_are_part_of_the_model()
    {
        // score is missing in about 10% of rows, so a mean of it shows the complete cases n and the cell's rows.
        int at30 = Uniform.Age.Count(a => a == 30);
        Assert.InRange(at30, 1, 10);
        using var engine = new PlaintextEngine();
        var leaky = new SecureAnalysis(Uniform.Share(engine), SurveyData.Terms(minCellSize: 11));
        var first = leaky.Where("age >= 30").Aggregate(Measure.Count(), Measure.Mean("score"));
        var second = leaky.Where("age >= 31").Count();
        Assert.Equal(at30, first.Cell(QueryResult.RowsColumn)!.Value - second.Cell("count")!.Value);   // the attack, per query alone

        var safe = new SecureAnalysis(Uniform.Share(engine), SurveyData.Terms(minCellSize: 11)) { Disclosure = new DisclosureLedger() };
        safe.Where("age >= 30").Aggregate(Measure.Count(), Measure.Mean("score"));
        var e = Assert.Throws<PolicyException>(() => safe.Where("age >= 31").Count());
        Assert.Contains("rows of cell", e.Message);
    }

    [Fact]
    public void Under_rounding_sums_and_rates_of_a_yes_no_column_are_rounded_counts()
    {
        using var engine = new PlaintextEngine();
        var plain = Uniform.ToPlain().Add("adult", Uniform.Age.Select(a => a >= 65).ToArray());
        var schema = SurveyData.Schema with { Columns = [.. SurveyData.Schema.Columns, new ColumnSpec { Name = "adult", Kind = ColumnKind.Boolean }] };
        var table = ContributorEncoder.Share(engine, schema, plain);
        var analysis = new SecureAnalysis(table, SurveyData.Terms(minCellSize: 11, b => b.RoundingBase = 5));
        var byState = analysis.GroupBy("state").Aggregate(Measure.Count(), Measure.Sum("adult"));
        var rates = analysis.GroupBy("state").Mean("adult");
        foreach (var s in SurveyData.States)
        {
            int n = Enumerable.Range(0, Uniform.Rows).Count(i => Uniform.State[i] == s);
            int ones = Enumerable.Range(0, Uniform.Rows).Count(i => Uniform.State[i] == s && Uniform.Age[i] >= 65);
            if (byState.Cell("sum(adult)", s) is not { } sum) continue;
            Assert.Equal(Math.Round(ones / 5.0, MidpointRounding.AwayFromZero) * 5, sum);
            double rounded = Math.Round(n / 5.0, MidpointRounding.AwayFromZero) * 5;
            Assert.Equal(sum / rounded, rates.Cell("mean(adult)", s)!.Value, 12);
        }
    }
}
