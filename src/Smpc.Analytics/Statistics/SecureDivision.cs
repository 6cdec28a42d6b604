// Integer division and square root of shared values by long division in radix 2^k (several quotient bits per step).
//
// What: floor(N / D) for shared N ≥ 0 and shared D ≥ 1 (with its remainder); floor(sqrt(N)) for shared N ≥ 0; a signed
// variant (truncation toward zero); floor(N / d) for a public d. Statistics use them for means, variances, correlations
// and the regression solve, so that only the final statistic is ever opened.
// Method: the quotient is found digit by digit from the top, each digit k ≤ 8 bits wide. For the digit at position s
// with partial remainder R (= N − D·(quotient so far)) every candidate m = 1 … 2^k − 1 is tested at once — one batched
// comparison [R < m·D·2^s] of (2^k − 1) elements per element — and, since the tests are monotone in m, the digit is the
// number of candidates passed: q_s = (2^k − 1) − Σ_m [R < m·D·2^s]. Then R ← R − q_s·D·2^s (one product; none for a
// public D). The result is the same greedy quotient as bit-by-bit restoring division (Knuth, TAOCP vol. 2, §4.3.1,
// Algorithm D without normalisation, here with all digit candidates compared in parallel — a "radix-2^k SRT-free"
// long division; on shares: Bunn & Ostrovsky, CCS 2007, §4.2 for the bit-serial form), so it is exact by construction:
// no approximation and no correction step; the result is a function of the values only, bit for bit the plaintext
// engine's. The square root does the same for the digit-by-digit method (Wilkes, Wheeler & Gill 1951; TAOCP vol. 2,
// §4.6.4): with root so far P and remainder R = N − P², candidate m passes when R ≥ (P + m·2^s)² − P² =
// m·2^(s+1)·P + m²·2^(2s), linear in P; then R ← R − q_s·(2^(s+1)·P + q_s·2^(2s)) (one product).
// Signed: with B = D·2^bits, floor((N + B)/D) − 2^bits = floor(N/D) and floor((B − N)/D) − 2^bits = floor(−N/D), both
// from one division of twice the elements (one more quotient bit); the sign [N < 0] is compared in the first digit's
// batch, and trunc(N/D) = N ≥ 0 ? floor(N/D) : −floor(−N/D) takes one product.
//
// Worked example (N = 13, D = 4, 3 quotient bits in one digit of width 3): compare 13 < 4m for m = 1..7: true for
// m = 4..7, so q = 7 − 4 = 3 and R = 13 − 3·4 = 1: floor(13/4) = 3, remainder 1.
//
// Security: semi-honest, honest majority (whatever the engine's protocols give). Leakage: none — every comparison bit
// stays shared (bit injection, then linear sums and a product). The digit widths depend on the public bit count only.
// Cost per digit: one comparison batch (8 rounds), one bit injection (2 rounds), one product (1 round; none for a
// public divisor, none after the last digit unless the remainder is wanted); ⌈bits/8⌉ digits, so 11·⌈bits/8⌉ − 1
// rounds for a quotient (e.g. 48 bits: 65 rounds, against 528 bit by bit), 11·⌈bits/8⌉ with the remainder,
// 10·⌈bits/8⌉ for a public divisor, 11·⌈(bits+1)/8⌉ signed, 11·⌈rootBits/8⌉ − 1 for a square root (31 bits: 43 against
// 341). Comparisons: up to 255 per element per digit (the digit widths are balanced, e.g. 41 bits = 6 digits of ≤ 7
// bits, 127 candidates each), a few KiB per element per digit. Range: requires D·2^bits < 2^62 and N < D·2^bits
// (checked by the callers from declared bounds, see Statistics/ColumnBounds.cs); the result is then exact. Beyond it
// the quotient saturates at 2^bits − 1, as bit-by-bit restoring division does.
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class SecureDivision
{
    /// <summary>Widest digit: 2^8 − 1 = 255 candidate comparisons per element per digit.</summary>
    public const int MaxDigitBits = 8;

    /// <summary>floor(n / d) element-wise for 0 ≤ n &lt; d·2^<paramref name="quotientBits"/> and 1 ≤ d, d·2^quotientBits &lt; 2^62.</summary>
    public static SecretVector Divide(IComputeEngine e, SecretVector n, SecretVector d, int quotientBits) =>
        Long(e, n, d, quotientBits, remainder: false, signOf: null).Quotient;

    /// <summary>floor(n / d) and the remainder n − d·floor(n / d) ∈ [0, d), under the conditions of <see cref="Divide"/>.</summary>
    public static (SecretVector Quotient, SecretVector Remainder) DivideWithRemainder(IComputeEngine e, SecretVector n, SecretVector d, int quotientBits)
    {
        var (q, r, _) = Long(e, n, d, quotientBits, remainder: true, signOf: null);
        return (q, r!);
    }

    /// <summary>n / d truncated toward zero for signed n (|n| &lt; d·2^bits) and d ≥ 1, d·2^bits &lt; 2^62: floor((n + d·2^bits)/d)
    /// and floor((d·2^bits − n)/d) from one division of twice the elements, the sign of n compared alongside the first digit,
    /// and one product to pick.</summary>
    public static SecretVector DivideSigned(IComputeEngine e, SecretVector n, SecretVector d, int quotientBits)
    {
        if (n.Length != d.Length) throw new ShapeException($"Division: {n.Length} numerators but {d.Length} denominators.");
        if (quotientBits is < 1 or > 61) throw new ArgumentOutOfRangeException(nameof(quotientBits), quotientBits, "Quotient bits must be 1..61.");
        int len = n.Length;
        var big = e.MultiplyPublic(d, 1UL << quotientBits);                            // B = d·2^bits
        var both = e.Concat([e.Add(big, n), e.Subtract(big, n)]);                       // in (0, 2B)
        var (q, _, negative) = Long(e, both, e.Concat([d, d]), quotientBits + 1, remainder: false, signOf: n);
        ulong offset = 0UL - (1UL << quotientBits);
        var up = e.AddPublic(e.Gather(q, Enumerable.Range(0, len).ToArray()), offset);          // floor(n/d)
        var down = e.AddPublic(e.Gather(q, Enumerable.Range(len, len).ToArray()), offset);      // floor(−n/d)
        // n ≥ 0: floor(n/d); n < 0: −floor(−n/d) = floor(n/d) + neg·(−floor(−n/d) − floor(n/d)).
        var pick = e.Multiply(negative!, e.Subtract(e.MultiplyPublic(down, ulong.MaxValue), up));
        return e.Add(up, pick);
    }

    /// <summary>floor(sqrt(n)) element-wise for 0 ≤ n &lt; 2^(2·<paramref name="rootBits"/>) ≤ 2^62; negative n give 0.</summary>
    public static SecretVector Sqrt(IComputeEngine e, SecretVector n, int rootBits)
    {
        if (rootBits is < 1 or > 31) throw new ArgumentOutOfRangeException(nameof(rootBits), rootBits, "Root bits must be 1..31.");
        int len = n.Length;
        var rem = n;                                                     // n − root²
        SecretVector root = e.Public(new ulong[len]);
        var widths = DigitWidths(rootBits);
        int position = rootBits;
        for (int k = 0; k < widths.Length; k++)
        {
            int width = widths[k], c = (1 << width) - 1;
            position -= width;
            int s = position;
            // Candidate m: (root + m·2^s)² − root² = m·2^(s+1)·root + m²·2^(2s).
            var rootStep = e.MultiplyPublic(root, 1UL << (s + 1));
            var candidates = new SecretVector[c];
            for (int m = 1; m <= c; m++)
                candidates[m - 1] = e.AddPublic(e.MultiplyPublic(rootStep, (ulong)m), (ulong)m * (ulong)m << (2 * s));
            var below = SumBlocks(e, e.ToArithmetic(e.LessThan(Repeat(e, rem, c), e.Concat(candidates))), c, len);
            var digit = e.AddPublic(e.MultiplyPublic(below, ulong.MaxValue), (ulong)c);        // c − #{m : rem < candidate m}
            if (k < widths.Length - 1)
                rem = e.Subtract(rem, e.Multiply(digit, e.Add(rootStep, e.MultiplyPublic(digit, 1UL << (2 * s)))));
            root = e.Add(root, e.MultiplyPublic(digit, 1UL << s));
        }
        return root;
    }

    /// <summary>floor(n / d) for a public divisor d ≥ 1 and 0 ≤ n &lt; d·2^bits &lt; 2^62: per digit one comparison batch and
    /// one bit injection, no product (the subtrahend is a public multiple of the shared digit).</summary>
    public static SecretVector DividePublic(IComputeEngine e, SecretVector n, ulong d, int quotientBits)
    {
        if (d == 0) throw new ArgumentOutOfRangeException(nameof(d), "Division by zero.");
        if (quotientBits is < 1 or > 62 || (double)d * Math.ScaleB(1.0, quotientBits) >= Math.ScaleB(1.0, 62))
            throw new RangeException($"Division by {d} with {quotientBits} quotient bits exceeds the exact range 2^62.");
        int len = n.Length;
        var r = n;
        SecretVector? q = null;
        var widths = DigitWidths(quotientBits);
        int position = quotientBits;
        foreach (int width in widths)
        {
            int c = (1 << width) - 1;
            position -= width;
            ulong t = d << position;
            var thresholds = new ulong[c * len];
            for (int m = 1; m <= c; m++) thresholds.AsSpan((m - 1) * len, len).Fill((ulong)m * t);
            var below = SumBlocks(e, e.ToArithmetic(e.LessThan(Repeat(e, r, c), e.Public(thresholds))), c, len);
            var digit = e.AddPublic(e.MultiplyPublic(below, ulong.MaxValue), (ulong)c);
            r = e.Subtract(r, e.MultiplyPublic(digit, t));
            var term = e.MultiplyPublic(digit, 1UL << position);
            q = q is null ? term : e.Add(q, term);
        }
        return q!;
    }

    /// <summary>Bits needed to represent <paramref name="value"/> (≥ 1).</summary>
    public static int BitsFor(double value) => value < 1 ? 1 : (int)Math.Floor(Math.Log2(value)) + 1;

    /// <summary>Digit widths, most significant first: ⌈bits/8⌉ digits of balanced widths (the wider ones on top).</summary>
    public static int[] DigitWidths(int bits)
    {
        int digits = (bits + MaxDigitBits - 1) / MaxDigitBits;
        return Enumerable.Range(0, digits).Select(k => bits / digits + (k < bits % digits ? 1 : 0)).ToArray();
    }

    /// <summary>Rounds of <see cref="Divide"/> (and of <see cref="DivideWithRemainder"/> one more) on the secure engine.</summary>
    public static int DivideRounds(int quotientBits) => 11 * DigitWidths(quotientBits).Length - 1;

    /// <summary>Rounds of <see cref="Sqrt"/> on the secure engine.</summary>
    public static int SqrtRounds(int rootBits) => 11 * DigitWidths(rootBits).Length - 1;

    /// <summary>
    /// The long division of shared n by shared d (quotient, optionally the remainder). With <paramref name="signOf"/>, the
    /// shared 0/1 [signOf &lt; 0] is computed in the first digit's comparison batch and its bit injection.
    /// </summary>
    static (SecretVector Quotient, SecretVector? Remainder, SecretVector? Negative) Long(IComputeEngine e, SecretVector n, SecretVector d, int quotientBits,
                                                                                         bool remainder, SecretVector? signOf)
    {
        if (n.Length != d.Length) throw new ShapeException($"Division: {n.Length} numerators but {d.Length} denominators.");
        if (quotientBits is < 1 or > 62) throw new ArgumentOutOfRangeException(nameof(quotientBits), quotientBits, "Quotient bits must be 1..62.");
        int len = n.Length;
        var r = n;
        SecretVector? q = null, negative = null;
        var widths = DigitWidths(quotientBits);
        int position = quotientBits;
        for (int k = 0; k < widths.Length; k++)
        {
            int width = widths[k], c = (1 << width) - 1;
            position -= width;
            var t = e.MultiplyPublic(d, 1UL << position);
            var candidates = new SecretVector[c];
            for (int m = 1; m <= c; m++) candidates[m - 1] = m == 1 ? t : e.MultiplyPublic(t, (ulong)m);
            var left = Repeat(e, r, c);
            var right = e.Concat(candidates);
            bool sign = k == 0 && signOf is not null;
            if (sign)
            {
                left = e.Concat([left, signOf!]);
                right = e.Concat([right, e.Public(new ulong[signOf!.Length])]);
            }
            var bits = e.ToArithmetic(e.LessThan(left, right));
            if (sign)
            {
                negative = e.Gather(bits, Enumerable.Range(c * len, signOf!.Length).ToArray());
                bits = e.Gather(bits, Enumerable.Range(0, c * len).ToArray());
            }
            var digit = e.AddPublic(e.MultiplyPublic(SumBlocks(e, bits, c, len), ulong.MaxValue), (ulong)c);
            if (remainder || k < widths.Length - 1) r = e.Subtract(r, e.Multiply(digit, t));
            var term = e.MultiplyPublic(digit, 1UL << position);
            q = q is null ? term : e.Add(q, term);
        }
        return (q!, remainder ? r : null, negative);
    }

    /// <summary><paramref name="count"/> copies of x, one after the other (local).</summary>
    static SecretVector Repeat(IComputeEngine e, SecretVector x, int count) =>
        count == 1 ? x : e.Concat(Enumerable.Repeat(x, count).ToArray());

    /// <summary>Σ of <paramref name="blocks"/> consecutive blocks of <paramref name="len"/> elements (local: a halving tree of additions).</summary>
    static SecretVector SumBlocks(IComputeEngine e, SecretVector v, int blocks, int len)
    {
        while (blocks > 1)
        {
            int half = blocks / 2;
            var sum = e.Add(e.Gather(v, Enumerable.Range(0, half * len).ToArray()), e.Gather(v, Enumerable.Range(half * len, half * len).ToArray()));
            v = blocks % 2 == 0 ? sum : e.Concat([sum, e.Gather(v, Enumerable.Range(2 * half * len, len).ToArray())]);
            blocks = half + blocks % 2;
        }
        return v;
    }
}
