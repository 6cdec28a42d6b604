using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Tests.Statistics;

/// <summary>Weighted variance by weight kind: frequency weights give the sample variance of the rows repeated w times
/// (Σw − 1); analytic and probability weights the weighted variance Σw(x − μ)²/Σw. Checked against plain double code.</summary>
public class WeightedVarianceKindTests
{
    static readonly TableSchema Schema = new()
    {
        Name = "t",
        Columns =
        [
            new ColumnSpec { Name = "x", Kind = ColumnKind.Integer, Min = 0, Max = 1000 },
            new ColumnSpec { Name = "w", Kind = ColumnKind.Integer, Min = 1, Max = 6 },
        ],
    };

    static (long[] X, long[] W) Data()
    {
        var rng = new Random(42);
        var x = Enumerable.Range(0, 200).Select(_ => (long)rng.Next(0, 1001)).ToArray();
        var w = Enumerable.Range(0, 200).Select(_ => (long)rng.Next(1, 7)).ToArray();
        return (x, w);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Frequency_weights_equal_the_rows_repeated(bool secure)
    {
        var (x, w) = Data();
        using IComputeEngine engine = secure ? new SecureEngine() : new PlaintextEngine();
        var table = ContributorEncoder.Share(engine, Schema, new PlainTable("t").Add("x", x).Add("w", w));
        var analysis = new SecureAnalysis(table, SurveyData.Terms() with { Dataset = "t" });
        var expanded = x.SelectMany((v, i) => Enumerable.Repeat((double)v, (int)w[i])).ToArray();
        double mean = expanded.Average();
        double sample = expanded.Sum(v => (v - mean) * (v - mean)) / (expanded.Length - 1);
        double population = expanded.Sum(v => (v - mean) * (v - mean)) / expanded.Length;

        var frequency = analysis.Weighted("w", WeightKind.Frequency).Variance("x");
        Assert.Equal(sample, frequency.Cell("variance(x)")!.Value, 1e-3 * sample);
        Assert.Contains(frequency.Notes, n => n.Contains("(Σw − 1)"));
        foreach (var kind in new[] { WeightKind.Analytic, WeightKind.Probability })
            Assert.Equal(population, analysis.Weighted("w", kind).Variance("x").Cell("variance(x)")!.Value, 1e-3 * population);
        Assert.NotEqual(sample, population, 1e-3 * sample);     // the two formulas are told apart on these data
    }
}
