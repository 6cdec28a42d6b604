using System.Numerics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Tests.Statistics;

/// <summary>
/// The range arithmetic of 10 million rows of money bounded ±10^7, without running 10 million rows through the
/// protocols: the range checks (from public bounds and the row count only) pass, and the totals-level arithmetic —
/// variance and standard deviation from the exact sums of 10^7 generated rows — is within the stated bound of an exact
/// (big-integer) reference, on both engines, bit for bit the same.
/// </summary>
public sealed class RangePlanTests
{
    const long TenMillion = 10_000_000;

    static ColumnSpec Money(string name, int bits, double bound = 1e7) =>
        new() { Name = name, Kind = ColumnKind.FixedPoint, FractionBits = bits, Min = -bound, Max = bound };

    static readonly ColumnSpec Weight = new() { Name = "weight", Kind = ColumnKind.FixedPoint, FractionBits = 4, Min = 0, Max = 1000 };

    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    public void Variance_range_check_passes_for_10_million_rows_bounded_10_million(int fractionBits)
    {
        var spec = Money("balance", fractionBits);
        double h = ColumnBounds.HalfRange(spec);
        // The exact squares reach n·h² ≈ 2^(23.3 + 2·(23.3 + f)): far beyond the ring; that is what was refused.
        Assert.False(ColumnBounds.VarianceFits(TenMillion, h, 0));
        int d = ColumnBounds.SquareShift(TenMillion, 1, spec, "variance");
        Assert.True(ColumnBounds.VarianceFits(TenMillion, ColumnBounds.ReducedHalfRange(spec, d), 0));
        Assert.False(ColumnBounds.VarianceFits(TenMillion, ColumnBounds.ReducedHalfRange(spec, d - 1), 0));   // the fewest bits
        // Rounding unit u = 2^(d − f) = 64 whatever f: the stated bounds, Moments.cs (k = 2 unweighted):
        double u = Math.ScaleB(1.0, d - fractionBits);
        Assert.Equal(64, u);
        double hReal = h * Math.ScaleB(1.0, -fractionBits);
        double worst = 2 * (u * hReal + u * u / 4);
        Assert.InRange(worst / (hReal * hReal), 0, 1.3e-5);                 // ≤ 1.3e-5 of the largest possible variance
        Assert.InRange(Math.Sqrt(2) * u / 2, 45, 46);                       // std dev: rounding part ≤ 45.3 units
        // The exact sum (the released Σx) fits at 8 fraction bits only; at 16 a mean is computed from values rounded
        // down to multiples of 2^(d − f) = 2^−12 (error within (−2^−12 − 2^−(f−d+e), 0]).
        Assert.Equal(fractionBits == 8, ColumnBounds.ExactMeanFits(TenMillion, 1, spec));
        if (fractionBits == 16) Assert.Equal(4, ColumnBounds.MeanShift(TenMillion, 1, spec, "mean"));
    }

    [Fact]
    public void Weighted_variance_range_check_passes_for_10_million_rows_with_weights_up_to_1000()
    {
        var spec = Money("balance", 16);
        double wmax = ColumnBounds.Magnitude(Weight);                       // 1000 at 4 fraction bits: 16,000 encoded
        int d = ColumnBounds.SquareShift(TenMillion, wmax, spec, "weighted variance");
        Assert.True(ColumnBounds.VarianceFits(TenMillion * wmax, ColumnBounds.ReducedHalfRange(spec, d), 0));
        // Σw may reach 1.6·10^11 encoded, so the values keep 11 bits: u = 8192 (std dev within ±4096 + division).
        Assert.Equal(8192, Math.ScaleB(1.0, d - 16));
    }

    [Fact]
    public void Correlation_and_ols_range_checks_pass_for_10_million_rows_bounded_10_million()
    {
        ColumnSpec[] specs = [Money("balance", 16), Money("income", 16), new() { Name = "deposits", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 200_000 }];
        var mags = new double[4];
        var dropped = NormalizedGram.PlanRanges(TenMillion, 1, specs, center: true, precise: true, mags);
        Assert.Equal([0, 21, 21, 7], dropped);                              // balance and income rounded to multiples of 32, deposits of 0.5
        Assert.True(Correlation.PreciseFits(TenMillion, 1));
        var shift = mags.Select(m => (int)Math.Ceiling(Math.Log2(Math.Max(1, m)))).ToArray();
        double centreRatio = Enumerable.Range(1, 3).Max(j => Math.Abs(ColumnBounds.Center(specs[j - 1]) * Math.ScaleB(1.0, -(shift[j] + dropped[j]))));
        Regression.CheckRanges(TenMillion, 3, Math.Max(1, centreRatio));     // OLS with two covariates: no RangeException
        // Weighted correlation (weights ≤ 1000) over 10^7 rows: at 20 bits.
        Assert.False(Correlation.PreciseFits(TenMillion, ColumnBounds.Magnitude(Weight)));
        NormalizedGram.PlanRanges(TenMillion, ColumnBounds.Magnitude(Weight), specs[..2], center: true, precise: false);
    }

    [Fact]
    public void A_variance_that_cannot_fit_names_the_sum_of_squares()
    {
        var heavy = new ColumnSpec { Name = "w", Kind = ColumnKind.FixedPoint, FractionBits = 16, Min = 0, Max = 1e6 };
        var ex = Assert.Throws<RangeException>(() => ColumnBounds.SquareShift(TenMillion, ColumnBounds.Magnitude(heavy), Money("balance", 16), "Variance of 'balance' weighted by 'w'"));
        Assert.Contains("sum of squares Σw·y²", ex.Message);
        Assert.Contains("(half range)²", ex.Message);
    }

    /// <summary>Row i of a deterministic money-like column (encoded at 16 fraction bits, within ±10^7) and a weight.</summary>
    static (long X, long W) Row(long i)
    {
        ulong z = (ulong)i * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL;
        ulong Next() { z ^= z >> 30; z *= 0xBF58476D1CE4E5B9UL; z ^= z >> 27; z *= 0x94D049BB133111EBUL; z ^= z >> 31; return z; }
        double u1 = (Next() >> 11) * Math.ScaleB(1.0, -53), u2 = (Next() >> 11) * Math.ScaleB(1.0, -53), u3 = (Next() >> 11) * Math.ScaleB(1.0, -53);
        double normal = Math.Sqrt(-2 * Math.Log(1 - u1)) * Math.Cos(2 * Math.PI * u2);
        double magnitude = Math.Exp((u3 < 0.3 ? 13 : 8) + 1.3 * normal);
        double x = Math.Clamp(u3 < 0.05 ? -magnitude / 10 : magnitude, -1e7, 1e7);
        long w = 16 + (long)((Next() >> 11) * Math.ScaleB(1.0, -53) * 200 * 16);      // 1 … 201 at 4 fraction bits
        return ((long)Math.Round(Math.ScaleB(x, 16)), w);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Variance_and_std_dev_of_10_million_rows_from_their_totals_are_within_the_stated_bound(bool secure, bool weighted)
    {
        var spec = Money("balance", 16);
        double wmax = weighted ? ColumnBounds.Magnitude(Weight) : 1;
        int d = ColumnBounds.SquareShift(TenMillion, wmax, spec, "variance");
        // The totals the aggregator computes on shares (centre 0 for symmetric bounds): W = Σw, S = Σw·y', Q = Σw·y'²,
        // y' = floor(x / 2^d); and exact references Σw·x, Σw·x² (big integers).
        int dm = ColumnBounds.MeanShift(TenMillion, wmax, spec, "mean");
        Int128 W = 0, S = 0, Q = 0, Sx = 0, Qx = 0, Sm = 0;
        for (long i = 0; i < TenMillion; i++)
        {
            var (x, w) = Row(i);
            if (!weighted) w = 1;
            long y = x >> d;
            W += w; S += (Int128)w * y; Sm += (Int128)w * (x >> dm); Q += (Int128)w * y * y; Sx += (Int128)w * x; Qx += (Int128)w * x * x;
        }
        Assert.True(Q < ((Int128)1 << 61) && Int128.Abs(S) < ((Int128)1 << 61) && W < ((Int128)1 << 61));   // the ring holds them
        BigInteger bw = (BigInteger)W, bs = (BigInteger)Sx, bq = (BigInteger)Qx;
        BigInteger n = TenMillion;
        // Exact sample variance (unweighted) or Σw(x − μ)²/Σw (weighted), in encoded units², as a double.
        double exact = weighted ? (double)(bq * bw - bs * bs) / (double)(bw * bw) : (double)(bq * n - bs * bs) / (double)(n * (n - 1));
        exact *= Math.ScaleB(1.0, -32);

        using IComputeEngine e = secure ? new SecureEngine() : new PlaintextEngine();
        var layout = new CellLayout([], []);
        var column = new ColumnTotals(spec, 0, null, e.Share([(ulong)(long)Q])) { ReducedShift = d, ReducedSum = e.Share([unchecked((ulong)(long)S)]), MeanShift = dm, MeanSum = e.Share([unchecked((ulong)(long)Sm)]) };
        var totals = new CellTotals(layout, TenMillion, e.Share([(ulong)TenMillion]), weighted ? e.Share([(ulong)(long)W]) : null, weighted ? Weight.Scale : 0,
                                    new Dictionary<string, ColumnTotals> { ["balance"] = column }, weighted ? Weight : null) { Engine = e };
        var v = Moments.Variance(totals, "balance", [0]);
        var sd = Moments.StdDev(totals, "balance", [0]);
        var mean = Moments.Mean(totals, "balance", [0]);        // the exact Σw·x leaves the ring: from values rounded by dm bits
        var opened = e.Reveal(e.Concat([v.Values, sd.Values, mean.Values]));
        double gotV = (long)opened[0] * Math.ScaleB(1.0, -v.Scale), gotSd = (long)opened[1] * Math.ScaleB(1.0, -sd.Scale);
        double exactMean = (double)bs / (double)bw * Math.ScaleB(1.0, -16);
        Assert.InRange(exactMean - (long)opened[2] * Math.ScaleB(1.0, -mean.Scale), -1e-6, mean.ErrorBound);
        Assert.InRange(mean.ErrorBound, 0, weighted ? 8 : 1e-3);   // rounded to 4 (Σw up to 1.6·10^11 encoded) or 2^−12
        Assert.InRange(Math.Abs(gotV - exact), 0, v.ErrorBound);
        Assert.InRange(Math.Abs(gotSd - Math.Sqrt(exact)), 0, sd.ErrorBound);
        // The data-dependent form is far tighter than the worst case: √k·u·sd + k·u²/4 + the division's k·2^−scale.
        double k = weighted ? 1 : 2, u = Math.ScaleB(1.0, d - 16);
        Assert.InRange(Math.Abs(gotV - exact), 0, Math.Sqrt(k) * u * Math.Sqrt(exact) + k * u * u / 4 + k * Math.ScaleB(1.0, -v.Scale));
        Assert.InRange(Math.Abs(gotSd - Math.Sqrt(exact)), 0, Math.Sqrt(k) * u / 2 + k * Math.ScaleB(1.0, -v.Scale) / Math.Sqrt(exact) + Math.ScaleB(1.0, -sd.Scale));
        Assert.InRange(Math.Abs(gotSd - Math.Sqrt(exact)) / Math.Sqrt(exact), 0, 1e-3);
        // Deterministic: the same bits as the other engine.
        if (secure)
        {
            using var plain = new PlaintextEngine();
            var pc = new ColumnTotals(spec, 0, null, plain.Share([(ulong)(long)Q])) { ReducedShift = d, ReducedSum = plain.Share([unchecked((ulong)(long)S)]), MeanShift = dm, MeanSum = plain.Share([unchecked((ulong)(long)Sm)]) };
            var pt = new CellTotals(layout, TenMillion, plain.Share([(ulong)TenMillion]), weighted ? plain.Share([(ulong)(long)W]) : null, weighted ? Weight.Scale : 0,
                                    new Dictionary<string, ColumnTotals> { ["balance"] = pc }, weighted ? Weight : null) { Engine = plain };
            Assert.Equal(plain.Reveal(plain.Concat([Moments.Variance(pt, "balance", [0]).Values, Moments.StdDev(pt, "balance", [0]).Values, Moments.Mean(pt, "balance", [0]).Values])), opened);
        }
    }
}
