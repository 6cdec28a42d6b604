using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Tests.Statistics;

/// <summary>
/// Differential tests: every statistic computed through the engine equals an independent LINQ computation on the
/// same synthetic rows — exactly for counts and integer or on-grid sums, within the documented bound (read from the
/// result) for fixed-point statistics. Run on both engines.
/// </summary>
public abstract class StatisticsDifferentialTests : IDisposable
{
    protected abstract IComputeEngine CreateEngine();
    readonly IComputeEngine _engine;
    readonly SurveyData _data = SurveyData.Generate(240, seed: 7);
    readonly SecureAnalysis _analysis;

    protected StatisticsDifferentialTests()
    {
        _engine = CreateEngine();
        _analysis = new SecureAnalysis(_data.Share(_engine), SurveyData.Terms());
    }

    public void Dispose() => _engine.Dispose();

    IEnumerable<int> Rows => Enumerable.Range(0, _data.Rows);

    [Fact]
    public void Counts_and_integer_sums_by_group_are_exact_with_margins()
    {
        var r = _analysis.GroupBy("state").Aggregate(Measure.Count(), Measure.Sum("age"));
        foreach (var s in SurveyData.States)
        {
            Assert.Equal(Rows.Count(i => _data.State[i] == s), r.Cell("count", s));
            Assert.Equal(Rows.Where(i => _data.State[i] == s).Sum(i => _data.Age[i]), r.Cell("sum(age)", s));
        }
        Assert.Equal(_data.Rows, r.Cell("count", "(all)"));
        Assert.Equal(_data.Age.Sum(), r.Cell("sum(age)", "(all)"));
        Assert.All(Enumerable.Range(0, 5), row => Assert.Equal("released", r.Table.Text("status", row)));
        Assert.True(r.Rounds > 0 || !_engine.IsSecure);
    }

    [Fact]
    public void Filtered_and_weighted_counts_and_sums_are_exact()
    {
        var r = _analysis.Where("age >= 65 and sex in (F)").Weighted("weight", WeightKind.Probability).GroupBy("state")
            .Aggregate(Measure.Count(), Measure.Sum("income"));
        bool Pass(int i) => _data.Age[i] >= 65 && _data.Sex[i] == "F";
        foreach (var s in SurveyData.States)
        {
            var rows = Rows.Where(i => Pass(i) && _data.State[i] == s).ToArray();
            Assert.Equal(rows.Sum(i => _data.Weight[i]), r.Cell("count", s));
            Assert.Equal(rows.Sum(i => _data.Weight[i] * _data.Income[i]), r.Cell("sum(income)", s));
        }
        Assert.Equal(Rows.Where(Pass).Sum(i => _data.Weight[i]), r.Cell("count", "(all)"));
    }

    [Fact]
    public void Means_variances_and_standard_deviations_are_within_the_documented_bound()
    {
        var r = _analysis.GroupBy("sex").Aggregate(Measure.Mean("income"), Measure.Variance("income"), Measure.StdDev("age"));
        var bounds = r.Cells!.Measures.ToDictionary(m => m.Measure.Label, m => m.ErrorBound);
        Assert.All(bounds.Values, b => Assert.InRange(b, 1e-12, 2.0));   // variance of incomes ~1e8: bound ~1.5 (relative 1e-8)
        foreach (var key in SurveyData.Sexes.Append("(all)"))
        {
            var rows = Rows.Where(i => key == "(all)" || _data.Sex[i] == key).ToArray();
            var income = rows.Select(i => _data.Income[i]).ToArray();
            var age = rows.Select(i => (double)_data.Age[i]).ToArray();
            double mean = income.Average();
            Assert.InRange(mean - r.Cell("mean(income)", key)!.Value, -1e-9, bounds["mean(income)"]);
            Assert.InRange(Math.Abs(SampleVariance(income) - r.Cell("variance(income)", key)!.Value), 0, bounds["variance(income)"] + 1e-9 * SampleVariance(income));
            Assert.InRange(Math.Abs(Math.Sqrt(SampleVariance(age)) - r.Cell("stddev(age)", key)!.Value), 0, bounds["stddev(age)"]);
        }
        Assert.Contains(r.Notes, n => n.StartsWith("mean(income) = Σx / n; error at most"));
    }

    [Fact]
    public void Weighted_mean_and_variance_and_missing_values_follow_the_definitions()
    {
        var r = _analysis.Weighted("weight", WeightKind.Probability).Aggregate(Measure.Mean("income"), Measure.Variance("age"));
        var bounds = r.Cells!.Measures.ToDictionary(m => m.Measure.Label, m => m.ErrorBound);
        double w = _data.Weight.Sum();
        double mean = Rows.Sum(i => _data.Weight[i] * _data.Income[i]) / w;
        double meanAge = Rows.Sum(i => _data.Weight[i] * _data.Age[i]) / w;
        double varAge = Rows.Sum(i => _data.Weight[i] * (_data.Age[i] - meanAge) * (_data.Age[i] - meanAge)) / w;
        Assert.InRange(mean - r.Cell("mean(income)")!.Value, -1e-9, bounds["mean(income)"]);
        Assert.InRange(Math.Abs(varAge - r.Cell("variance(age)")!.Value), 0, bounds["variance(age)"] + 1e-9);

        // Missing scores are left out (complete cases): the count is of rows with a score.
        var s = _analysis.Aggregate(Measure.Count(), Measure.Mean("score"));
        var present = _data.Score.Where(v => v.HasValue).Select(v => (double)v!.Value).ToArray();
        Assert.Equal(present.Length, s.Cell("count"));
        Assert.InRange(present.Average() - s.Cell("mean(score)")!.Value, -1e-9, s.Cells!.Measures[1].ErrorBound);
    }

    [Fact]
    public void Cross_tab_counts_and_margins_are_exact()
    {
        var r = _analysis.CrossTab("state", "sex");
        foreach (var s in SurveyData.States.Append("(all)"))
            foreach (var x in SurveyData.Sexes.Append("(all)"))
                Assert.Equal(Rows.Count(i => (s == "(all)" || _data.State[i] == s) && (x == "(all)" || _data.Sex[i] == x)), r.Cell("count", s, x));
        Assert.Equal(3 * 5, r.Table.Rows.Count);
    }

    [Fact]
    public void Histogram_over_declared_bins_is_exact_and_skips_missing_values()
    {
        double[] edges = [0, 25, 50, 75, 100];
        var r = _analysis.Histogram("score", edges);
        for (int j = 0; j < 4; j++)
        {
            bool last = j == 3;
            int expected = _data.Score.Count(v => v is { } x && x >= edges[j] && (last ? x <= edges[j + 1] : x < edges[j + 1]));
            Assert.Equal(expected, r.Table.Value("count", j));
        }
        Assert.Equal(_data.Score.Count(v => v.HasValue), r.Cell("count", "(all)"));
        var byState = _analysis.GroupBy("state").Histogram("age", [18, 40, 65, 90]);
        Assert.Equal(Rows.Count(i => _data.State[i] == "TX" && _data.Age[i] >= 40 && _data.Age[i] < 65), byState.Cell("count", "TX", "[40, 65)"));
    }

    [Fact]
    public void Quantiles_equal_type_7_order_statistics()
    {
        var r = _analysis.Quantile("income", 0.5, 0.1, 0.95);
        double[] qs = [0.5, 0.1, 0.95];
        for (int k = 0; k < qs.Length; k++)
            AssertQuantile(_data.Income, qs[k], r.Table.Value("value", k)!.Value, 4);
        Assert.Equal("median(income)", r.Table.Text("statistic", 0));
        var age = _analysis.Median("age");
        AssertQuantile(_data.Age.Select(a => (double)a).ToArray(), 0.5, age.Table.Value("value", 0)!.Value, 0);
    }

    [Fact]
    public void Filtered_quantiles_agree_in_the_oblivious_and_the_revealed_mode()
    {
        var subset = Rows.Where(i => _data.Age[i] >= 50).Select(i => _data.Income[i]).ToArray();
        var hidden = _analysis.Where("age >= 50").Median("income");
        AssertQuantile(subset, 0.5, hidden.Table.Value("value", 0)!.Value, 4);
        Assert.DoesNotContain(hidden.Reveals, x => x.Purpose.Contains("subset size"));

        var open = new SecureAnalysis(_analysis.Table, SurveyData.Terms(more: t => t.AllowRevealGroupSizes = true))
            .Where("age >= 50").WithGroupSizes(GroupSizeDisclosure.RevealToComputeParties).Quantile("income", 0.25);
        AssertQuantile(subset, 0.25, open.Table.Value("value", 0)!.Value, 4);
        Assert.Contains(open.Reveals, x => x.Audience == RevealAudience.ComputeParties && x.Purpose.Contains("subset size"));
    }

    [Fact]
    public void Weighted_median_is_the_inverse_of_the_weighted_distribution_function()
    {
        var r = _analysis.Weighted("weight", WeightKind.Probability).Median("age");
        var order = Rows.OrderBy(i => _data.Age[i]).ToArray();
        double half = _data.Weight.Sum() * 0.5, acc = 0;
        long expected = 0;
        foreach (var i in order) { acc += _data.Weight[i]; if (acc >= half) { expected = _data.Age[i]; break; } }
        Assert.Equal(expected, r.Table.Value("value", 0));
    }

    [Fact]
    public void Min_and_max_are_exact_with_and_without_a_filter()
    {
        Assert.Equal(_data.Income.Min(), _analysis.Min("income").Table.Value("value", 0));
        Assert.Equal(_data.Age.Max(), _analysis.Max("age").Table.Value("value", 0));
        Assert.Equal(Rows.Where(i => _data.State[i] == "WA").Max(i => _data.Income[i]), _analysis.Where("state in (WA)").Max("income").Table.Value("value", 0));
        Assert.Equal(_data.Score.Where(v => v.HasValue).Min(), (long?)_analysis.Min("score").Table.Value("value", 0));
    }

    [Fact]
    public void Correlation_is_within_the_stated_tolerance()
    {
        var r = _analysis.Correlation("age", "income");
        double expected = Pearson(_data.Age.Select(a => (double)a).ToArray(), _data.Income);
        Assert.InRange(r.Table.Value("value", 0)!.Value, expected - 2e-3, expected + 2e-3);
    }

    static void AssertQuantile(double[] values, double q, double got, int fractionBits)
    {
        var v = values.Order().ToArray();
        double h = (v.Length - 1) * q;
        int lo = (int)Math.Floor(h), hi = Math.Min(lo + 1, v.Length - 1);
        double expected = v[lo] + (h - lo) * (v[hi] - v[lo]);
        double bound = Math.ScaleB(Math.Abs(v[hi] - v[lo]), -17) + Math.ScaleB(1.0, -(fractionBits + 16)) + 1e-12;
        Assert.InRange(got, expected - bound, expected + bound);
    }

    internal static double SampleVariance(double[] x)
    {
        double m = x.Average();
        return x.Sum(v => (v - m) * (v - m)) / (x.Length - 1);
    }

    internal static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return sxy / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }
}

public sealed class SecureStatisticsDifferentialTests : StatisticsDifferentialTests
{
    protected override IComputeEngine CreateEngine() => new SecureEngine();
}

public sealed class PlaintextStatisticsDifferentialTests : StatisticsDifferentialTests
{
    protected override IComputeEngine CreateEngine() => new PlaintextEngine();
}
