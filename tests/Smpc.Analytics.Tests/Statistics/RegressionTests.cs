using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Tests.Statistics;

/// <summary>OLS solved on shares agrees with plaintext OLS (normal equations in double) within a stated tolerance.</summary>
public abstract class RegressionTests : IDisposable
{
    protected abstract IComputeEngine CreateEngine();
    readonly IComputeEngine _engine;
    protected RegressionTests() => _engine = CreateEngine();
    public void Dispose() => _engine.Dispose();

    // Stated tolerance: each coefficient within 1% of its standard error (numerical error far below the statistical
    // one), standard errors within 1e-3 relative (the residual variance carries 2^-30 absolute precision in normalised
    // units, so its relative precision degrades as the fit tightens relative to the declared ranges), R² within 1e-3.
    const double Relative = 1e-3;

    static readonly TableSchema Schema = new()
    {
        Name = "panel",
        Columns =
        [
            new ColumnSpec { Name = "x1", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 10 },
            new ColumnSpec { Name = "x2", Kind = ColumnKind.Integer, Min = 0, Max = 50 },
            new ColumnSpec { Name = "x3", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = -5, Max = 5 },
            new ColumnSpec { Name = "y", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = -200, Max = 400 },
        ],
    };

    [Fact]
    public void Ols_coefficients_standard_errors_and_r2_match_plaintext_ols()
    {
        var rng = new Random(3);
        int n = 400;
        double R(double v) => Math.Round(v * 256) / 256;
        var x1 = Enumerable.Range(0, n).Select(_ => R(rng.NextDouble() * 10)).ToArray();
        var x2 = Enumerable.Range(0, n).Select(_ => (long)rng.Next(0, 51)).ToArray();
        var x3 = Enumerable.Range(0, n).Select(_ => R(rng.NextDouble() * 10 - 5)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => R(2 + 3 * x1[i] - 0.5 * x2[i] + 1.5 * x3[i] + Normal(rng) * 4)).ToArray();
        var table = ContributorEncoder.Share(_engine, Schema, new PlainTable("panel").Add("x1", x1).Add("x2", x2).Add("x3", x3).Add("y", y));
        var terms = new DataUseTerms { Dataset = "panel", Steward = "s", Purpose = "p", Redisclosure = new(), AllowedOperations = ["ols"] };
        var fit = new SecureAnalysis(table, terms).Ols("y", "x1", "x2", "x3");

        var design = Enumerable.Range(0, n).Select(i => new[] { 1.0, x1[i], x2[i], x3[i] }).ToArray();
        var (beta, se, r2) = PlainOls(design, y);
        for (int j = 0; j < 4; j++)
        {
            Assert.InRange(fit.Table.Value("coefficient", j)!.Value, beta[j] - 0.01 * se[j], beta[j] + 0.01 * se[j]);
            Assert.InRange(fit.Table.Value("std_error", j)!.Value, se[j] * (1 - Relative), se[j] * (1 + Relative));
        }
        Assert.Equal("R²", fit.Table.Text("term", 4));
        Assert.InRange(fit.Table.Value("coefficient", 4)!.Value, r2 - 1e-3, r2 + 1e-3);
        Assert.Equal("released", fit.Table.Text("status", 0));
        // X'X is never opened: apart from the singularity bit, nothing goes to the parties; the analyst gets 2k+1 values.
        Assert.All(fit.Reveals.Where(r => r.Audience == RevealAudience.ComputeParties), r => Assert.Equal(1, r.Elements));
        Assert.Equal(9, fit.Reveals.Single(r => r.Audience == RevealAudience.Analyst).Elements);
    }

    [Fact]
    public void Collinear_covariates_are_refused_with_a_clear_error()
    {
        var x = Enumerable.Range(0, 50).Select(i => (double)(i % 10)).ToArray();
        var table = ContributorEncoder.Share(_engine, Schema, new PlainTable("panel").Add("x1", x).Add("x2", x.Select(v => (long)(2 * v)).ToArray())
            .Add("x3", x.Select(_ => 0.0).ToArray()).Add("y", x.Select(v => v * 3).ToArray()));
        var terms = new DataUseTerms { Dataset = "panel", Steward = "s", Purpose = "p", Redisclosure = new(), AllowedOperations = ["ols"] };
        var ex = Assert.Throws<RangeException>(() => new SecureAnalysis(table, terms).Ols("y", "x1", "x2"));
        Assert.Contains("collinear", ex.Message);
    }

    static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Plain OLS by Gauss–Jordan on X'X in double: β, standard errors, R².</summary>
    static (double[] Beta, double[] Se, double R2) PlainOls(double[][] x, double[] y)
    {
        int n = x.Length, k = x[0].Length;
        var a = new double[k, 2 * k + 1];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++) a[i, j] = Enumerable.Range(0, n).Sum(r => x[r][i] * x[r][j]);
            a[i, k + i] = 1;
            a[i, 2 * k] = Enumerable.Range(0, n).Sum(r => x[r][i] * y[r]);
        }
        for (int p = 0; p < k; p++)
        {
            double d = a[p, p];
            for (int j = 0; j < 2 * k + 1; j++) a[p, j] /= d;
            for (int i = 0; i < k; i++)
            {
                if (i == p) continue;
                double f = a[i, p];
                for (int j = 0; j < 2 * k + 1; j++) a[i, j] -= f * a[p, j];
            }
        }
        var beta = Enumerable.Range(0, k).Select(i => a[i, 2 * k]).ToArray();
        double rss = Enumerable.Range(0, n).Sum(r => { double e = y[r] - Enumerable.Range(0, k).Sum(j => beta[j] * x[r][j]); return e * e; });
        double sigma2 = rss / (n - k);
        var se = Enumerable.Range(0, k).Select(j => Math.Sqrt(sigma2 * a[j, k + j])).ToArray();
        double my = y.Average();
        double tss = y.Sum(v => (v - my) * (v - my));
        return (beta, se, 1 - rss / tss);
    }
}

public sealed class SecureRegressionTests : RegressionTests
{
    protected override IComputeEngine CreateEngine() => new SecureEngine();
}

public sealed class PlaintextRegressionTests : RegressionTests
{
    protected override IComputeEngine CreateEngine() => new PlaintextEngine();
}
