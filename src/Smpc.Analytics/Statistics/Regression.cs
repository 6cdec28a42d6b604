// Ordinary least squares solved inside the computation: coefficients, standard errors, R².
//
// What: with the normalised Gram matrix Ā of (1, x̄_1 … x̄_p, ȳ) (Statistics/NormalizedGram.cs; x̄ = x/2^l, so
// |Ā| ≤ 1), Gauss–Jordan elimination on [Ā_xx | I | ā_xy] at scale 2^20 — one secure reciprocal of each pivot
// (an exact long division, floor(2^40 / pivot)), then products and truncation — gives Ā_xx^{-1} and β̄ = Ā_xx^{-1}·ā_xy. Then
//   s̄ = ȳȳ − β̄·ā_xy  (= RSS / (n·2^(2 l_y))),   σ̄² = s̄ · n / (n − k),   SE(β̄_j) = √(σ̄²·(Ā^{-1})_jj) / √n,
//   R² = 1 − s̄ / (ȳȳ − ā_0²).
// Covariates and response are centred at their declared midpoints c (better conditioning); only β̄, SE(β̄) and R²
// are opened (to the analyst, after the cell-size rule on n) and map to the original units by public arithmetic:
// β_j = β̄_j·2^(l_y − l_j)·2^(f_j − f_y), intercept = (c_y + 2^l_y·(β̄_0 − Σ_j β̄_j·c_j/2^l_j)) / 2^f_y, whose
// standard error uses u'Ā^{-1}u (u = (1, −c_j/2^l_j)) in place of (Ā^{-1})_00.
// Why a secure solve: revealing X'X would tell the compute parties the row count, every column's sum and every
// cross-product; the solve costs k sequential reciprocals instead (k ≤ ~12 here). Gram–Jordan without pivoting is
// stable for symmetric positive definite matrices (Higham, "Accuracy and Stability of Numerical Algorithms", 2002,
// §10.1 / §14.4); every Schur-complement entry stays ≤ 1, so products stay in range.
// The residual part (ā, ȳȳ) is also computed at 30 fraction bits, since s̄ = ȳȳ − β̄·ā cancels most leading bits.
// One step of iterative refinement with Ā at 30 bits removes the condition-number amplification of its rounding.
// Leakage: one bit to the compute parties — whether some pivot fell below 2^−10 (collinear or extremely
// ill-conditioned design), opened so that a singular design gives an error instead of a wrong answer.
// Precision: ~2^−20 per operation, amplified by the condition number of Ā; tests assert agreement with plaintext OLS within 1% of each
// coefficient's standard error, 1e−3 relative for standard errors and 1e−3 for R².
// Weighted (WeightKind; the coefficients and R² are the same for every kind, only the standard errors differ):
//   frequency:   n = Σw (weight-0 rows do not count), σ² = Σw·e² / (Σw − k), V = σ²·(X'WX)^{-1};
//   analytic:    n = #{rows with w > 0}, σ² = Σw·e² / (n − k) with w normalised to sum to n, i.e. V = Σw·e²/(n − k)·(X'WX)^{-1}
//                (scale-free in w; Stata's aweights);
//   probability: design-based linearisation (Binder 1983; Fuller 1975; Stata's svy: regress without strata or
//                clusters, each row its own PSU): V = (X'WX)^{-1} (Σ w_i²e_i² x_i x_i') (X'WX)^{-1} · n/(n − 1),
//                n = #{rows with w > 0}. Residuals e_i are computed per row on shares from the shared β̄ (nothing opened);
//                see Sandwich below for scales and ranges.
// In normalised units (Ā = X̄'WX̄/Σw) all three are SE_j = √(σ̄²·(Ā^{-1})_jj / N) with σ̄² = s̄·N/(N − k), N = Σw or
// n; the sandwich is SE_j = √((Ā^{-1}CĀ^{-1})_jj / (Ω·(n − 1)/n)) with C = Σω²ē²x̄x̄'/Ω, ω = w/2^sw ≤ 1, Ω = Σω.
// Model-based standard errors: SE_j = √s̄ · √(Ā^{-1})_jj / √(N − k) (= √(σ̄²·(Ā^{-1})_jj / N)); √(N − k) depends on the
// row count only and rides with the second pivot's reciprocal; its reciprocal, √s̄ and √(Ā^{-1})_jj run with R²; then
// two products. Precision: √(N − k) at 2^8…2^20 (as the largest N allows), 1/√(N − k) at 2^27, √s̄/√(N − k) at 2^34,
// SE at 2^28 (floors).
// Cost: Gram (1–2 rounds) + normalisation (one batch of divisions) + the first pivot, Ā_00 = 1 (one product with
// truncation, 10 rounds) + (k − 1) × (reciprocal: a 31-bit division of one value in two 16-bit digits, 21 rounds; two
// products with truncation, 20 rounds) + refinement and residual (40) + one batch of two divisions and k + 1 square
// roots (≤ 32 rounds) + two products with truncation (20): OLS with 10 covariates 585 rounds.
// Range: normalised coefficients and inverse entries must stay below 2^11.
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class Regression
{
    const int Fs = NormalizedGram.Fs;
    const int L = 10;                // pivots below 2^−L are refused (ill-conditioned): keeps every product below 2^62
    const int Fh = 27;               // 1/√(N − k) at 2^Fh (≤ 1 when N > k)
    const int Fw = 34;               // √s̄/√(N − k) at 2^Fw

    /// <summary>Secret results in normalised units: coefficients and R² at 2^20, standard errors at 2^28 (k each).
    /// <see cref="Rows"/> is the number of rows the fit rests on, the basis of the cell-size rule: rows in the mask,
    /// and when weighted only those with a positive weight (people, never Σw).</summary>
    public sealed record Fit(SecretVector Coefficients, SecretVector StandardErrors, SecretVector RSquared, NormalizedGram Gram)
    {
        public required SecretVector Rows { get; init; }
    }

    /// <summary>Fraction bits of <see cref="Fit.StandardErrors"/> (coefficients and R² are at 2^20).</summary>
    public const int SeScale = 28;

    /// <summary>
    /// s̄ = ȳȳ − 2·β̄·ā + β̄'Āβ̄ with Ā, ā, ȳȳ at 2^30 (scale 2^30): the residual sum of squares in a form that is
    /// stationary at the optimum, so the 2^−20 error of β̄ enters only to second order (ȳȳ − β̄·ā would lose most of
    /// its leading bits to cancellation).
    /// </summary>
    static SecretVector ResidualMeanSquare(NormalizedGram g, SecretVector beta, int k)
    {
        var e = g.Engine;
        int size = g.Size;
        var a30 = g.PreciseMatrix!;
        var rows = Enumerable.Range(0, k).Select(i => (e.Gather(a30, Enumerable.Range(i * size, k).ToArray()), beta)).ToArray();
        var abeta = e.Truncate(e.Dot(rows), Fs);                                                         // Āβ̄ at 2^30
        var rhs = e.Gather(a30, Enumerable.Range(0, k).Select(i => i * size + k).ToArray());
        var terms = e.Truncate(e.Dot([(beta, rhs), (beta, abeta)]), Fs);                                 // β̄·ā, β̄'Āβ̄ at 2^30
        var yy = e.Gather(a30, [k * size + k]);
        return e.Add(e.Subtract(yy, e.MultiplyPublic(e.Gather(terms, [0]), 2)), e.Gather(terms, [1]));
    }

    /// <summary>
    /// 1/d at scale 2^Fs for a pivot d (scale 2^Fs, 2^−L ≤ d ≤ 1): floor(2^(2·Fs) / d), an exact long division with a
    /// 31-bit quotient (Statistics/SecureDivision.cs, 21 rounds), so the reciprocal's only error is its floor (&lt; 2^−Fs).
    /// The shared 0/1 "d &lt; 2^−L" (too small to invert safely) is compared in the division's last comparison batch.
    /// A smaller (or non-positive) d gives a quotient below 2^31 all the same, so later products stay in range, and
    /// the solve is refused on that bit. Jobs that do not depend on the pivot join the batch through <paramref name="along"/>.
    /// </summary>
    static (SecretVector Reciprocal, SecretVector TooSmall) Reciprocal(IComputeEngine e, SecretVector d, Action<SecureDivision.Batch>? along)
    {
        var batch = new SecureDivision.Batch(e);
        var x = batch.Divide(e.Public(Enumerable.Repeat(1UL << (2 * Fs), d.Length).ToArray()), d, Fs + L + 1);
        var small = batch.LessThan(d, e.Public(Enumerable.Repeat(1UL << (Fs - L), d.Length).ToArray()));
        along?.Invoke(batch);
        batch.Run();
        return (x.Quotient, small.Quotient);
    }

    /// <summary>
    /// One step of iterative refinement (Wilkinson; Higham 2002, §12.1): ρ = ā − Āβ̄ with Ā, ā at 2^30, then
    /// β̄ + Ā^{-1}ρ, so the 2^−20 rounding of Ā is no longer amplified by the condition number. Two independent dot
    /// products ride along with its two truncations: <paramref name="alongFs"/> truncated by 2^20 with Āβ̄ and
    /// <paramref name="alongFp"/> by 2^30 with the correction (exact floors, element by element, so the values are those
    /// of separate truncations).
    /// </summary>
    static (SecretVector Beta, SecretVector AlongFs, SecretVector AlongFp) Refine(NormalizedGram g, SecretVector beta, SecretVector inverse, int k,
                                                                                   (SecretVector, SecretVector) alongFs, (SecretVector, SecretVector) alongFp)
    {
        var e = g.Engine;
        int size = g.Size;
        var a30 = g.PreciseMatrix ?? throw new ShapeException("Refinement needs the Gram matrix at 30 bits.");
        var pairs = Enumerable.Range(0, k).Select(i => (e.Gather(a30, Enumerable.Range(i * size, k).ToArray()), beta)).Append(alongFs).ToArray();
        var rhs = e.Gather(a30, Enumerable.Range(0, k).Select(i => i * size + k).ToArray());
        var first = e.Truncate(e.Dot(pairs), Fs);
        var residual = e.Subtract(rhs, e.Gather(first, Enumerable.Range(0, k).ToArray()));                // scale 2^30
        var correction = e.Dot(Enumerable.Range(0, k).Select(i => (e.Gather(inverse, Enumerable.Range(i * k, k).ToArray()), residual)).Append(alongFp).ToArray());
        var second = e.Truncate(correction, NormalizedGram.FsPrecise);
        return (e.Add(beta, e.Gather(second, Enumerable.Range(0, k).ToArray())), e.Gather(first, [k]), e.Gather(second, [k]));   // β̄ at 2^20
    }

    /// <summary>
    /// The solve's range checks from public facts only, run before anything is computed (the same checks as inside
    /// <see cref="Solve"/>): the largest weighted count (rows × largest weight, encoded), the number k of coefficients
    /// (intercept included) and the largest |c_j / 2^l_j| (centre over normaliser, 1 for the intercept). Throws a
    /// RangeException naming the step that would leave the ring.
    /// </summary>
    public static void CheckRanges(double maxCount, int k, double centerRatioMax)
    {
        ColumnBounds.Check(k * k * centerRatioMax * centerRatioMax * Math.ScaleB(1.0, 2 * Fs + L + 1), "Regression: variance of the intercept (covariates far from their centre)");
        int fn = RootBits(maxCount);
        ColumnBounds.Check(maxCount * Math.ScaleB(1.0, 2 * fn), "Regression: square root of the row count");
        ColumnBounds.Check(Math.Sqrt(maxCount) * Math.ScaleB(1.0, fn + Fh + 1), "Regression: reciprocal of the root of the degrees of freedom");
    }

    /// <summary>Fraction bits of √(N − k): as many as the largest encoded N leaves room for ((N − k)·2^(2·bits) &lt; 2^61),
    /// between 8 and 20, so the root's floor costs at most 2^−20/√(N − k) relative.</summary>
    static int RootBits(double maxCount) => Math.Clamp((61 - SecureDivision.BitsFor(maxCount)) / 2, 8, 20);

    /// <summary>x·2^−bits: an exact truncation when bits &gt; 0, a public multiplication when bits &lt; 0.</summary>
    static SecretVector Rescale(IComputeEngine e, SecretVector x, int bits) =>
        bits > 0 ? e.Truncate(x, bits) : bits < 0 ? e.MultiplyPublic(x, 1UL << -bits) : x;

    /// <summary>x_j·2^−shift_j for several columns, one truncation per distinct shift.</summary>
    internal static SecretVector[] Rescale(IComputeEngine e, IReadOnlyList<SecretVector> xs, IReadOnlyList<int> bits)
    {
        var result = new SecretVector[xs.Count];
        foreach (var group in Enumerable.Range(0, xs.Count).GroupBy(i => bits[i]))
        {
            var members = group.ToArray();
            var scaled = Rescale(e, e.Concat(members.Select(i => xs[i]).ToArray()), group.Key);
            int at = 0;
            foreach (var i in members)
            {
                result[i] = e.Gather(scaled, Enumerable.Range(at, xs[i].Length).ToArray());
                at += xs[i].Length;
            }
        }
        return result;
    }

    /// <summary>
    /// Design-based (linearisation, "sandwich") standard errors for probability weights, on shares; result in
    /// normalised units at 2^<see cref="SeScale"/>, intercept first (as the model-based ones).
    /// Steps (x̄_ij = z_ij/2^l_j the normalised covariates, x̄_i0 = 1; ω_i = m_i·w_i/2^sw ≤ 1 with 2^sw ≥ the largest
    /// encoded weight; Ω = Σω):
    ///   1. residuals ē_i = ȳ_i − Σ_j β̄_j x̄_ij at 2^20, per row, from the shared β̄ (one product round over (k−1)·n);
    ///   2. v_ij = ω_i ē_i x̄_ij at 2^Fv (two product rounds over n and (k−1)·n), Fv = ⌊(60 − log2 2n)/2⌋ ≤ 26;
    ///   3. M = Σ_i v_i v_i' (k(k+1)/2 dot products), C = M/Ω at 2^30 (one batched division): |C| ≤ Σωē²/Ω = s̄ ≤ 1;
    ///   4. S_jj = r_j' C r_j with r_j the rows of Ā^{-1} at 2^14 (r_0 = Ā^{-1}u for the intercept in original units);
    ///   5. SE_j = √S_jj / √(Ω·(n − 1)/n), n = the rows with positive weight.
    /// Since (X̄'WX̄)^{-1} = Ā^{-1}/W and M/W² = C/Ω, this is the textbook V = (X'WX)^{-1}(Σw²e²xx')(X'WX)^{-1}·n/(n − 1).
    /// Precision: ē and ωē carry 2^−20 and 2^−Fv absolute (floors), C 2^−30, Ā^{-1} 2^−14 in the sandwich.
    /// Range: needs the entries of Ā^{-1} below 2^11 (as the solve) and S_jj below 2^18, i.e. normalised standard errors
    /// well below 2^12 — they are small numbers (≈ σ̄·√(Ā^{-1})_jj/√n). Leakage: none (nothing is opened).
    /// Ω/n and √S join the caller's <paramref name="batch"/> (its jobs run with them).
    /// </summary>
    static SecretVector Sandwich(NormalizedGram g, SecretVector beta, SecretVector inverse, double[] u, SecretVector positive, int k, SecureDivision.Batch batch)
    {
        var e = g.Engine;
        var w = g.RowWeights!;
        int n = w.Length, fw = g.WeightScale;
        int sw = Math.Max(0, (int)Math.Ceiling(Math.Log2(g.WeightMax * Math.ScaleB(1.0, fw))));
        int fv = Math.Min(26, (int)Math.Floor((60 - Math.Log2(2.0 * n)) / 2));
        double maxW = g.MaxCount * Math.ScaleB(1.0, fw);                                 // largest encoded Σw
        ColumnBounds.Check(Math.Sqrt(2.0 * n) * Math.ScaleB(1.0, sw + Fs), "Regression (probability weights): weighted residuals");
        ColumnBounds.Check(maxW * Math.ScaleB(1.0, NormalizedGram.FsPrecise + 2), "Regression (probability weights): meat matrix division");
        var covariates = Enumerable.Range(1, k - 1).ToArray();
        // 1. ē·2^20 = z_y·2^(20 − l_y) − β̄_0 − Σ_j β̄_j·z_j/2^l_j
        var residual = e.Subtract(Rescale(e, g.Columns[k]!, g.ColumnShift[k] - Fs), e.Gather(beta, new int[n]));
        if (covariates.Length > 0)
        {
            var products = e.Multiply(e.Concat(covariates.Select(j => e.Gather(beta, Enumerable.Repeat(j, n).ToArray())).ToArray()),
                                      e.Concat(covariates.Select(j => g.Columns[j]!).ToArray()));
            var parts = Rescale(e, covariates.Select((_, t) => e.Gather(products, Enumerable.Range(t * n, n).ToArray())).ToArray(),
                                covariates.Select(j => g.ColumnShift[j]).ToArray());
            foreach (var part in parts) residual = e.Subtract(residual, part);
        }
        // 2. ωē at 2^fv, then ωē·x̄_j at 2^fv
        var we = Rescale(e, e.Multiply(w, residual), sw + Fs - fv);
        var v = new SecretVector[k];
        v[0] = we;
        if (covariates.Length > 0)
        {
            var products = e.Multiply(e.Concat(covariates.Select(_ => we).ToArray()), e.Concat(covariates.Select(j => g.Columns[j]!).ToArray()));
            var parts = Rescale(e, covariates.Select((_, t) => e.Gather(products, Enumerable.Range(t * n, n).ToArray())).ToArray(),
                                covariates.Select(j => g.ColumnShift[j]).ToArray());
            for (int t = 0; t < parts.Length; t++) v[t + 1] = parts[t];
        }
        // 3. M at 2^(2fv) (symmetric; both triangles gathered from one set of dot products), C = M/Ω at 2^30
        var pairs = new List<(SecretVector, SecretVector)>();
        var index = new int[k, k];
        for (int a = 0; a < k; a++)
            for (int b = a; b < k; b++) { index[a, b] = index[b, a] = pairs.Count; pairs.Add((v[a], v[b])); }
        var meat = e.Dot(pairs);
        var numerators = Rescale(e, meat, 2 * fv - NormalizedGram.FsPrecise - sw);
        var c = SecureDivision.DivideSigned(e, numerators, e.Gather(g.WeightedCount, new int[pairs.Count]), NormalizedGram.FsPrecise + 2);
        var cFull = e.Gather(c, Enumerable.Range(0, k * k).Select(t => index[t / k, t % k]).ToArray());          // k×k at 2^30
        // 4. rows r_j of Ā^{-1} at 2^14; r_0 = Ā^{-1}u (u public, at 2^20 → 2^40 → 2^14)
        const int Fr = 14;
        var inv14 = e.Truncate(inverse, Fs - Fr);
        var uPublic = e.Public(u.Select(x => unchecked((ulong)(long)Math.Round(x * Math.ScaleB(1.0, Fs)))).ToArray());
        var r0 = e.Truncate(e.Dot(Enumerable.Range(0, k).Select(col => (e.Gather(inverse, Enumerable.Range(0, k).Select(b => b * k + col).ToArray()), uPublic)).ToArray()),
                            2 * Fs - Fr);
        var r = e.Concat([r0, e.Gather(inv14, Enumerable.Range(k, k * (k - 1)).ToArray())]);                     // k×k, row j = r_j
        SecretVector Row(SecretVector m, int j) => e.Gather(m, Enumerable.Range(j * k, k).ToArray());
        // T_{j,m} = Σ_l C_{m,l} r_{j,l} (2^44 → 2^30), S_jj = Σ_m r_{j,m} T_{j,m} (2^44)
        var tPairs = new List<(SecretVector, SecretVector)>();
        for (int j = 0; j < k; j++)
            for (int m = 0; m < k; m++) tPairs.Add((Row(cFull, m), Row(r, j)));
        var tm = e.Truncate(e.Dot(tPairs), Fr);
        var s = e.Dot(Enumerable.Range(0, k).Select(j => (Row(r, j), Row(tm, j))).ToArray());                  // S_jj at 2^44
        // 5. √S at 2^22; Ω(n − 1)/n at 2^(2Fn) → √ at 2^Fn; SE = √S/√(Ω(n − 1)/n) at 2^28
        int fn = Math.Clamp(21 - (int)Math.Ceiling(Math.Log2(n) / 2), 4, 16);
        var omega = Rescale(e, g.WeightedCount, sw - 2 * fn);                                                     // Ω·2^(2Fn)
        // Ω/n and √S (with the caller's jobs, R²) in one batch, then √(Ω − Ω/n).
        var omegaOverN = batch.Divide(omega, positive, 2 * fn + 2);
        var rootS = batch.Sqrt(s, 31);                                                                           // √S at 2^22
        batch.Run();
        var rootD = SecureDivision.Sqrt(e, e.Subtract(omega, omegaOverN.Quotient), 31);                          // √(Ω(n−1)/n) at 2^Fn
        ColumnBounds.Check(Math.Sqrt(n) * Math.ScaleB(1.0, fn + SeScale + L / 2 + 7), "Regression (probability weights): standard error division");
        return SecureDivision.Divide(e, e.MultiplyPublic(rootS.Quotient, 1UL << (SeScale - 22 + fn)), e.Gather(rootD, new int[k]), SeScale + L / 2 + 7);
    }

    /// <summary>Solves on shares. <paramref name="gram"/> must have the response as its last column; a weighted gram
    /// needs the <paramref name="kind"/> of its weights (it decides the standard errors).</summary>
    public static Fit Solve(NormalizedGram gram, WeightKind? kind = null)
    {
        if ((gram.RowWeights is null) != (kind is null))
            throw new ShapeException(kind is null ? "A weighted regression needs the kind of its weights (frequency, analytic or probability)." : "Weight kind given without weights.");
        var e = gram.Engine;
        int size = gram.Size, k = size - 1, width = 2 * k + 1;     // covariates + intercept = k; augmented width
        CheckRanges(gram.MaxCount, k, Enumerable.Range(0, k).Max(j => j == 0 ? 1.0 : Math.Abs(gram.Center[j] * Math.ScaleB(1.0, -gram.Shift[j]))));
        // Augmented rows [Ā_xx | I | ā_xy] at scale 2^Fs.
        var rows = new SecretVector[k];
        for (int i = 0; i < k; i++)
        {
            var cells = new List<SecretVector>();
            for (int j = 0; j < k; j++) cells.Add(gram.Entry(i, j));
            cells.Add(e.Public(Enumerable.Range(0, k).Select(j => i == j ? 1UL << Fs : 0UL).ToArray()));
            cells.Add(gram.Entry(i, k));
            rows[i] = e.Concat(cells);
        }
        // Model-based standard errors need 1/√(N − k), which depends on the row count only: √(N − k) rides with the second
        // pivot's reciprocal (k ≥ 2), its reciprocal with R² after the solve, so the tail after the solve is two products.
        bool modelBased = kind != WeightKind.Probability;
        bool byWeight = kind == WeightKind.Frequency;
        int fw = byWeight ? gram.WeightScale : 0;
        var count = byWeight ? gram.WeightedCount : gram.Rows;            // N: Σw (frequency weights, at 2^fw), else rows used
        double maxCount = byWeight ? gram.MaxCount * Math.ScaleB(1.0, fw) : gram.Columns[^1]!.Length;     // largest encoded N
        SecureDivision.Batch.Result? rootDf = null;
        int fn = RootBits(maxCount);
        Action<SecureDivision.Batch>? Along(int p)
        {
            if (!modelBased || p != 1) return null;
            ColumnBounds.Check(maxCount * Math.ScaleB(1.0, 2 * fn), "Regression: square root of the row count");
            var df = e.AddPublic(count, unchecked(0UL - ((ulong)k << fw)));                                            // N − k at 2^fw
            var scaled = Rescale(e, df, fw - 2 * fn);                                                                  // at 2^(2fn)
            return b => rootDf = b.Sqrt(scaled, 31);                                                                   // √(N − k) at 2^fn (0 if N ≤ k)
        }
        SecretVector? tooSmall = null;
        for (int p = 0; p < k; p++)
        {
            OperationProgress.Report($"solving the normal equations: pivot {p + 1} of {k}");
            // The first pivot is Ā_00 = G_00/G_00 = 1 exactly (the normalisation's division, whenever a row is used), so its
            // reciprocal is 2^Fs and scaling by it is the identity: the rows are updated by the first column alone.
            SecretVector newPivotRow, f;
            if (p == 0)
            {
                newPivotRow = rows[0];
                f = e.Concat(Enumerable.Range(1, k - 1).Select(i => e.Gather(rows[i], [0])).ToArray());
            }
            else
            {
                var pivot = e.Gather(rows[p], [p]);
                var (reciprocal, small) = Reciprocal(e, pivot, Along(p));
                tooSmall = tooSmall is null ? small : e.Add(tooSmall, small);
                // Scale row p by 1/pivot and compute every other row's factor in one product round.
                var factors = e.Concat(Enumerable.Range(0, k).Where(i => i != p).Select(i => e.Gather(rows[i], [p])).ToArray());
                var scaled = e.Truncate(e.Multiply(e.Concat([rows[p], factors]), e.Gather(reciprocal, new int[width + k - 1])), Fs);
                newPivotRow = e.Gather(scaled, Enumerable.Range(0, width).ToArray());
                f = e.Gather(scaled, Enumerable.Range(width, k - 1).ToArray());
            }
            // row_i −= f_i · row_p (original row p; f_i already carries 1/pivot).
            var others = Enumerable.Range(0, k).Where(i => i != p).ToArray();
            if (others.Length > 0)
            {
                var left = e.Concat(others.Select((_, t) => e.Gather(f, Enumerable.Repeat(t, width).ToArray())).ToArray());
                var right = e.Concat(others.Select(_ => rows[p]).ToArray());
                var updates = e.Truncate(e.Multiply(left, right), Fs);
                for (int t = 0; t < others.Length; t++)
                    rows[others[t]] = e.Subtract(rows[others[t]], e.Gather(updates, Enumerable.Range(t * width, width).ToArray()));
            }
            rows[p] = newPivotRow;
        }
        var beta = e.Concat(rows.Select(r => e.Gather(r, [width - 1])).ToArray());
        var inverseMatrix = e.Concat(Enumerable.Range(0, k).Select(j => e.Gather(rows[j], Enumerable.Range(k, k).ToArray())).ToArray());
        // Variances need the diagonal of Ā^{-1}; for the intercept in original units (covariates were centred at c_j)
        // the quadratic form u'Ā^{-1}u with the public u = (1, −c_1/2^l_1, …) (one dot product with a public vector).
        var u = Enumerable.Range(0, k).Select(j => j == 0 ? 1.0 : -gram.Center[j] * Math.ScaleB(1.0, -gram.Shift[j])).ToArray();
        double uMax = u.Max(Math.Abs);
        ColumnBounds.Check(k * k * uMax * uMax * Math.ScaleB(1.0, 2 * Fs + L + 1), "Regression: variance of the intercept (covariates far from their centre)");
        var weights = Enumerable.Range(0, k * k).Select(t => unchecked((ulong)(long)Math.Round(u[t / k] * u[t % k] * Math.ScaleB(1.0, Fs)))).ToArray();
        const int Fp = NormalizedGram.FsPrecise;
        var precise = gram.PreciseLastColumn ?? throw new ShapeException("OLS needs the Gram matrix's last column at 30 bits.");
        var yy = e.Gather(precise, [k]);                                                // ȳȳ at 2^30
        var mean = e.Gather(precise, [0]);
        // u'Ā^{-1}u (truncated by 2^20) and ā_0² (by 2^30, for R²) ride along with the refinement's two truncations.
        var (refined, interceptForm, meanSquare) = Refine(gram, beta, inverseMatrix, k, (inverseMatrix, e.Public(weights)), (mean, mean));
        beta = refined;
        var inverseDiagonal = e.Concat(Enumerable.Range(0, k).Select(j => j == 0 ? interceptForm : e.Gather(rows[j], [k + j])).ToArray());
        // Residual mean square from the 30-bit matrix (stationary form, see ResidualMeanSquare).
        var sbar = ResidualMeanSquare(gram, beta, k);                                    // scale 2^30
        // R² = (T̄ − s̄) / T̄ with T̄ = ȳȳ − ā_0² (scale 2^30), result at 2^20; its division runs in the first batch below,
        // and so does the comparison behind the singular-design check (its bit is opened before anything is released).
        var tbar = e.Subtract(yy, meanSquare);
        var batch = new SecureDivision.Batch(e);
        var r2 = batch.DivideSigned(e.MultiplyPublic(e.Subtract(tbar, sbar), 1UL << Fs), tbar, Fs + 2);
        var singular = batch.LessThan(e.Public([0]), tooSmall!);
        // Rows the fit rests on: the mask, which when weighted holds only rows with a positive weight (CellAggregator.RowMask).
        var positive = gram.Rows;
        SecretVector se;
        if (kind == WeightKind.Probability) se = Sandwich(gram, beta, inverseMatrix, u, positive, k, batch);
        else
        {
            // SE_j = √(σ̄²·inv_jj / N) with σ̄² = s̄·N/(N − k), i.e. √s̄ · √inv_jj · 1/√(N − k): √s̄ from s̄·2^30 (scale 2^60 →
            // root at 2^30), √inv_jj from inv·2^20 (root at 2^20) and 1/√(N − k) at 2^Fh (√(N − k) came with a pivot) in
            // the batch of R². w = √s̄/√(N − k) at 2^Fw (≤ 1 when N > k), then SE_j = w·√inv_jj at 2^28 (normalised
            // standard errors are small numbers). Both products are exact floors of values below 2^60.
            var rootInverse = batch.Sqrt(e.MultiplyPublic(inverseDiagonal, 1UL << Fs), 31);                      // scale 2^20
            var rootS = batch.Sqrt(e.MultiplyPublic(sbar, 1UL << Fp), 31);                                         // scale 2^30
            var inverseRootDf = batch.Divide(e.Public([1UL << (Fh + fn)]), rootDf!.Quotient, Fh + 1);             // 2^Fh/√(N − k)
            batch.Run();
            var w = e.Truncate(e.Multiply(rootS.Quotient, inverseRootDf.Quotient), Fp + Fh - Fw);                  // scale 2^Fw
            se = e.Truncate(e.Multiply(e.Gather(w, new int[k]), rootInverse.Quotient), Fw + Fs - SeScale);         // scale 2^28
        }
        if (e.RevealToParties(singular.Quotient, "regression: some pivot below 2^-10 (singular design) or not")[0] != 0)
            throw new RangeException("The regression's covariates are collinear (or the design is too ill-conditioned for 20 fraction bits); drop or combine covariates.");
        return new Fit(beta, se, r2.Quotient, gram) { Rows = positive };
    }
}
