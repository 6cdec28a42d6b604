// Integer division and square root of shared values by the restoring (digit-by-digit) method.
//
// What: floor(N / D) for shared N ≥ 0 and shared D ≥ 1; floor(sqrt(N)) for shared N ≥ 0; a signed variant
// (truncation toward zero) by sign and magnitude. Statistics use them for means, variances, correlations
// and the regression solve, so that only the final statistic is ever opened.
// Reference: restoring division, Knuth, TAOCP vol. 2, §4.3.1 (Algorithm D without the normalisation step);
// the bit-by-bit form on secret shares follows Bunn & Ostrovsky, "Secure two-party k-means clustering"
// (CCS 2007), §4.2 (long division with secure comparisons). Square root: the classical digit-by-digit method
// (Wilkes, Wheeler & Gill 1951; TAOCP vol. 2, §4.6.4 exercise) with r² maintained incrementally.
//
// Worked example (N = 13, D = 4, 3 quotient bits): j = 2: 13 ≥ 16? no; j = 1: 13 ≥ 8? yes → R = 5, Q = 2;
// j = 0: 5 ≥ 4? yes → R = 1, Q = 3 = floor(13/4).
//
// Security: semi-honest, honest majority (whatever the engine's protocols give). Leakage: none — every
// comparison bit stays shared (bit injection, then a product). Cost per quotient bit: one comparison
// (8 rounds), one bit injection (2 rounds), one product (1 round); all elements of a vector in parallel, so
// rounds depend on the bit count only. Range: requires D·2^bits < 2^62 and N < D·2^bits (checked by the
// callers from declared bounds, see Statistics/RangePlan.cs); the result is then exact.
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class SecureDivision
{
    /// <summary>floor(n / d) element-wise for 0 ≤ n &lt; d·2^<paramref name="quotientBits"/> and 1 ≤ d, d·2^quotientBits &lt; 2^62.</summary>
    public static SecretVector Divide(IComputeEngine e, SecretVector n, SecretVector d, int quotientBits) =>
        DivideWithRemainder(e, n, d, quotientBits).Quotient;

    /// <summary>floor(n / d) and the remainder n − d·floor(n / d) ∈ [0, d), under the conditions of <see cref="Divide"/>.</summary>
    public static (SecretVector Quotient, SecretVector Remainder) DivideWithRemainder(IComputeEngine e, SecretVector n, SecretVector d, int quotientBits)
    {
        if (n.Length != d.Length) throw new ShapeException($"Division: {n.Length} numerators but {d.Length} denominators.");
        if (quotientBits is < 1 or > 62) throw new ArgumentOutOfRangeException(nameof(quotientBits), quotientBits, "Quotient bits must be 1..62.");
        var r = n;
        SecretVector? below = null; // Σ_j [r_j < t_j]·2^j; the quotient is (2^bits − 1) − below
        for (int j = quotientBits - 1; j >= 0; j--)
        {
            var t = e.MultiplyPublic(d, 1UL << j);
            var lt = e.ToArithmetic(e.LessThan(r, t));
            r = e.Add(e.Subtract(r, t), e.Multiply(lt, t));          // r − t when r ≥ t, r otherwise
            var term = e.MultiplyPublic(lt, 1UL << j);
            below = below is null ? term : e.Add(below, term);
        }
        ulong all = (1UL << quotientBits) - 1;
        return (e.AddPublic(e.MultiplyPublic(below!, ulong.MaxValue), all), r);
    }

    /// <summary>n / d truncated toward zero for signed n (|n| &lt; d·2^bits) and d ≥ 1 (sign and magnitude; 2 extra products).</summary>
    public static SecretVector DivideSigned(IComputeEngine e, SecretVector n, SecretVector d, int quotientBits)
    {
        var negative = e.ToArithmetic(e.LessThan(n, 0));
        var magnitude = e.Subtract(n, e.MultiplyPublic(e.Multiply(negative, n), 2));
        var q = Divide(e, magnitude, d, quotientBits);
        return e.Subtract(q, e.MultiplyPublic(e.Multiply(negative, q), 2));
    }

    /// <summary>floor(sqrt(n)) element-wise for 0 ≤ n &lt; 2^(2·<paramref name="rootBits"/>) ≤ 2^62; negative n give 0.</summary>
    public static SecretVector Sqrt(IComputeEngine e, SecretVector n, int rootBits)
    {
        if (rootBits is < 1 or > 31) throw new ArgumentOutOfRangeException(nameof(rootBits), rootBits, "Root bits must be 1..31.");
        var rem = n;                                                  // n − root²
        SecretVector root = e.Public(new ulong[n.Length]);
        for (int j = rootBits - 1; j >= 0; j--)
        {
            // (root + 2^j)² − root² = root·2^(j+1) + 2^(2j)
            var t = e.AddPublic(e.MultiplyPublic(root, 1UL << (j + 1)), 1UL << (2 * j));
            var ge = e.AddPublic(e.MultiplyPublic(e.ToArithmetic(e.LessThan(rem, t)), ulong.MaxValue), 1);
            rem = e.Subtract(rem, e.Multiply(ge, t));
            root = e.Add(root, e.MultiplyPublic(ge, 1UL << j));
        }
        return root;
    }

    /// <summary>floor(n / d) for a public divisor d ≥ 1 and 0 ≤ n &lt; d·2^bits &lt; 2^62: per bit one comparison and
    /// one bit injection, no product (the subtrahend is a public multiple of a shared bit).</summary>
    public static SecretVector DividePublic(IComputeEngine e, SecretVector n, ulong d, int quotientBits)
    {
        if (d == 0) throw new ArgumentOutOfRangeException(nameof(d), "Division by zero.");
        if (quotientBits is < 1 or > 62 || (double)d * Math.ScaleB(1.0, quotientBits) >= Math.ScaleB(1.0, 62))
            throw new RangeException($"Division by {d} with {quotientBits} quotient bits exceeds the exact range 2^62.");
        var r = n;
        SecretVector? below = null;
        for (int j = quotientBits - 1; j >= 0; j--)
        {
            ulong t = d << j;
            var lt = e.ToArithmetic(e.LessThan(r, t));
            r = e.Add(e.AddPublic(r, 0UL - t), e.MultiplyPublic(lt, t));
            var term = e.MultiplyPublic(lt, 1UL << j);
            below = below is null ? term : e.Add(below, term);
        }
        return e.AddPublic(e.MultiplyPublic(below!, ulong.MaxValue), (1UL << quotientBits) - 1);
    }

    /// <summary>Bits needed to represent <paramref name="value"/> (≥ 1).</summary>
    public static int BitsFor(double value) => value < 1 ? 1 : (int)Math.Floor(Math.Log2(value)) + 1;
}
