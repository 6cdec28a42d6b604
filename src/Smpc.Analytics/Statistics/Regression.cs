// Ordinary least squares solved inside the computation: coefficients, standard errors, R².
//
// What: with the normalised Gram matrix Ā of (1, x̄_1 … x̄_p, ȳ) (Statistics/NormalizedGram.cs; x̄ = x/2^l, so
// |Ā| ≤ 1), Gauss–Jordan elimination on [Ā_xx | I | ā_xy] at scale 2^20 — one secure reciprocal of each pivot
// (restoring division), then products and truncation — gives Ā_xx^{-1} and β̄ = Ā_xx^{-1}·ā_xy. Then
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
// Leakage: one bit to the compute parties — whether some pivot fell below 2^−10 (collinear or extremely
// ill-conditioned design), opened so that a singular design gives an error instead of a wrong answer.
// Precision: ~2^−20 per operation, amplified by the condition number of Ā; tests assert agreement with plaintext OLS within 1% of each
// coefficient's standard error, 1% relative for standard errors and 1e−3 for R². The residual variance s̄ has
// absolute precision ~2^−20 (normalised units), so the standard errors' relative error grows like 2^−21/s̄ for
// fits that are tight relative to the declared ranges. Weighted: frequency weights (σ² = RSS_w / (Σw − k)).
// Cost: Gram (1–2 rounds) + normalisation (22 division bits) + k × (31-bit reciprocal ≈ 340 rounds + 4 rounds)
// + two square roots and two divisions. Range: normalised coefficients and inverse entries must stay below 2^11.
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class Regression
{
    const int Fs = NormalizedGram.Fs;
    const int L = 10;                // pivots below 2^−L are refused (ill-conditioned): keeps every product below 2^62

    /// <summary>Secret results in normalised units, scale 2^Fs: coefficients, standard errors (k each) and R².</summary>
    public sealed record Fit(SecretVector Coefficients, SecretVector StandardErrors, SecretVector RSquared, NormalizedGram Gram);

    /// <summary>Solves on shares. <paramref name="gram"/> must have the response as its last column.</summary>
    public static Fit Solve(NormalizedGram gram)
    {
        var e = gram.Engine;
        int size = gram.Size, k = size - 1, width = 2 * k + 1;     // covariates + intercept = k; augmented width
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
        SecretVector? tooSmall = null;
        for (int p = 0; p < k; p++)
        {
            var pivot = e.Gather(rows[p], [p]);
            var small = e.LessThan(pivot, 1UL << (Fs - L));
            tooSmall = tooSmall is null ? e.ToArithmetic(small) : e.Add(tooSmall, e.ToArithmetic(small));
            var reciprocal = SecureDivision.Divide(e, e.Public([1UL << (2 * Fs)]), e.Gather(pivot, [0]), Fs + L + 1);
            // Scale row p by 1/pivot and compute every other row's factor in one product round.
            var factors = e.Concat(Enumerable.Range(0, k).Where(i => i != p).Select(i => e.Gather(rows[i], [p])).ToArray());
            var scaled = e.Truncate(e.Multiply(e.Concat([rows[p], factors]), e.Gather(reciprocal, new int[width + k - 1])), Fs);
            var newPivotRow = e.Gather(scaled, Enumerable.Range(0, width).ToArray());
            var f = e.Gather(scaled, Enumerable.Range(width, k - 1).ToArray());
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
        if (e.RevealToParties(e.GreaterThan(tooSmall!, 0), "regression: some pivot below 2^-10 (singular design) or not")[0])
            throw new RangeException("The regression's covariates are collinear (or the design is too ill-conditioned for 20 fraction bits); drop or combine covariates.");

        var beta = e.Concat(rows.Select(r => e.Gather(r, [width - 1])).ToArray());
        // Variances need the diagonal of Ā^{-1}; for the intercept in original units (covariates were centred at c_j)
        // the quadratic form u'Ā^{-1}u with the public u = (1, −c_1/2^l_1, …) (one dot product with a public vector).
        var u = Enumerable.Range(0, k).Select(j => j == 0 ? 1.0 : -gram.Center[j] * Math.ScaleB(1.0, -gram.Shift[j])).ToArray();
        var inverse = e.Concat(Enumerable.Range(0, k).Select(j => e.Gather(rows[j], Enumerable.Range(k, k).ToArray())).ToArray());
        double uMax = u.Max(Math.Abs);
        ColumnBounds.Check(k * k * uMax * uMax * Math.ScaleB(1.0, 2 * Fs + L + 1), "Regression: variance of the intercept (covariates far from their centre)");
        var weights = Enumerable.Range(0, k * k).Select(t => unchecked((ulong)(long)Math.Round(u[t / k] * u[t % k] * Math.ScaleB(1.0, Fs)))).ToArray();
        var interceptForm = e.Truncate(e.Dot([(inverse, e.Public(weights))]), Fs);
        var inverseDiagonal = e.Concat(Enumerable.Range(0, k).Select(j => j == 0 ? interceptForm : e.Gather(rows[j], [k + j])).ToArray());
        var a = e.Concat(Enumerable.Range(0, k).Select(j => gram.Entry(j, k)).ToArray());
        var yy = gram.Entry(k, k);
        var mean = gram.Entry(0, k);
        int fw = gram.WeightScale;
        ColumnBounds.Check(gram.MaxCount * Math.ScaleB(1.0, Fs + 6), "Regression: residual variance division");
        // s̄ = ȳȳ − β̄·ā (scale Fs).
        var sbar = e.Subtract(yy, e.Truncate(e.Dot([(beta, a)]), Fs));
        // σ̄² = s̄ + s̄·k/(n − k): the correction's quotient is small (≤ k), so the division stays in range.
        var count = fw == 0 ? gram.Rows : gram.WeightedCount;
        var nMinusK = e.AddPublic(count, unchecked(0UL - ((ulong)k << fw)));
        var correction = SecureDivision.DivideSigned(e, e.MultiplyPublic(sbar, (ulong)k << fw), nMinusK, Fs + 6);
        var sigma2 = e.Add(sbar, correction);
        // SE_j = √σ̄² · √inv_jj / √n, each root of a scale-2^Fs value taken at scale 2^(2Fs).
        var roots = SecureDivision.Sqrt(e, e.MultiplyPublic(e.Concat([sigma2, inverseDiagonal]), 1UL << Fs), 31);   // scale Fs
        var product = e.Truncate(e.Multiply(e.Gather(roots, new int[k]), e.Gather(roots, Enumerable.Range(1, k).ToArray())), Fs);
        const int Fn = 8;
        ColumnBounds.Check(gram.MaxCount * Math.ScaleB(1.0, 2 * Fn), "Regression: square root of the row count");
        var countScaled = fw <= 2 * Fn ? e.MultiplyPublic(count, 1UL << (2 * Fn - fw)) : e.Truncate(count, fw - 2 * Fn);
        var rootN = SecureDivision.Sqrt(e, countScaled, 31);                                                  // √n at scale 2^Fn
        var se = SecureDivision.Divide(e, e.MultiplyPublic(product, 1UL << Fn), e.Gather(rootN, new int[k]), Fs + L + 2);
        // R² = (T̄ − s̄) / T̄ with T̄ = ȳȳ − ā_0².
        var tbar = e.Subtract(yy, e.Truncate(e.Multiply(mean, mean), Fs));
        var r2 = SecureDivision.DivideSigned(e, e.MultiplyPublic(e.Subtract(tbar, sbar), 1UL << Fs), tbar, Fs + 2);
        return new Fit(beta, se, r2, gram);
    }
}
