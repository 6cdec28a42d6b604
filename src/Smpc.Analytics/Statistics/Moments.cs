// Sums, means, variances and standard deviations of cells from their secret totals (CellTotals).
//
// What: with y = x − c (c the public centre), count C (or weight total W), S = Σw·y and Q = Σw·y²:
//   sum      = S + c·D                                  (exact; D = C, or W when weighted)
//   mean     = floor(S'·2^e / D) − h·2^e + c·2^e,  S' = S + h·D ≥ 0 (h = half range)   at scale 2^(f+e)
//   variance = (Q·2^e − μ'·S) / (C − 1)   unweighted (sample variance),  … / W weighted (Σw(x−μ)²/Σw)
//   std dev  = floor(sqrt(variance))                                     at scale 2^(f+e/2)
// with μ' = floor(S·2^e/D) the mean at scale 2^(f+e). e (even, ≤ 20) is the largest precision the declared
// bounds allow; if even e = 0 does not fit, a RangeException names the column.
// Error bounds (real units, relative to the exact statistic of the encoded values; asserted in tests):
//   sum, count: exact;  mean: in (−2^−(f+e), 0];
//   variance: |err| ≤ h·C/(C−1)·2^−(f+e) + 2^−(2f+e) (h in real units; C/(C−1) → 1 when weighted);
//   std dev: |err| ≤ min(√v_err, v_err/√variance) + 2^−(f+e/2).
// References: restoring division and square root (Statistics/SecureDivision.cs); the centred one-pass
// formulas are Chan, Golub & LeVeque, "Algorithms for computing the sample variance" (Am. Stat. 1983), §2.
// Security: semi-honest, honest majority. Leakage: none (results stay shared until disclosure control).
// Cost: mean ~ (bits) × 11 rounds; variance adds one product round and a second division; std dev a square root.
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class Moments
{
    /// <summary>A secret statistic per selected cell, its scale (fraction bits) and its error bound in real units.</summary>
    public sealed record Result(SecretVector Values, int Scale, double ErrorBound, string Formula);

    /// <summary>Precision plan for one column: extra bits e and the quotient sizes.</summary>
    internal sealed record Plan(int ExtraBits, int MeanBits, int VarianceBits, int RootBits, double HalfRange, double DenominatorMax);

    internal static Plan MakePlan(CellTotals t, ColumnTotals c, bool variance)
    {
        double h = c.HalfRange;
        double dmax = t.Rows * (t.Weight is null ? 1 : ColumnBounds.Magnitude(t.Weight));
        for (int e = 20; e >= 0; e -= 2)
        {
            double scale = Math.ScaleB(1.0, e);
            int meanBits = SecureDivision.BitsFor(2 * h * scale);
            int varBits = SecureDivision.BitsFor(2 * h * h * scale + 2);
            bool fits = dmax * Math.ScaleB(1.0, meanBits) < Math.ScaleB(1.0, 61)
                        && 2 * ColumnBounds.Magnitude(c.Spec) * scale < Math.ScaleB(1.0, 61)
                        && (!variance || (dmax * Math.ScaleB(1.0, varBits) < Math.ScaleB(1.0, 61) && 2 * dmax * h * h * scale < Math.ScaleB(1.0, 61)));
            if (fits) return new Plan(e, meanBits, varBits, SecureDivision.BitsFor(Math.Sqrt(2 * h * h * scale + 2) + 1), h, dmax);
        }
        throw new RangeException($"{(variance ? "Variance" : "Mean")} of '{c.Spec.Name}' over {t.Rows} rows: the division needs denominators up to {dmax:G4} times quotients up to {2 * h:G4} (encoded), beyond 2^61. Declare tighter bounds for '{c.Spec.Name}', use fewer fraction bits, or aggregate fewer rows.");
    }

    /// <summary>Σx per selected cell (exact), at scale f + fw.</summary>
    public static Result Sum(CellTotals t, string column, int[] cells)
    {
        var e = t.Engine;
        var c = t.Column(column);
        var denominator = e.Gather(t.WeightTotal ?? t.Count, cells);
        var sum = e.Add(e.Gather(c.Sum, cells), e.MultiplyPublic(denominator, unchecked((ulong)c.Center)));
        return new Result(sum, c.Spec.Scale + t.WeightScale, 0, t.Weight is null ? "Σx" : $"Σ{t.Weight.Name}·x");
    }

    /// <summary>Count (or weight total when weighted) per selected cell (exact).</summary>
    public static Result Count(CellTotals t, int[] cells) =>
        new(t.Engine.Gather(t.WeightTotal ?? t.Count, cells), t.WeightScale, 0, t.Weight is null ? "number of rows" : $"Σ{t.Weight.Name}");

    /// <summary>Mean per selected cell. Cells must have count ≥ 1 (disclosure control guarantees it for released cells).</summary>
    public static Result Mean(CellTotals t, string column, int[] cells)
    {
        var c = t.Column(column);
        var plan = MakePlan(t, c, variance: false);
        var (mu, _) = CenteredMean(t, c, plan, cells);
        var e = t.Engine;
        var mean = e.AddPublic(mu, unchecked((ulong)(c.Center << plan.ExtraBits)));
        int scale = c.Spec.Scale + plan.ExtraBits;
        return new Result(mean, scale, Math.ScaleB(1.0, -scale), t.Weight is null ? "Σx / n" : $"Σw·x / Σw (w = {t.Weight.Name})");
    }

    /// <summary>μ' = floor(S·2^e / D) at scale f+e (centred), and D.</summary>
    static (SecretVector Mu, SecretVector D) CenteredMean(CellTotals t, ColumnTotals c, Plan plan, int[] cells)
    {
        var e = t.Engine;
        var d = e.Gather(t.WeightTotal ?? t.Count, cells);
        var s = e.Gather(c.Sum, cells);
        ulong h = (ulong)plan.HalfRange;
        var shifted = e.MultiplyPublic(e.Add(s, e.MultiplyPublic(d, h)), 1UL << plan.ExtraBits);
        var q = SecureDivision.Divide(e, shifted, d, plan.MeanBits);
        return (e.AddPublic(q, unchecked(0UL - (h << plan.ExtraBits))), d);
    }

    /// <summary>Variance per selected cell: sample variance (n − 1) unweighted, Σw(x−μ)²/Σw weighted. Needs count ≥ 2.</summary>
    public static Result Variance(CellTotals t, string column, int[] cells)
    {
        var c = t.Column(column);
        if (c.SumSquares is null) throw new QueryException($"Variance of '{column}' needs its sum of squares; aggregate it with squares.");
        var plan = MakePlan(t, c, variance: true);
        var e = t.Engine;
        var (mu, d) = CenteredMean(t, c, plan, cells);
        var s = e.Gather(c.Sum, cells);
        var ss = e.Subtract(e.MultiplyPublic(e.Gather(c.SumSquares, cells), 1UL << plan.ExtraBits), e.Multiply(mu, s));
        var den = t.WeightTotal is null ? e.AddPublic(d, ulong.MaxValue) : d;
        var v = SecureDivision.Divide(e, ss, den, plan.VarianceBits);
        int scale = 2 * c.Spec.Scale + plan.ExtraBits;
        double hReal = plan.HalfRange * Math.ScaleB(1.0, -c.Spec.Scale);
        double bound = hReal * (t.WeightTotal is null ? 2 : 1) * Math.ScaleB(1.0, -(c.Spec.Scale + plan.ExtraBits)) + Math.ScaleB(1.0, -scale);
        return new Result(v, scale, bound, t.Weight is null ? "Σ(x − mean)² / (n − 1)" : $"Σw(x − mean)² / Σw (w = {t.Weight.Name})");
    }

    /// <summary>Standard deviation per selected cell (square root of <see cref="Variance"/>).</summary>
    public static Result StdDev(CellTotals t, string column, int[] cells)
    {
        var variance = Variance(t, column, cells);
        var plan = MakePlan(t, t.Column(column), variance: true);
        var root = SecureDivision.Sqrt(t.Engine, variance.Values, plan.RootBits);
        int scale = variance.Scale / 2;
        // The released bound uses the worst case √v_err; analysts may tighten it with v_err / √variance.
        return new Result(root, scale, Math.Sqrt(variance.ErrorBound) + Math.ScaleB(1.0, -scale), "√variance");
    }
}
