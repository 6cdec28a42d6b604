using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Reporting;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Reporting.Tests;

/// <summary>Report entries from real engine results: a grouped query on the secure engine with a small group that disclosure control suppresses.</summary>
public sealed class EngineResultsTests : IDisposable
{
    static readonly string[] States = ["CA", "TX", "VT"];
    readonly SecureEngine _engine = new();
    readonly long[] _income;
    readonly string[] _state;
    readonly SecureAnalysis _analysis;

    public EngineResultsTests()
    {
        var rng = new Random(11);
        int n = 90;
        _state = Enumerable.Range(0, n).Select(i => i < 50 ? "CA" : i < 86 ? "TX" : "VT").ToArray();   // VT: 4 rows, under the minimum of 11
        _income = Enumerable.Range(0, n).Select(_ => (long)rng.Next(20_000, 90_000)).ToArray();
        var schema = new TableSchema
        {
            Name = "people",
            Columns = [new ColumnSpec { Name = "state", Kind = ColumnKind.Categorical, Domain = States }, new ColumnSpec { Name = "income", Kind = ColumnKind.Integer, Min = 0, Max = 100_000 }],
        };
        var table = ContributorEncoder.Share(_engine, schema, new PlainTable("people").Add("state", _state).Add("income", _income));
        var terms = new DataUseTerms
        {
            Dataset = "people", Steward = "test", Purpose = "tests", Redisclosure = new RedisclosureTerms(),
            MinCellSize = 11, AllowedOperations = ["count", "sum", "mean", "groupby"],
        };
        _analysis = new SecureAnalysis(table, terms);
    }

    public void Dispose() => _engine.Dispose();

    [Fact]
    public void A_released_query_becomes_a_table_with_its_suppressed_cells_marked_and_its_reveals_and_cost()
    {
        var result = _analysis.GroupBy("state").Aggregate(Measure.Count(), Measure.Sum("income"));
        var entry = EngineResults.Release("R01", "Income by state", "people", result);

        var t = entry.Table!;
        Assert.Equal(["state"], t.KeyColumns);
        Assert.Equal(["count", "sum(income)"], t.ValueColumns);
        foreach (var row in t.Released)
        {
            bool In(int i) => row.Keys[0] == "(all)" || _state[i] == row.Keys[0];
            Assert.Equal(_state.Where((_, i) => In(i)).Count(), row.Values![0]);
            Assert.Equal(_income.Where((_, i) => In(i)).Sum(), row.Values![1]);
        }
        Assert.True(t.Released.Count() >= 2);
        var vt = t.Rows.Single(r => r.Keys[0] == "VT");
        Assert.True(vt.Suppressed);
        Assert.Contains("cell size", vt.SuppressedBy);
        Assert.True(t.SuppressedCount >= 2, "complementary suppression hides a second cell so VT cannot be recomputed from the margin");
        Assert.Equal(ReleaseOutcome.Released, entry.Outcome);
        Assert.Equal(result.Reveals.Count, entry.Reveals.Count);
        Assert.Contains(entry.Reveals, r => r.Audience == RevealAudienceKind.Analyst);
        Assert.Equal(new CostEntry(result.RowsUsed, result.BytesSent, result.Rounds, result.Elapsed), entry.Cost);
        Assert.True(entry.Cost.Bytes > 0 && entry.Cost.Rounds > 0);
    }

    [Fact]
    public void A_refusal_by_the_terms_keeps_its_rule_and_reveals_nothing()
    {
        int before = _engine.Reveals.Count;
        var refusal = Assert.Throws<PolicyException>(() => _analysis.Median("income"));
        var entry = EngineResults.Refusal("R02", "Median income", "people", "median(income)", refusal);
        Assert.Equal(ReleaseOutcome.Refused, entry.Outcome);
        Assert.Equal("AllowedOperations", entry.RefusedBy);
        Assert.Contains("quantile", entry.RefusalMessage);
        Assert.Null(entry.Table);
        Assert.Empty(entry.Reveals);
        Assert.Equal(before, _engine.Reveals.Count);
    }

    [Fact]
    public void Terms_are_summarised_with_every_rule_a_reviewer_checks()
    {
        var terms = DataUseTerms.Load(Path.Combine(Repo.Root, "data", "synthetic", "bank.terms.json"));
        var s = EngineResults.Terms(terms);
        Assert.Equal(20, s.MinCellSize);
        Assert.Equal(10, s.DominanceP);
        Assert.Equal(5, s.RoundingBase);
        Assert.True(s.InternalUseOnly);
        Assert.DoesNotContain("quantile", s.AllowedOperations);
        Assert.Equal("2027-12-31", s.Expires);
    }
}
