// Pearson correlation of two numeric columns, on shares.
//
// What: from the normalised Gram matrix of (1, x̄, ȳ) with x̄, ȳ centred at their declared midpoints and scaled
// by powers of two (Statistics/NormalizedGram.cs): cov = Ā_xy − Ā_1x·Ā_1y, v_x = Ā_xx − Ā_1x², v_y likewise,
// r = cov / √(v_x·v_y) — one product round, one square root and one signed division. Only r is opened.
// Reference: the computational formula of Pearson's r; secure dot products ABY3 §5.1; division and square root
// Statistics/SecureDivision.cs. Security: semi-honest, honest majority. Leakage: none.
// Precision: entries carry 2^−30 (2^−20 when weights leave no room for 30 bits, PreciseFits), so
// |r − r_exact| ≲ 2^−28 / min(v_x, v_y) (2^−18 / min at 20 bits), v the variance in normalised units (variance /
// 2^(2l), 2^l ≥ the half range). Money columns whose spread is far below their declared range (a balance
// bounded ±10^7 with a standard deviation of 10^4: v ≈ 4·10^−7) need the 30 bits. A column too wide for exact
// Gram entries is rounded down to multiples of u first (NormalizedGram.cs), which adds at most u/sd to r for it
// (|r(x − ε, y) − r(x, y)| ≤ 2·sd(ε)/sd(x), sd(ε) ≤ u/2). A constant column (v = 0) has no correlation: the
// result is then meaningless, as for plaintext.
// Cost: Gram (1–2 rounds) + 32-bit division (22 at 20 bits) + 31-bit square root + 22-bit division.
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class Correlation
{
    const int Fs = NormalizedGram.Fs;

    /// <summary>r at scale 2^20, from a centred Gram matrix of (1, x, y): from its 30-bit matrix when it has one
    /// (<see cref="NormalizedGram.PreciseMatrix"/>), else from the 20-bit one.</summary>
    public static SecretVector Pearson(NormalizedGram g)
    {
        if (g.Size != 3) throw new ShapeException("Correlation needs the Gram matrix of exactly two columns.");
        var e = g.Engine;
        var matrix = g.PreciseMatrix ?? g.Matrix;
        int fs = g.PreciseMatrix is null ? Fs : NormalizedGram.FsPrecise;
        SecretVector Entry(int j, int k) => e.Gather(matrix, [j * 3 + k]);
        // One product round: (Ā_1x·Ā_1y, Ā_1x², Ā_1y²).
        var mx = Entry(0, 1); var my = Entry(0, 2);
        var products = e.Truncate(e.Multiply(e.Concat([mx, mx, my]), e.Concat([my, mx, my])), fs);
        var cov = e.Subtract(Entry(1, 2), e.Gather(products, [0]));
        var vx = e.Subtract(Entry(1, 1), e.Gather(products, [1]));
        var vy = e.Subtract(Entry(2, 2), e.Gather(products, [2]));
        var root = SecureDivision.Sqrt(e, e.Multiply(vx, vy), fs + 1);       // √(v_x v_y) at scale fs (v ≤ 1: product < 2^(2fs) ≤ 2^60)
        return SecureDivision.DivideSigned(e, e.MultiplyPublic(cov, 1UL << Fs), root, Fs + 2);
    }

    /// <summary>The precision note of a correlation: bits, normalisers and any rounding of wide columns (real units).</summary>
    public static string Note(NormalizedGram g)
    {
        bool precise = g.PreciseMatrix is not null;
        var parts = new List<string>
        {
            $"correlation computed at {(precise ? NormalizedGram.FsPrecise : Fs)} fraction bits; error at most about 2^-{(precise ? 28 : 18)} / min(v_x, v_y) with v = variance / L², L = "
            + string.Join(" and ", Enumerable.Range(1, 2).Select(j => $"{Math.ScaleB(1.0, g.Shift[j] - g.Specs[j - 1].Scale):G4} for '{g.Specs[j - 1].Name}'")),
        };
        for (int j = 1; j < 3; j++)
            if (g.Dropped.Length > j && g.Dropped[j] > 0)
            {
                double u = Math.ScaleB(1.0, g.Dropped[j] - g.Specs[j - 1].Scale);
                parts.Add($"'{g.Specs[j - 1].Name}' rounded down to multiples of {u:G4} first (adds at most {u:G4} / its standard deviation)");
            }
        return string.Join("; ", parts);
    }

    /// <summary>Whether the Gram matrix of a correlation over <paramref name="rows"/> rows with weights up to
    /// <paramref name="weightMax"/> (encoded; 1 unweighted) can be normalised at 30 bits (NormalizedGram.PlanRanges).</summary>
    public static bool PreciseFits(long rows, double weightMax) =>
        rows * weightMax * Math.ScaleB(1.0, NormalizedGram.FsPrecise + 2) < Math.ScaleB(1.0, 62);
}
