using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Tests.Statistics;

namespace Smpc.Analytics.Tests.Study;

/// <summary>
/// A table query over a column with missing values: count is the complete cases n (the statistics' and the rules'
/// basis), "rows" each cell's row count, and a cell with 1 … k − 1 rows without the value is withheld (its two counts
/// would disclose that small number) — on both engines, checked against a plaintext computation.
/// </summary>
public class MissingValueRuleTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cells_show_both_counts_and_withhold_a_small_number_of_rows_without_the_value(bool secure)
    {
        using IComputeEngine engine = secure ? new SecureEngine() : new PlaintextEngine();
        var data = SurveyData.Generate(400, seed: 9);
        const int k = 11;
        var release = new SecureAnalysis(data.Share(engine), SurveyData.Terms(minCellSize: k)).GroupBy("state").Mean("score");
        var cells = release.Cells!;
        Assert.NotNull(cells.RowCounts);
        var mean = cells.Measures.Single(m => m.Measure.Label == "mean(score)");
        int withheld = 0;
        for (int c = 0; c < cells.Layout.Count; c++)
        {
            var state = cells.Layout.Keys[c][0];
            var rows = Enumerable.Range(0, data.Rows).Where(i => state is null || data.State[i] == state).ToList();
            var scores = rows.Where(i => data.Score[i] is not null).Select(i => (double)data.Score[i]!.Value).ToList();
            int missing = rows.Count - scores.Count;
            var expected = scores.Count < k ? SuppressionReason.CellSize
                : missing is > 0 and < k ? SuppressionReason.MissingValues : SuppressionReason.Released;
            if (expected == SuppressionReason.Released && cells.Status[c] == SuppressionReason.Complementary) continue;
            Assert.Equal(expected, cells.Status[c]);
            if (expected == SuppressionReason.MissingValues) { withheld++; Assert.Equal($"rows without the value < {k}", cells.Status[c].Rule(cells.Rules)); }
            if (expected != SuppressionReason.Released) { Assert.Null(cells.RowCounts![c]); Assert.Null(mean.Values[c]); continue; }
            Assert.Equal(rows.Count, cells.RowCounts![c]);
            Assert.True(Math.Abs(mean.Values[c]!.Value - scores.Average()) < 1e-3, $"{state}: {mean.Values[c]} vs {scores.Average()}");
        }
        Assert.True(withheld > 0, "the test data should have a cell with a few missing scores");
        Assert.Equal("rows", release.Table.Columns[QueryResult.RowsColumn].Name);
    }
}
