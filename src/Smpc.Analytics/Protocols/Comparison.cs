// Comparison of shared values: x < y, x <= y, x == y (shared or public right-hand side).
// Reference: ABY3 (CCS 2018) §5.3 — the sign of x − y is the most significant bit of its boolean form;
// equality tests whether x − y is zero with an AND tree over its 64 bits.
// Precondition: |x − y| < 2^63 (values in the fixed-point or declared integer range always satisfy it).
// Security: semi-honest, honest majority. Leakage: none; results stay shared as packed bits.
// The circuits run on bit planes (Sharing/BitMatrix.cs, Protocols/BitPlaneCircuits.cs): the sign needs only the
// carry into bit 63 (a carry-lookahead reduction tree, Brent & Kung 1982; ABY3 §5.3), not a full 64-bit adder.
// Cost: less-than 8 rounds, per element ≈ 3.8 words sent by party 0 and ≈ 2.8 by the others;
// equality 7 rounds, ≈ 2 words by party 0 and ≈ 1 by the others.
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using System.Runtime.CompilerServices;

namespace Smpc.Analytics.Protocols;

public static class Comparison
{
    /// <summary>[x &lt; y] per element.</summary>
    public static BitShare LessThan(MpcSession s, ArithmeticShare x, ArithmeticShare y) =>
        SignBit(s, Linear.Subtract(x, y));

    /// <summary>[x &lt; c] per element for a public c.</summary>
    public static BitShare LessThan(MpcSession s, ArithmeticShare x, ulong c) =>
        SignBit(s, Linear.AddPublic(s, x, 0UL - c));

    /// <summary>[c &lt; x] per element for a public c.</summary>
    public static BitShare GreaterThan(MpcSession s, ArithmeticShare x, ulong c) =>
        SignBit(s, Linear.AddPublic(s, Linear.Negate(x), c));

    /// <summary>[x &lt;= y] = NOT [y &lt; x].</summary>
    public static BitShare LessOrEqual(MpcSession s, ArithmeticShare x, ArithmeticShare y) =>
        BooleanGates.Not(s, LessThan(s, y, x));

    /// <summary>[x &lt;= c] = NOT [c &lt; x].</summary>
    public static BitShare LessOrEqual(MpcSession s, ArithmeticShare x, ulong c) =>
        BooleanGates.Not(s, GreaterThan(s, x, c));

    /// <summary>[x &gt;= c] = NOT [x &lt; c].</summary>
    public static BitShare GreaterOrEqual(MpcSession s, ArithmeticShare x, ulong c) =>
        BooleanGates.Not(s, LessThan(s, x, c));

    /// <summary>[x == y] per element.</summary>
    public static BitShare Equal(MpcSession s, ArithmeticShare x, ArithmeticShare y) => IsZero(s, Linear.Subtract(x, y));

    /// <summary>[x == c] per element for a public c.</summary>
    public static BitShare Equal(MpcSession s, ArithmeticShare x, ulong c) => IsZero(s, Linear.AddPublic(s, x, 0UL - c));

    /// <summary>Most significant bit of each element (1 for negative values).</summary>
    public static BitShare SignBit(MpcSession s, ArithmeticShare d)
    {
        int n = d.Length, w = BitMatrix.PlaneWords(n);
        var (a, b) = Conversion.TwoPartyPlanes(s, d, negateB: false);
        // msb(a + b) = a63 ^ b63 ^ carry into bit 63 (= carry out of bits 0..62).
        var (c0, c1) = BitPlaneCircuits.CarryOut(s, a, b, 63, w);
        Ring.Xor(c0, a.First.AsSpan(63 * w, w), c0); Ring.Xor(c0, b.First.AsSpan(63 * w, w), c0);
        Ring.Xor(c1, a.Second.AsSpan(63 * w, w), c1); Ring.Xor(c1, b.Second.AsSpan(63 * w, w), c1);
        return Packed(c0, c1, n);
    }

    /// <summary>[d == 0]: with d = a + b, d is zero exactly when a == −b, i.e. when NOT(a ^ −b) is all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BitShare IsZero(MpcSession s, ArithmeticShare d)
    {
        int n = d.Length, w = BitMatrix.PlaneWords(n);
        // −b is local: b is a trivial sharing (only component 2 is non-zero).
        var (a, negB) = Conversion.TwoPartyPlanes(s, d, negateB: true);
        var e = BooleanGates.Xor(a, negB);
        // NOT flips component 0 (held by parties 0 and 2).
        var flip = s.PartyId == 0 ? e.First : s.PartyId == 2 ? e.Second : null;
        if (flip is not null) for (int i = 0; i < flip.Length; i++) flip[i] = ~flip[i];
        var (z0, z1) = BitPlaneCircuits.AllOnes(s, e, 64, w);
        return Packed(z0, z1, n);
    }

    /// <summary>A result plane as a bit share; every component's bits past the length are cleared (they belong to padding).</summary>
    static BitShare Packed(ulong[] first, ulong[] second, int n)
    {
        if (first.Length > 0)
        {
            ulong tail = BitShare.TailMask(n);
            first[^1] &= tail;
            second[^1] &= tail;
        }
        return new BitShare(first, second, n);
    }
}
