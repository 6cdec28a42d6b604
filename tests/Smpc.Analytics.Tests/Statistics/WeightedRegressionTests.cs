using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Study;

namespace Smpc.Analytics.Tests.Statistics;

/// <summary>
/// Weighted OLS standard errors against an independent plaintext computation written here (double arithmetic on
/// the plain rows): frequency weights equal OLS on the rows repeated w times.
/// </summary>
public abstract class WeightedRegressionTests : IDisposable
{
    protected abstract IComputeEngine CreateEngine();
    readonly IComputeEngine _engine;
    protected WeightedRegressionTests() => _engine = CreateEngine();
    public void Dispose() => _engine.Dispose();

    // Stated tolerance, as for unweighted OLS: coefficients within 1% of their standard error, standard errors within
    // 1e-3 relative.
    const double Relative = 1e-3;

    static readonly TableSchema Schema = new()
    {
        Name = "panel",
        Columns =
        [
            new ColumnSpec { Name = "x1", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 10 },
            new ColumnSpec { Name = "x2", Kind = ColumnKind.Integer, Min = 0, Max = 50 },
            new ColumnSpec { Name = "y", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = -200, Max = 400 },
            new ColumnSpec { Name = "fw", Kind = ColumnKind.Integer, Min = 0, Max = 6 },
        ],
    };

    sealed record Data(double[] X1, long[] X2, double[] Y, long[] Fw);

    static Data Generate(int n, int seed)
    {
        var rng = new Random(seed);
        double R(double v) => Math.Round(v * 256) / 256;
        var x1 = Enumerable.Range(0, n).Select(_ => R(rng.NextDouble() * 10)).ToArray();
        var x2 = Enumerable.Range(0, n).Select(_ => (long)rng.Next(0, 51)).ToArray();
        // Heteroskedastic noise (grows with x1), so that model-based and design-based standard errors differ.
        var y = Enumerable.Range(0, n).Select(i => R(5 + 4 * x1[i] - 0.6 * x2[i] + Normal(rng) * (1 + x1[i]))).ToArray();
        // Frequency weights 0..6, about one row in five with weight 0.
        var fw = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.2 ? 0L : rng.Next(1, 7)).ToArray();
        return new Data(x1, x2, y, fw);
    }

    static SecureAnalysis Analysis(IComputeEngine engine, Data d)
    {
        var table = ContributorEncoder.Share(engine, Schema, new PlainTable("panel").Add("x1", d.X1).Add("x2", d.X2).Add("y", d.Y).Add("fw", d.Fw));
        var terms = new DataUseTerms { Dataset = "panel", Steward = "s", Purpose = "p", Redisclosure = new(), AllowedOperations = ["ols"] };
        return new SecureAnalysis(table, terms);
    }

    [Fact]
    public void Frequency_weighted_standard_errors_equal_ols_on_the_rows_repeated_w_times()
    {
        var d = Generate(60, 11);
        var fit = Analysis(_engine, d).Weighted("fw").Ols("y", "x1", "x2");

        // Independent: plain OLS on the expanded table (row i repeated fw_i times; weight-0 rows vanish).
        var rows = Enumerable.Range(0, d.Y.Length).SelectMany(i => Enumerable.Repeat(i, (int)d.Fw[i])).ToArray();
        var (beta, se) = PlainOls(rows.Select(i => new[] { 1.0, d.X1[i], d.X2[i] }).ToArray(), rows.Select(i => d.Y[i]).ToArray());
        for (int j = 0; j < 3; j++)
        {
            Assert.InRange(fit.Table.Value("coefficient", j)!.Value, beta[j] - 0.01 * se[j], beta[j] + 0.01 * se[j]);
            Assert.InRange(fit.Table.Value("std_error", j)!.Value, se[j] * (1 - Relative), se[j] * (1 + Relative));
        }
    }

    static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>(Σ w x x')^{-1} by Gauss–Jordan in double.</summary>
    static double[,] Inverse(double[,] a)
    {
        int k = a.GetLength(0);
        var m = new double[k, 2 * k];
        for (int i = 0; i < k; i++) { for (int j = 0; j < k; j++) m[i, j] = a[i, j]; m[i, k + i] = 1; }
        for (int p = 0; p < k; p++)
        {
            double d = m[p, p];
            for (int j = 0; j < 2 * k; j++) m[p, j] /= d;
            for (int i = 0; i < k; i++)
            {
                if (i == p) continue;
                double f = m[i, p];
                for (int j = 0; j < 2 * k; j++) m[i, j] -= f * m[p, j];
            }
        }
        var inv = new double[k, k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) inv[i, j] = m[i, k + j];
        return inv;
    }

    /// <summary>Weighted least squares in double: β, (X'WX)^{-1} and the residuals.</summary>
    static (double[] Beta, double[,] Inv, double[] Residuals) Wls(double[][] x, double[] y, double[] w)
    {
        int n = x.Length, k = x[0].Length;
        var a = new double[k, k];
        var b = new double[k];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < k; i++)
            {
                b[i] += w[r] * x[r][i] * y[r];
                for (int j = 0; j < k; j++) a[i, j] += w[r] * x[r][i] * x[r][j];
            }
        var inv = Inverse(a);
        var beta = Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Sum(j => inv[i, j] * b[j])).ToArray();
        var e = Enumerable.Range(0, n).Select(r => y[r] - Enumerable.Range(0, k).Sum(j => beta[j] * x[r][j])).ToArray();
        return (beta, inv, e);
    }

    /// <summary>Unweighted OLS in double: β and the classical standard errors √(RSS/(n − k)·(X'X)^{-1}_jj).</summary>
    static (double[] Beta, double[] Se) PlainOls(double[][] x, double[] y)
    {
        int n = x.Length, k = x[0].Length;
        var (beta, inv, e) = Wls(x, y, Enumerable.Repeat(1.0, n).ToArray());
        double sigma2 = e.Sum(v => v * v) / (n - k);
        return (beta, Enumerable.Range(0, k).Select(j => Math.Sqrt(sigma2 * inv[j, j])).ToArray());
    }
}

public sealed class SecureWeightedRegressionTests : WeightedRegressionTests
{
    protected override IComputeEngine CreateEngine() => new SecureEngine();
}

public sealed class PlaintextWeightedRegressionTests : WeightedRegressionTests
{
    protected override IComputeEngine CreateEngine() => new PlaintextEngine();
}
