using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Tests.Statistics;

/// <summary>
/// Radix-2^8 long division and square root (Statistics/SecureDivision.cs): exact floor and remainder against integer
/// arithmetic across the allowed ranges (plaintext engine: many cases; secure engine: the same generator, fewer cases),
/// equality with the bit-by-bit restoring division it replaces (also where the quotient saturates), and the round
/// counts, which are deterministic.
/// </summary>
public class SecureDivisionTests
{
    static readonly int[] BitCounts = [1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 31, 32, 41, 48, 55, 60, 61];

    static ulong[] Open(IComputeEngine e, SecretVector x) => e.Reveal(x, "test");

    /// <summary>Cases for <paramref name="bits"/> quotient bits: d log-uniform in [1, 2^(62−bits)), n uniform in [0, d·2^bits),
    /// plus the edges d = 1, n = 0, n = d·2^bits − 1, n = d, n = d − 1 and the largest d.</summary>
    static (ulong[] N, ulong[] D) Cases(Random rng, int bits, int random)
    {
        var n = new List<ulong>(); var d = new List<ulong>();
        int dBits = 62 - bits;                                       // d < 2^dBits so that d·2^bits < 2^62
        ulong dMax = (1UL << dBits) - 1;
        void Add(ulong nn, ulong dd) { n.Add(nn); d.Add(dd); }
        ulong Top(ulong dd) => (dd << bits) - 1;                      // the largest allowed numerator
        foreach (ulong dd in new[] { 1UL, 2UL, 3UL, dMax, Math.Max(1, dMax / 3), Math.Max(1, dMax >> 1) }.Where(x => x <= dMax).Distinct())
        {
            Add(0, dd); Add(Top(dd), dd); Add(Math.Min(dd, Top(dd)), dd); Add(dd - 1, dd); Add(Top(dd) / 2, dd);
        }
        for (int i = 0; i < random; i++)
        {
            int b = rng.Next(1, dBits + 1);
            ulong dd = Math.Max(1UL, (ulong)rng.NextInt64(1L << (b - 1), (long)Math.Min((1UL << b) - 1, dMax) + 1));
            ulong top = (dd << bits) - 1;
            // Numerators spread over all magnitudes: uniform below a random power of two.
            int nb = rng.Next(0, 63);
            ulong nn = nb == 0 ? 0 : (ulong)rng.NextInt64(0, (long)Math.Min(top, (1UL << Math.Min(nb, 62)) - 1) + 1);
            Add(nn, dd);
        }
        return (n.ToArray(), d.ToArray());
    }

    /// <summary>Bit-by-bit restoring division on the engine (the algorithm the radix-2^8 division replaced), for equality tests.</summary>
    static (SecretVector Q, SecretVector R) Restoring(IComputeEngine e, SecretVector n, SecretVector d, int bits)
    {
        var r = n;
        SecretVector? below = null;
        for (int j = bits - 1; j >= 0; j--)
        {
            var t = e.MultiplyPublic(d, 1UL << j);
            var lt = e.ToArithmetic(e.LessThan(r, t));
            r = e.Add(e.Subtract(r, t), e.Multiply(lt, t));
            var term = e.MultiplyPublic(lt, 1UL << j);
            below = below is null ? term : e.Add(below, term);
        }
        return (e.AddPublic(e.MultiplyPublic(below!, ulong.MaxValue), (1UL << bits) - 1), r);
    }

    static void CheckDivision(IComputeEngine e, int bits, ulong[] n, ulong[] d)
    {
        var (q, r) = SecureDivision.DivideWithRemainder(e, e.Share(n), e.Share(d), bits);
        var gq = Open(e, q); var gr = Open(e, r);
        var plainQ = Open(e, SecureDivision.Divide(e, e.Share(n), e.Share(d), bits));
        for (int i = 0; i < n.Length; i++)
        {
            Assert.True(n[i] / d[i] == gq[i] && n[i] % d[i] == gr[i], $"bits={bits}: {n[i]} / {d[i]} gave {gq[i]} rem {gr[i]}, expected {n[i] / d[i]} rem {n[i] % d[i]}");
            Assert.Equal(gq[i], plainQ[i]);
        }
    }

    [Fact]
    public void Division_is_the_exact_floor_with_its_remainder_on_the_plaintext_engine()
    {
        using var e = new PlaintextEngine();
        var rng = new Random(1401);
        for (int bits = 1; bits <= 61; bits++)
        {
            var (n, d) = Cases(rng, bits, 300);
            CheckDivision(e, bits, n, d);
        }
    }

    [Fact]
    public void Division_is_the_exact_floor_with_its_remainder_on_the_secure_engine()
    {
        using var e = new SecureEngine();
        var rng = new Random(1402);
        foreach (int bits in BitCounts)
        {
            var (n, d) = Cases(rng, bits, 20);
            CheckDivision(e, bits, n, d);
        }
    }

    [Fact]
    public void Known_answers()
    {
        foreach (IComputeEngine e in new IComputeEngine[] { new PlaintextEngine(), new SecureEngine() })
            using (e)
            {
                // In 40 bits: 13 / 4, 1000 / 7, 0 / 5, (5·2^40 − 1) / 5; and 2^61 − 1 over 1 in 61 bits.
                var (q, r) = SecureDivision.DivideWithRemainder(e, e.Share([13, 1000, 0, 5 * (1UL << 40) - 1]), e.Share([4, 7, 5, 5]), 40);
                Assert.Equal([3UL, 142, 0, (1UL << 40) - 1], Open(e, q));
                Assert.Equal([1UL, 6, 0, 4], Open(e, r));
                Assert.Equal([(1UL << 61) - 1, 0], Open(e, SecureDivision.Divide(e, e.Share([(1UL << 61) - 1, 0]), e.Share([1, 1]), 61)));
                Assert.Equal([3UL], Open(e, SecureDivision.Divide(e, e.Share([13]), e.Share([4]), 3)));
                Assert.Equal([3UL, 4, 0, 6], Open(e, SecureDivision.Sqrt(e, e.Share([15, 16, 0, 48]), 3)));
                Assert.Equal([unchecked((ulong)-3L), 3, 0, unchecked((ulong)-1L), 0], Open(e, SecureDivision.DivideSigned(e, e.Share([unchecked((ulong)-13L), 13, 0, unchecked((ulong)-4L), unchecked((ulong)-3L)]), e.Share([4, 4, 4, 4, 4]), 3)));
                Assert.Equal([142UL, 0, 9362], Open(e, SecureDivision.DividePublic(e, e.Share([1000, 6, 65535]), 7, 14)));
            }
    }

    [Fact]
    public void Division_equals_bit_by_bit_restoring_division_also_where_the_quotient_saturates()
    {
        using var e = new PlaintextEngine();
        var rng = new Random(1403);
        foreach (int bits in BitCounts)
        {
            var (n, d) = Cases(rng, bits, 100);
            // Numerators past d·2^bits (still below 2^62): the quotient saturates at 2^bits − 1 in both.
            var over = n.Select((x, i) => Math.Min((d[i] << bits) + (ulong)rng.NextInt64(0, 1L << 20), (1UL << 62) - 1)).ToArray();
            foreach (var numerators in new[] { n, over })
            {
                var (q, r) = SecureDivision.DivideWithRemainder(e, e.Share(numerators), e.Share(d), bits);
                var (q0, r0) = Restoring(e, e.Share(numerators), e.Share(d), bits);
                Assert.Equal(Open(e, q0), Open(e, q));
                Assert.Equal(Open(e, r0), Open(e, r));
            }
        }
    }

    [Fact]
    public void Signed_division_truncates_toward_zero()
    {
        var rng = new Random(1404);
        foreach (var (e, counts, random) in new (IComputeEngine, int[], int)[] { (new PlaintextEngine(), Enumerable.Range(1, 61).ToArray(), 200), (new SecureEngine(), [1, 8, 9, 22, 32, 41, 61], 20) })
            using (e)
                foreach (int bits in counts)
                {
                    var (un, d) = Cases(rng, bits, random);
                    // |n| < d·2^bits, both signs, and the extremes ±(d·2^bits − 1).
                    var n = un.Select(x => (long)x * (rng.Next(2) == 0 ? 1 : -1)).Concat(d.Select(x => -(long)((x << bits) - 1))).ToArray();
                    var dd = d.Concat(d).ToArray();
                    var got = Open(e, SecureDivision.DivideSigned(e, e.Share(n.Select(x => (ulong)x).ToArray()), e.Share(dd), bits));
                    for (int i = 0; i < n.Length; i++)
                        Assert.True((long)got[i] == n[i] / (long)dd[i], $"bits={bits}: {n[i]} / {dd[i]} gave {(long)got[i]}, expected {n[i] / (long)dd[i]}");
                }
    }

    static ulong ISqrt(ulong n)
    {
        ulong r = (ulong)Math.Sqrt(n);
        while (r * r > n) r--;
        while ((r + 1) * (r + 1) <= n) r++;
        return r;
    }

    [Fact]
    public void Square_root_is_the_exact_floor()
    {
        var rng = new Random(1405);
        foreach (var (e, counts, random) in new (IComputeEngine, int[], int)[] { (new PlaintextEngine(), Enumerable.Range(1, 31).ToArray(), 500), (new SecureEngine(), [1, 3, 8, 9, 16, 22, 31], 30) })
            using (e)
                foreach (int bits in counts)
                {
                    ulong limit = 1UL << (2 * bits);                             // n < 2^(2·bits)
                    ulong rootMax = (1UL << bits) - 1;
                    var n = new List<ulong> { 0, 1, 2, 3, limit - 1, rootMax * rootMax, rootMax * rootMax - 1 };
                    for (int i = 0; i < random; i++)
                    {
                        ulong k = (ulong)rng.NextInt64(0, (long)rootMax + 1);
                        n.Add(k * k); if (k > 0) n.Add(k * k - 1);
                        n.Add((ulong)rng.NextInt64(0, (long)limit));
                    }
                    var got = Open(e, SecureDivision.Sqrt(e, e.Share(n.ToArray()), bits));
                    for (int i = 0; i < n.Count; i++) Assert.True(ISqrt(n[i]) == got[i], $"bits={bits}: sqrt({n[i]}) gave {got[i]}, expected {ISqrt(n[i])}");
                    // Negative inputs give 0.
                    Assert.All(Open(e, SecureDivision.Sqrt(e, e.Share([unchecked((ulong)-1L), unchecked((ulong)-(1L << 40))]), bits)), x => Assert.Equal(0UL, x));
                }
    }

    [Fact]
    public void Division_by_a_public_divisor_is_the_exact_floor()
    {
        var rng = new Random(1406);
        foreach (var (e, counts, random) in new (IComputeEngine, int[], int)[] { (new PlaintextEngine(), Enumerable.Range(1, 61).ToArray(), 50), (new SecureEngine(), [1, 9, 11, 24, 40], 10) })
            using (e)
                foreach (int bits in counts)
                {
                    var (n, d) = Cases(rng, bits, random);
                    // (DividePublic checks its range in doubles: a divisor just below 2^(62−bits) rounds up to the limit.)
                    foreach (ulong divisor in d.Where(x => x * Math.ScaleB(1.0, bits) < Math.ScaleB(1.0, 62)).Distinct().Take(6))
                    {
                        var nums = n.Select(x => x % (divisor << bits)).ToArray();
                        var got = Open(e, SecureDivision.DividePublic(e, e.Share(nums), divisor, bits));
                        for (int i = 0; i < nums.Length; i++) Assert.True(nums[i] / divisor == got[i], $"bits={bits}: {nums[i]} / {divisor} gave {got[i]}");
                    }
                }
    }

    static long Rounds(SecureEngine e, Action run)
    {
        var meter = new OperationMeter(e);
        run();
        return meter.Stop().Rounds;
    }

    [Fact]
    public void Round_counts_are_those_stated()
    {
        using var e = new SecureEngine();
        var rng = new Random(1407);
        foreach (int bits in new[] { 1, 8, 9, 23, 41, 48, 61 })
            foreach (int count in new[] { 1, 5, 40 })
            {
                var (n, d) = Cases(rng, bits, 40);
                var (sn, sd) = (e.Share(n[..count]), e.Share(d[..count]));
                int digits = SecureDivision.DigitWidths(bits, count).Length, signedDigits = SecureDivision.DigitWidths(bits + 1, 2 * count).Length;
                Assert.InRange(digits, (bits + 15) / 16, (bits + 7) / 8);
                Assert.Equal(11 * digits - 1, SecureDivision.DivideRounds(bits, count));
                Assert.Equal(11 * digits - 1, Rounds(e, () => SecureDivision.Divide(e, sn, sd, bits)));
                Assert.Equal(11 * digits, Rounds(e, () => SecureDivision.DivideWithRemainder(e, sn, sd, bits)));
                Assert.Equal(11 * signedDigits, Rounds(e, () => SecureDivision.DivideSigned(e, sn, sd, bits)));
                Assert.Equal(10 * digits, Rounds(e, () => SecureDivision.DividePublic(e, sn, 1, bits)));
            }
        // The budget in figures: a mean's 48-bit quotient over 5 cells in 43 rounds (528 bit by bit; 65 with 8-bit digits),
        // its 41-bit one in 32, over 50 cells in 54; a 31-bit root of one value in 21 (341), of 200 values in 43.
        Assert.Equal(43, SecureDivision.DivideRounds(48, 5));
        Assert.Equal(32, SecureDivision.DivideRounds(41, 5));
        Assert.Equal(54, SecureDivision.DivideRounds(48, 50));
        Assert.Equal(21, SecureDivision.SqrtRounds(31, 1));
        Assert.Equal(21, SecureDivision.DivideRounds(31, 1));
        Assert.Equal(43, SecureDivision.SqrtRounds(31, 200));
        foreach (int bits in new[] { 1, 8, 16, 31 })
            foreach (int count in new[] { 1, 3, 40 })
            {
                var x = e.Share(Enumerable.Range(0, count).Select(i => (ulong)(12345 * i)).ToArray());
                Assert.Equal(SecureDivision.SqrtRounds(bits, count), Rounds(e, () => SecureDivision.Sqrt(e, x, bits)));
            }
    }

    [Fact]
    public void Digit_widths_cover_the_bits_within_the_comparison_budget()
    {
        for (int bits = 1; bits <= 62; bits++)
            foreach (int count in new[] { 0, 1, 2, 5, 16, 50, 1000, 1_000_000 })
            {
                var w = SecureDivision.DigitWidths(bits, count);
                Assert.Equal(bits, w.Sum());
                Assert.All(w, x => Assert.InRange(x, 1, SecureDivision.MaxDigitBits));
                Assert.True(w.Max() - w.Min() <= 1 && w.SequenceEqual(w.OrderByDescending(x => x)));
                Assert.InRange(w.Length, (bits + 15) / 16, (bits + 7) / 8);
                // Within budget, unless already at the narrowest (8-bit) digits.
                if (w.Length < (bits + 7) / 8) Assert.True(Math.Max(1L, count) * w.Length * ((1L << w.Max()) - 1) <= SecureDivision.CandidateBudget);
            }
    }

    [Fact]
    public void Wide_digits_of_few_elements_are_exact_too()
    {
        // Vectors of one to three elements take the widest digits (up to 16 bits, 65,535 candidates).
        var rng = new Random(1409);
        foreach (var (e, counts, trials) in new (IComputeEngine, int[], int)[] { (new PlaintextEngine(), Enumerable.Range(1, 61).ToArray(), 12), (new SecureEngine(), [13, 31, 36, 48, 61], 2) })
            using (e)
                foreach (int bits in counts)
                    for (int trial = 0; trial < trials; trial++)
                    {
                        var (n, d) = Cases(rng, bits, 3);
                        int pick = rng.Next(n.Length - 3), count = 1 + trial % 3;
                        CheckDivision(e, bits, n[pick..(pick + count)], d[pick..(pick + count)]);
                        var nd = n[^count..]; var dd = d[^count..];                      // random cases (the edges come first)
                        CheckDivision(e, bits, nd, dd);
                        if (bits <= 31)
                        {
                            var x = Enumerable.Range(0, count).Select(_ => (ulong)rng.NextInt64(0, 1L << (2 * bits))).Append((1UL << (2 * bits)) - 1).ToArray();
                            Assert.Equal(x.Select(ISqrt), Open(e, SecureDivision.Sqrt(e, e.Share(x), bits)));
                        }
                        if (bits <= 60)
                        {
                            var signed = nd.Select((v, i) => (long)v * (i % 2 == 0 ? -1 : 1)).ToArray();
                            Assert.Equal(signed.Select((v, i) => (ulong)(v / (long)dd[i])), Open(e, SecureDivision.DivideSigned(e, e.Share(signed.Select(v => (ulong)v).ToArray()), e.Share(dd), bits)));
                        }
                    }
    }

    [Fact]
    public void A_batch_gives_each_job_its_own_result_in_the_rounds_of_its_longest_job()
    {
        var rng = new Random(1408);
        foreach (IComputeEngine e in new IComputeEngine[] { new PlaintextEngine(), new SecureEngine() })
            using (e)
            {
                var (n1, d1) = Cases(rng, 36, 10);
                var (n2, d2) = Cases(rng, 22, 7);
                var (n3, d3) = Cases(rng, 9, 3);
                var signed = n2.Select((x, i) => (long)x * (i % 2 == 0 ? 1 : -1)).ToArray();
                var roots = Enumerable.Range(0, 9).Select(_ => (ulong)rng.NextInt64(0, 1L << 62)).ToArray();
                var small = n3.Select((x, i) => x % (5UL << 9)).ToArray();
                var batch = new SecureDivision.Batch(e);
                var q1 = batch.DivideWithRemainder(e.Share(n1), e.Share(d1), 36);
                var q2 = batch.DivideSigned(e.Share(signed.Select(x => (ulong)x).ToArray()), e.Share(d2), 22);
                var q3 = batch.Divide(e.Share(n3), e.Share(d3), 9);
                var q4 = batch.Sqrt(e.Share(roots), 31);
                var q5 = batch.DividePublic(e.Share(small), 5, 9);
                long rounds = e is SecureEngine s ? Rounds(s, batch.Run) : Run(batch);
                Assert.Equal(n1.Select((x, i) => x / d1[i]), Open(e, q1.Quotient));
                Assert.Equal(n1.Select((x, i) => x % d1[i]), Open(e, q1.Remainder!));
                Assert.Equal(signed.Select((x, i) => (ulong)(x / (long)d2[i])), Open(e, q2.Quotient));
                Assert.Equal(n3.Select((x, i) => x / d3[i]), Open(e, q3.Quotient));
                Assert.Equal(roots.Select(ISqrt), Open(e, q4.Quotient));
                Assert.Equal(small.Select(x => x / 5), Open(e, q5.Quotient));
                // The longest job, a 36-bit division with remainder over 40 elements (4 digits of 9 bits, a product after each:
                // 44 rounds), sets the batch's rounds; the others ride along.
                Assert.Equal(4, SecureDivision.DigitWidths(36, n1.Length).Length);
                if (e.IsSecure) Assert.Equal(44, rounds);
                Assert.Throws<InvalidOperationException>(batch.Run);
            }
    }

    static long Run(SecureDivision.Batch batch) { batch.Run(); return 0; }
}
