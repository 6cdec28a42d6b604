// Pearson correlation of two numeric columns, on shares.
//
// What: from the normalised Gram matrix of (1, x̄, ȳ) with x̄, ȳ centred at their declared midpoints and scaled
// by powers of two (Statistics/NormalizedGram.cs): cov = Ā_xy − Ā_1x·Ā_1y, v_x = Ā_xx − Ā_1x², v_y likewise,
// r = cov / √(v_x·v_y) — one product round, one square root and one signed division. Only r is opened.
// Reference: the computational formula of Pearson's r; secure dot products ABY3 §5.1; division and square root
// Statistics/SecureDivision.cs. Security: semi-honest, honest majority. Leakage: none.
// Precision: entries carry 2^−20; |r − r_exact| ≲ 2^−18 / min(v_x, v_y) in normalised units (tests assert 2e−3
// on data that spans a fair part of its declared range). A constant column (v = 0) has no correlation: the
// result is then meaningless, as for plaintext.
// Cost: Gram (1–2 rounds) + 18-bit division + 17-bit square root + 18-bit division.
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class Correlation
{
    const int Fs = NormalizedGram.Fs;

    /// <summary>r at scale 2^20, from a centred Gram matrix of (1, x, y).</summary>
    public static SecretVector Pearson(NormalizedGram g)
    {
        if (g.Size != 3) throw new ShapeException("Correlation needs the Gram matrix of exactly two columns.");
        var e = g.Engine;
        // One product round: (Ā_1x·Ā_1y, Ā_1x², Ā_1y²).
        var mx = g.Entry(0, 1); var my = g.Entry(0, 2);
        var products = e.Truncate(e.Multiply(e.Concat([mx, mx, my]), e.Concat([my, mx, my])), Fs);
        var cov = e.Subtract(g.Entry(1, 2), e.Gather(products, [0]));
        var vx = e.Subtract(g.Entry(1, 1), e.Gather(products, [1]));
        var vy = e.Subtract(g.Entry(2, 2), e.Gather(products, [2]));
        var root = SecureDivision.Sqrt(e, e.Multiply(vx, vy), Fs + 1);       // √(v_x v_y) at scale Fs
        return SecureDivision.DivideSigned(e, e.MultiplyPublic(cov, 1UL << Fs), root, Fs + 2);
    }
}
