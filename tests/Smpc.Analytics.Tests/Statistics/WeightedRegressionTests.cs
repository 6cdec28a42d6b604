using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Tests.Statistics;

/// <summary>
/// Weighted OLS standard errors against an independent plaintext computation written here (double arithmetic on
/// the plain rows): frequency weights equal OLS on the rows repeated w times; analytic and probability weights equal
/// the textbook formulas (normalised-weight WLS; the linearisation sandwich). The cell-size rule counts rows with
/// positive weight, never Σw.
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
            new ColumnSpec { Name = "pw", Kind = ColumnKind.FixedPoint, FractionBits = 4, Min = 0, Max = 50 },
        ],
    };

    sealed record Data(double[] X1, long[] X2, double[] Y, long[] Fw, double[] Pw)
    {
        public double[][] Design => Enumerable.Range(0, Y.Length).Select(i => new[] { 1.0, X1[i], X2[i] }).ToArray();
    }

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
        // Fractional survey-style weights on the 1/16 grid, about 15% zeros, unequal (0.5 … 30.5).
        var pw = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.15 ? 0 : Math.Round((0.5 + rng.NextDouble() * 30) * 16) / 16).ToArray();
        return new Data(x1, x2, y, fw, pw);
    }

    static SecureAnalysis Analysis(IComputeEngine engine, Data d)
    {
        var table = ContributorEncoder.Share(engine, Schema, new PlainTable("panel").Add("x1", d.X1).Add("x2", d.X2).Add("y", d.Y).Add("fw", d.Fw).Add("pw", d.Pw));
        var terms = new DataUseTerms { Dataset = "panel", Steward = "s", Purpose = "p", Redisclosure = new(), AllowedOperations = ["ols", "count", "mean"] };
        return new SecureAnalysis(table, terms);
    }

    [Fact]
    public void Frequency_weighted_standard_errors_equal_ols_on_the_rows_repeated_w_times()
    {
        var d = Generate(60, 11);
        var fit = Analysis(_engine, d).Weighted("fw", WeightKind.Frequency).Ols("y", "x1", "x2");

        // Independent: plain OLS on the expanded table (row i repeated fw_i times; weight-0 rows vanish).
        var rows = Enumerable.Range(0, d.Y.Length).SelectMany(i => Enumerable.Repeat(i, (int)d.Fw[i])).ToArray();
        var (beta, se) = PlainOls(rows.Select(i => new[] { 1.0, d.X1[i], d.X2[i] }).ToArray(), rows.Select(i => d.Y[i]).ToArray());
        for (int j = 0; j < 3; j++)
        {
            Assert.InRange(fit.Table.Value("coefficient", j)!.Value, beta[j] - 0.01 * se[j], beta[j] + 0.01 * se[j]);
            Assert.InRange(fit.Table.Value("std_error", j)!.Value, se[j] * (1 - Relative), se[j] * (1 + Relative));
        }
    }

    [Fact]
    public void Analytic_weighted_standard_errors_follow_the_normalised_weight_formula()
    {
        var d = Generate(60, 12);
        var fit = Analysis(_engine, d).Weighted("pw", WeightKind.Analytic).Ols("y", "x1", "x2");

        // Textbook: weights normalised to sum to n = #{w > 0}, σ² = Σw̃e² / (n − k), V = σ²·(X'W̃X)^{-1}.
        int n = d.Pw.Count(w => w > 0), k = 3;
        double total = d.Pw.Sum();
        var normalised = d.Pw.Select(w => w * n / total).ToArray();
        var (beta, inv, e) = Wls(d.Design, d.Y, normalised);
        double sigma2 = Enumerable.Range(0, e.Length).Sum(i => normalised[i] * e[i] * e[i]) / (n - k);
        var se = Enumerable.Range(0, k).Select(j => Math.Sqrt(sigma2 * inv[j, j])).ToArray();
        for (int j = 0; j < k; j++)
        {
            Assert.InRange(fit.Table.Value("coefficient", j)!.Value, beta[j] - 0.01 * se[j], beta[j] + 0.01 * se[j]);
            Assert.InRange(fit.Table.Value("std_error", j)!.Value, se[j] * (1 - Relative), se[j] * (1 + Relative));
        }
        Assert.Contains("analytic weights", fit.Query);
        Assert.Contains(fit.Notes, note => note.Contains("analytic weights 'pw'"));
    }

    // Stated tolerance of the design-based standard errors: 2e-3 relative (the residuals enter at 2^-20 and the
    // weighted residuals at 2^-Fv absolute in normalised units, the inverse at 2^-14; Regression.Sandwich).
    const double SandwichRelative = 2e-3;

    [Fact]
    public void Probability_weighted_standard_errors_are_the_linearisation_sandwich()
    {
        var d = Generate(80, 13);
        var fit = Analysis(_engine, d).Weighted("pw", WeightKind.Probability).Ols("y", "x1", "x2");

        // Textbook: V = (X'WX)^{-1} (Σ w²e² x x') (X'WX)^{-1} · n/(n − 1), n = #{w > 0}.
        int n = d.Pw.Count(w => w > 0), k = 3;
        var x = d.Design;
        var (beta, inv, e) = Wls(x, d.Y, d.Pw);
        var meat = new double[k, k];
        for (int i = 0; i < x.Length; i++)
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++) meat[a, b] += d.Pw[i] * d.Pw[i] * e[i] * e[i] * x[i][a] * x[i][b];
        var se = Enumerable.Range(0, k).Select(j =>
            Math.Sqrt(Enumerable.Range(0, k).Sum(a => Enumerable.Range(0, k).Sum(b => inv[j, a] * meat[a, b] * inv[b, j])) * n / (n - 1))).ToArray();
        // The model-based (analytic) standard errors differ on these heteroskedastic data: the check has teeth.
        double rss = Enumerable.Range(0, x.Length).Sum(i => d.Pw[i] * e[i] * e[i]);
        var model = Enumerable.Range(0, k).Select(j => Math.Sqrt(rss / (n - k) * inv[j, j])).ToArray();
        Assert.True(Math.Abs(model[1] / se[1] - 1) > 0.05, $"model {model[1]} vs sandwich {se[1]}");
        for (int j = 0; j < k; j++)
        {
            Assert.InRange(fit.Table.Value("coefficient", j)!.Value, beta[j] - 0.01 * se[j], beta[j] + 0.01 * se[j]);
            Assert.InRange(fit.Table.Value("std_error", j)!.Value, se[j] * (1 - SandwichRelative), se[j] * (1 + SandwichRelative));
        }
        Assert.Contains("probability weights", fit.Query);
        Assert.Contains(fit.Notes, note => note.Contains("linearisation"));
        // Nothing new is opened: the singularity bit and the cell-size bit to the parties, 2k+1 values to the analyst.
        Assert.All(fit.Reveals.Where(r => r.Audience == RevealAudience.ComputeParties), r => Assert.Equal(1, r.Elements));
        Assert.Equal(2 * k + 1, fit.Reveals.Single(r => r.Audience == RevealAudience.Analyst).Elements);
    }

    [Theory]
    [InlineData(WeightKind.Frequency)]
    [InlineData(WeightKind.Analytic)]
    [InlineData(WeightKind.Probability)]
    public void The_cell_size_rule_counts_rows_with_positive_weight_not_the_weight_total(WeightKind kind)
    {
        // 30 rows, of which 8 carry weight 6 (Σw = 48 ≥ 11) and 22 weight 0: 8 people, below the minimum of 11.
        var d = Generate(30, 14);
        var fw = Enumerable.Range(0, 30).Select(i => i < 8 ? 6L : 0L).ToArray();
        var fit = Analysis(_engine, d with { Fw = fw, Pw = fw.Select(v => (double)v).ToArray() })
            .Weighted(kind == WeightKind.Frequency ? "fw" : "pw", kind).Ols("y", "x1", "x2");
        for (int row = 0; row < fit.Table.Rows.Count; row++)
        {
            Assert.Equal("suppressed", fit.Table.Text("status", row));
            Assert.Null(fit.Table.Value("std_error", row));
        }
    }

    [Theory]
    [InlineData(WeightKind.Frequency)]
    [InlineData(WeightKind.Probability)]
    public void A_weighted_mean_over_one_person_with_weight_and_many_with_weight_zero_is_suppressed(WeightKind kind)
    {
        // 15 rows, only the first with a positive weight: the weighted mean would be that one person's y exactly.
        var d = Generate(15, 15);
        var fw = Enumerable.Range(0, 15).Select(i => i == 0 ? 5L : 0L).ToArray();
        var mean = Analysis(_engine, d with { Fw = fw, Pw = fw.Select(v => (double)v).ToArray() })
            .Weighted(kind == WeightKind.Frequency ? "fw" : "pw", kind).Mean("y");
        Assert.Null(mean.Cell("mean(y)"));
        Assert.Equal("suppressed", mean.Table.Text("status", 0));
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
