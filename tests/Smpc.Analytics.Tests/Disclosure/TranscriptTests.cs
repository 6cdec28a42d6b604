using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Tests.Security;
using Smpc.Analytics.Tests.Statistics;

namespace Smpc.Analytics.Tests.Disclosure;

public class TranscriptTests
{
    [Fact]
    public void A_suppressed_cells_true_values_appear_nowhere_in_any_message_or_release()
    {
        var data = SurveyData.Generate(200, seed: 21, stateShares: [0.5, 0.3, 0.17, 0.03]);
        using var engine = new SecureEngine();
        var table = data.Share(engine);
        var recorder = new TranscriptRecorder();
        engine.Cluster.Record(recorder);
        var r = new SecureAnalysis(table, SurveyData.Terms(minCellSize: 11)).GroupBy("state")
            .Aggregate(Measure.Count(), Measure.Sum("income"), Measure.Sum("age"));
        int wa = Array.IndexOf(SurveyData.States, "WA");
        Assert.Equal(SuppressionReason.CellSize, r.Cells!.Status[wa]);

        var rows = Enumerable.Range(0, data.Rows).Where(i => data.State[i] == "WA").ToArray();
        ulong count = (ulong)rows.Length;
        ulong incomeSum = (ulong)rows.Sum(i => (long)(data.Income[i] * 16));
        ulong ageSum = (ulong)rows.Sum(i => data.Age[i]);
        // Sums as the protocol holds them: centred at the declared midpoint.
        ulong incomeCentred = unchecked(incomeSum - count * (ulong)(50000 * 16));
        ulong ageCentred = unchecked(ageSum - count * 54);
        Assert.True(count >= 2, "the test needs a small but non-trivial cell");
        foreach (var secret in new[] { incomeSum, ageSum, incomeCentred, ageCentred })
            Assert.False(recorder.Contains(secret), $"value {secret} of the suppressed cell appears in the transcript");
        // Nothing the analyst received holds them either: released values and the data frame.
        var released = r.Cells.Measures.SelectMany(m => m.Values).OfType<double>().ToArray();
        Assert.DoesNotContain((double)ageSum, released);
        Assert.DoesNotContain(incomeSum / 16.0, released);
        Assert.Null(r.Cell("sum(income)", "WA"));
        Assert.Null(r.Cell("count", "WA"));
        // The analyst's reveals were only the released cells: each release lists fewer elements than cells.
        Assert.All(r.Reveals.Where(x => x.Audience == RevealAudience.Analyst), x => Assert.True(x.Elements < r.Cells.Layout.Count));
        Assert.Contains(r.Reveals, x => x.Audience == RevealAudience.ComputeParties && x.Purpose.StartsWith("cell-size rule"));
        // Released cells' values are in the result (the test can see releases).
        var releasedStates = SurveyData.States.Where((s, i) => r.Cells.Status[i] == SuppressionReason.Released).ToArray();
        Assert.NotEmpty(releasedStates);
        foreach (var s in releasedStates) Assert.Equal(data.State.Count(x => x == s), r.Cell("count", s));
    }
}
