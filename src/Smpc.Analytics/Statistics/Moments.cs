// Sums, means, variances and standard deviations of cells from their secret totals (CellTotals).
//
// What: with y = x − c (c the public centre), count C (or weight total W; D = C or W), S = Σw·y:
//   sum      = S + c·D                                  (exact)
//   mean     = floor(S'·2^e / D) − h·2^e + c·2^e,  S' = S + h·D ≥ 0 (h = half range)   at scale 2^(f+e)
// Variances use y' = floor(y / 2^d) (d low bits dropped before squaring, d = 0 whenever the exact values fit; see
// ColumnBounds.SquareShift), S = Σw·y', Q = Σw·y'², f' = f − d and m = e/2:
//   μ' = floor(S·2^m / D),  R = S·2^m − μ'·D ∈ [0, D)                     (one division with its remainder)
//   N  = 2^(2m)·Q − 2^m·μ'·S − μ'·R  =  2^(2m)·(Q − S²/D) + R²/D         (exact; 0 ≤ R²/D < D)
//   variance = floor(N / (C − 1))  unweighted (sample variance),  floor(N / W) weighted (Σw(x−μ)²/Σw)   at 2^(2f'+e)
//   std dev  = floor(sqrt(variance·2^(2j)))      at scale 2^(f'+m+j), j ≤ 10 extra bits as the range allows
// The remainder term removes the rounding of the mean from the variance (no |mean − centre| term in its error).
// e (even, ≤ 20) is the largest precision the declared bounds allow.
// Error bounds (real units, relative to the exact statistic of the encoded values; k = 2 unweighted (the worst
// case C/(C−1) at C = 2), 1 weighted; u = 2^(d−f) the rounding unit, h the half range; asserted in tests):
//   sum, count: exact;  mean: in (−2^−(f+e), 0];  a mean whose exact sum would leave the ring (its sum is not asked
//   for) is computed from values rounded by its own ColumnBounds.MeanShift: in (−u − 2^−(f−d+e), 0];
//   variance: |err| < k·2^−(2f'+e)                                              when d = 0,
//             |err| ≤ k·2^−(2f'+e) + √k·u·√variance + k·u²/4 ≤ k·2^−(2f'+e) + k·(u·h + u²/4)   when d > 0
//     (rounding x down to x − ε, 0 ≤ ε < u: var(x − ε) − var(x) = var(ε) − 2cov(x, ε), |cov| ≤ sd(x)·sd(ε),
//      var(ε) ≤ k·u²/4 — Cauchy–Schwarz and Popoviciu's inequality);
//   std dev: |err| ≤ √(k·2^−(2f'+e)) + 2^−(f'+m+j) (+ √k·u/2 when d > 0, since |sd(x − ε) − sd(x)| ≤ sd(ε)).
// With v_err = k·2^−(2f'+e), the std dev's division part is also at most v_err / sd (|√a − √b| ≤ |a − b| / √b), which
// the release states next to the worst case. So a balance bounded ±10^7 over 10^7 rows (any f) drops to u = 64 and
// e = 0 (2f' + e = −12 at f = 16): variance within √2·64·sd + 2·64²/4 + 8192, std dev within 45.3 + 8192/sd + 2^−4
// (worst case 136 as sd → 0) — the 64-bit ring's resolution for 10^7 squares of ±10^7.
// References: long division and square root with 8- to 12-bit digits (Statistics/SecureDivision.cs); the centred one-pass
// formulas are Chan, Golub & LeVeque, "Algorithms for computing the sample variance" (Am. Stat. 1983), §2.
// Security: semi-honest, honest majority. Leakage: none (results stay shared until disclosure control); the
// precision d, e, j depends only on public bounds and the table length.
// Cost: mean at most 11·⌈bits/8⌉ − 1 rounds (48 bits over 5 cells: 43); variance one division with remainder, one product round and a second division
// (plus one exact truncation of the rows when d > 0); std dev a square root.
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class Moments
{
    /// <summary>A secret statistic per selected cell, its scale (fraction bits) and its error bound in real units.</summary>
    public sealed record Result(SecretVector Values, int Scale, double ErrorBound, string Formula);

    /// <summary>Precision plan of a mean: extra bits e and the quotient size.</summary>
    internal sealed record Plan(int ExtraBits, int MeanBits, double HalfRange, double DenominatorMax);

    internal static Plan MakePlan(CellTotals t, ColumnTotals c)
    {
        double h = c.HalfRange;
        double dmax = t.Rows * (t.Weight is null ? 1 : ColumnBounds.Magnitude(t.Weight));
        for (int e = 20; e >= 0; e -= 2)
        {
            double scale = Math.ScaleB(1.0, e);
            int meanBits = SecureDivision.BitsFor(2 * h * scale);
            if (dmax * Math.ScaleB(1.0, meanBits) < Math.ScaleB(1.0, 61) && 2 * ColumnBounds.Magnitude(c.Spec) * scale < Math.ScaleB(1.0, 61))
                return new Plan(e, meanBits, h, dmax);
        }
        throw new RangeException($"Mean of '{c.Spec.Name}' over {t.Rows} rows: the division needs denominators up to {dmax:G4} (rows × largest weight, encoded) times quotients up to 2·(half range) = {2 * h:G4} (encoded), beyond 2^61. Declare tighter bounds for '{c.Spec.Name}', use fewer fraction bits, or aggregate fewer rows.");
    }

    /// <summary>Σx per selected cell (exact), at scale f + fw.</summary>
    public static Result Sum(CellTotals t, string column, int[] cells)
    {
        var e = t.Engine;
        var c = t.Column(column);
        var denominator = e.Gather(t.WeightTotal ?? t.Count, cells);
        if (c.Sum is null)
            throw c.MeanSum is null ? new QueryException($"Sum of '{column}' was not aggregated in this query.")
                : new RangeException($"Sum of '{column}' over {t.Rows} rows: the exact sum may reach rows × largest weight × largest |value| = {t.Rows * (t.Weight is null ? 1 : ColumnBounds.Magnitude(t.Weight)) * ColumnBounds.Magnitude(c.Spec):G4} (encoded), beyond 2^62; only its mean (from values rounded down to multiples of {Math.ScaleB(1.0, c.MeanShift - c.Spec.Scale):G4}) can be computed.");
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
        if (c.Sum is null && c.MeanSum is not null) return RoundedMean(t, c, cells);
        var plan = MakePlan(t, c);
        var (mu, _) = CenteredMean(t, c, plan, cells);
        var e = t.Engine;
        var mean = e.AddPublic(mu, unchecked((ulong)(c.Center << plan.ExtraBits)));
        int scale = c.Spec.Scale + plan.ExtraBits;
        return new Result(mean, scale, Math.ScaleB(1.0, -scale), t.Weight is null ? "Σx / n" : $"Σw·x / Σw (w = {t.Weight.Name})");
    }

    /// <summary>
    /// Mean from the values rounded down to multiples of u = 2^(d − f) (the exact sum would leave the ring):
    /// floor(S'·2^e / D)·2^d + c·2^e at scale 2^(f+e), S' = Σw·floor(y / 2^d); the error is in (−u − 2^−(f−d+e), 0].
    /// </summary>
    static Result RoundedMean(CellTotals t, ColumnTotals c, int[] cells)
    {
        var e = t.Engine;
        double h = ColumnBounds.ReducedHalfRange(c.Spec, c.MeanShift);
        double dmax = t.Rows * (t.Weight is null ? 1 : ColumnBounds.Magnitude(t.Weight));
        int extra = -1;
        for (int x = 20; x >= 0 && extra < 0; x -= 2)
            if (ColumnBounds.MeanFits(dmax, h, ColumnBounds.Magnitude(c.Spec), x)) extra = x;
        if (extra < 0) throw new RangeException($"Mean of '{c.Spec.Name}' over {t.Rows} rows: the division needs denominators up to {dmax:G4} (rows × largest weight, encoded) times quotients up to 2·(half range) = {2 * h:G4} (after dropping {c.MeanShift} low bits), beyond 2^61. The precision was chosen for the rows of one batch: aggregate fewer rows.");
        var d = e.Gather(t.WeightTotal ?? t.Count, cells);
        var s = e.Gather(c.MeanSum!, cells);
        ulong hu = (ulong)h;
        var q = SecureDivision.Divide(e, e.MultiplyPublic(e.Add(s, e.MultiplyPublic(d, hu)), 1UL << extra), d, SecureDivision.BitsFor(2 * h * Math.ScaleB(1.0, extra)));
        var mu = e.AddPublic(q, unchecked(0UL - (hu << extra)));                                   // scale 2^(f − d + e)
        var mean = e.AddPublic(e.MultiplyPublic(mu, 1UL << c.MeanShift), unchecked((ulong)(c.Center << extra)));
        int scale = c.Spec.Scale + extra;
        double u = Math.ScaleB(1.0, c.MeanShift - c.Spec.Scale);
        return new Result(mean, scale, u + u * Math.ScaleB(1.0, -extra),
            $"{(t.Weight is null ? "Σx / n" : $"Σw·x / Σw (w = {t.Weight.Name})")} of x rounded down to a multiple of {u:G4} (the exact sum would leave the ring); error in (−{u + u * Math.ScaleB(1.0, -extra):G4}, 0]");
    }

    /// <summary>μ' = floor(S·2^e / D) at scale f+e (centred), and D.</summary>
    static (SecretVector Mu, SecretVector D) CenteredMean(CellTotals t, ColumnTotals c, Plan plan, int[] cells)
    {
        var e = t.Engine;
        var d = e.Gather(t.WeightTotal ?? t.Count, cells);
        var s = e.Gather(c.Sum ?? throw new QueryException($"Mean of '{c.Spec.Name}' needs its sum; it was not aggregated in this query."), cells);
        ulong h = (ulong)plan.HalfRange;
        var shifted = e.MultiplyPublic(e.Add(s, e.MultiplyPublic(d, h)), 1UL << plan.ExtraBits);
        var q = SecureDivision.Divide(e, shifted, d, plan.MeanBits);
        return (e.AddPublic(q, unchecked(0UL - (h << plan.ExtraBits))), d);
    }

    /// <summary>Precision plan of a variance: extra bits e (even; the mean inside carries e/2), the quotient sizes, the
    /// half range h of the centred values y' (encoded units of 2^d) and the low bits d dropped before squaring.</summary>
    internal sealed record VariancePlan(int ExtraBits, int MeanBits, int VarianceBits, int RootBits, double HalfRange, int Shift, double DenominatorMax);

    internal static VariancePlan MakeVariancePlan(CellTotals t, ColumnTotals c)
    {
        double h = c.ReducedHalfRange;
        double dmax = t.Rows * (t.Weight is null ? 1 : ColumnBounds.Magnitude(t.Weight));
        for (int e = 20; e >= 0; e -= 2)
            if (ColumnBounds.VarianceFits(dmax, h, e))
            {
                double top = 2 * h * h * Math.ScaleB(1.0, e) + 2;
                return new VariancePlan(e, SecureDivision.BitsFor(2 * h * Math.ScaleB(1.0, e / 2)), SecureDivision.BitsFor(top),
                                        SecureDivision.BitsFor(Math.Sqrt(top) + 1), h, c.ReducedShift, dmax);
            }
        string reduced = c.ReducedShift == 0 ? "" : $" after dropping {c.ReducedShift} low bits";
        throw new RangeException($"Variance of '{c.Spec.Name}' over {t.Rows} rows: the sum of squares Σw·y² may reach {dmax * h * h:G4} (rows × largest weight × (half range)², encoded; half range {h:G4}{reduced}), and its division needs denominators up to {dmax:G4} times quotients up to 2·(half range)² = {2 * h * h:G4}, beyond 2^61. The precision was chosen for the rows of one batch: aggregate fewer rows, declare tighter bounds for '{c.Spec.Name}', or use fewer fraction bits.");
    }

    /// <summary>The variance on shares, its scale, the plan and k = C/(C − 1) ≤ 2 unweighted (1 weighted).</summary>
    static (SecretVector Values, int Scale, VariancePlan Plan, double K) VarianceCore(CellTotals t, string column, int[] cells)
    {
        var c = t.Column(column);
        if (c.SumSquares is null || c.ReducedSum is null) throw new QueryException($"Variance of '{column}' needs its sum of squares; aggregate it with squares.");
        var plan = MakeVariancePlan(t, c);
        var e = t.Engine;
        int m = plan.ExtraBits / 2;
        var d = e.Gather(t.WeightTotal ?? t.Count, cells);
        var s = e.Gather(c.ReducedSum, cells);
        ulong h = (ulong)plan.HalfRange;
        // μ' = floor(S·2^m / D) and R = S·2^m − μ'·D ∈ [0, D), by one division of S + h·D ≥ 0.
        var (q, r) = SecureDivision.DivideWithRemainder(e, e.MultiplyPublic(e.Add(s, e.MultiplyPublic(d, h)), 1UL << m), d, plan.MeanBits);
        var mu = e.AddPublic(q, unchecked(0UL - (h << m)));
        // N = 2^(2m)·Q − 2^m·μ'·S − μ'·R = 2^(2m)·(Q − S²/D) + R²/D (one product round).
        int k = cells.Length;
        var products = e.Multiply(e.Concat([mu, mu]), e.Concat([s, r]));
        var muS = e.Gather(products, Enumerable.Range(0, k).ToArray());
        var muR = e.Gather(products, Enumerable.Range(k, k).ToArray());
        var numerator = e.Subtract(e.Subtract(e.MultiplyPublic(e.Gather(c.SumSquares, cells), 1UL << plan.ExtraBits), e.MultiplyPublic(muS, 1UL << m)), muR);
        // Sample variance: n − 1 unweighted, Σw − 1 for frequency weights (a row stands for w units); Σw for analytic and
        // probability weights (the weighted population variance).
        bool frequency = t.WeightTotal is not null && t.WeightKind == WeightKind.Frequency;
        if (frequency && t.Weight!.Min is { } wmin && wmin > 0 && wmin < 1)
            throw new QueryException($"Variance with frequency weights '{t.Weight.Name}': Σw − 1 needs weights of at least 1 (the declared minimum is {wmin}); frequency weights count units.");
        var den = t.WeightTotal is null ? e.AddPublic(d, ulong.MaxValue) : frequency ? e.AddPublic(d, unchecked(0UL - (1UL << t.WeightScale))) : d;
        var v = SecureDivision.Divide(e, numerator, den, plan.VarianceBits);
        return (v, 2 * (c.Spec.Scale - plan.Shift) + plan.ExtraBits, plan, t.WeightTotal is null || frequency ? 2 : 1);
    }

    /// <summary>Real size of one unit of the reduced values y' (2^(d − f)).</summary>
    static double Unit(ColumnTotals c) => Math.ScaleB(1.0, c.ReducedShift - c.Spec.Scale);

    /// <summary>Variance per selected cell: sample variance (n − 1) unweighted, Σw(x−μ)²/Σw weighted. Needs count ≥ 2.</summary>
    public static Result Variance(CellTotals t, string column, int[] cells)
    {
        var (v, scale, plan, k) = VarianceCore(t, column, cells);
        var c = t.Column(column);
        double division = k * Math.ScaleB(1.0, -scale);
        string formula = t.Weight is null ? "Σ(x − mean)² / (n − 1)"
            : t.WeightKind == WeightKind.Frequency ? $"Σw(x − mean)² / (Σw − 1) (frequency weights w = {t.Weight.Name})"
            : $"Σw(x − mean)² / Σw (w = {t.Weight.Name})";
        if (plan.Shift == 0) return new Result(v, scale, division, formula);
        double u = Unit(c), h = c.HalfRange * Math.ScaleB(1.0, -c.Spec.Scale);
        double bound = division + k * (u * h + u * u / 4);
        return new Result(v, scale, bound, $"{formula} of x rounded down to a multiple of {u:G4} before squaring (the range allows no finer); |error| ≤ {Math.Sqrt(k) * u:G4}·sd + {k * u * u / 4 + division:G4}");
    }

    /// <summary>Standard deviation per selected cell (square root of <see cref="Variance"/>), with up to 10 extra fraction
    /// bits in the root when the range allows.</summary>
    public static Result StdDev(CellTotals t, string column, int[] cells)
    {
        var (v, scale, plan, k) = VarianceCore(t, column, cells);
        var c = t.Column(column);
        var e = t.Engine;
        double top = 2 * plan.HalfRange * plan.HalfRange * Math.ScaleB(1.0, plan.ExtraBits) + 2;
        int j = 0;
        while (j < 10 && top * Math.ScaleB(1.0, 2 * (j + 1)) < Math.ScaleB(1.0, 62) && SecureDivision.BitsFor(Math.Sqrt(top) * Math.ScaleB(1.0, j + 1) + 1) <= 31) j++;
        var root = SecureDivision.Sqrt(e, j == 0 ? v : e.MultiplyPublic(v, 1UL << (2 * j)), SecureDivision.BitsFor(Math.Sqrt(top) * Math.ScaleB(1.0, j) + 1));
        int rootScale = scale / 2 + j;
        // |√a − √b| ≤ √|a − b|: the worst case of the variance's division error; v_err / √variance is tighter.
        double bound = Math.Sqrt(k * Math.ScaleB(1.0, -scale)) + Math.ScaleB(1.0, -rootScale);
        if (plan.Shift == 0) return new Result(root, rootScale, bound, "√variance");
        double u = Unit(c);
        return new Result(root, rootScale, bound + Math.Sqrt(k) * u / 2,
            $"√variance of x rounded down to a multiple of {u:G4} before squaring (the range allows no finer); |error| ≤ {Math.Sqrt(k) * u / 2 + Math.ScaleB(1.0, -rootScale):G4} + {k * Math.ScaleB(1.0, -scale):G4} / sd");
    }
}
