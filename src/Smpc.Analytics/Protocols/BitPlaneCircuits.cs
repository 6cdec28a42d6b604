// Boolean circuits on bit planes (see Sharing/BitMatrix.cs): plane j holds bit j of every element, xor-shared.
//
// CarryOut: the carry out of the low `width` bits of a + b — the only carry a sign bit needs. A carry-lookahead
// reduction tree (Brent & Kung, "A regular layout for parallel adders", IEEE Trans. Computers C-31(3), 1982, §II;
// the "parallel prefix adder" for MSB extraction in ABY3, Mohassel & Rindal CCS 2018, §5.3) combines adjacent
// groups, (G, P)_hi ∘ (G, P)_lo = (G_hi ^ P_hi·G_lo, P_hi·P_lo), halving the group count every round. Only the
// group generate of bits 0..width−1 is kept, so unlike a full Kogge–Stone adder no carry into another bit is
// computed and the AND count is about 3·width per element instead of ~12·64. The lowest group never needs its P.
// Example, width = 4: level 0 gives g_j = a_j·b_j, p_j = a_j ^ b_j; level 1 gives G_{1:0} = g1 ^ p1·g0 and
// (G, P)_{3:2}; level 2 gives G_{3:0} = G_{3:2} ^ P_{3:2}·G_{1:0}, the carry into bit 4.
// AllOnes: AND of planes 0..63 by a balanced tree (63 plane ANDs, 6 rounds) — the zero test of equality.
//
// Security: semi-honest, honest majority; every AND is the replicated-sharing gate of BooleanGates.cs (Araki et al.,
// CCS 2016, §2.2), so parties see only PRG-masked words. Leakage: none.
// Cost (per element, per party): CarryOut with width = 63: 7 rounds, 181 bit-ANDs ≈ 2.8 words sent;
// AllOnes: 6 rounds, 63 bit-ANDs ≈ 1 word sent.
using System.Runtime.CompilerServices;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Protocols;

internal static class BitPlaneCircuits
{
    /// <summary>Carry out of bits 0..<paramref name="width"/>−1 of a + b, as one plane of <paramref name="w"/> words.</summary>
    /// <param name="a">Planes of a (at least <paramref name="width"/> planes of <paramref name="w"/> words).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (ulong[] First, ulong[] Second) CarryOut(MpcSession s, BooleanShare a, BooleanShare b, int width, int w)
    {
        if (width < 1 || a.Length < width * w || b.Length < width * w) throw new ArgumentOutOfRangeException(nameof(width));
        int span = width * w;
        // Level 0: generate g = a & b (one batched AND), propagate p = a ^ b (local).
        var g0 = GC.AllocateUninitializedArray<ulong>(span); var g1 = GC.AllocateUninitializedArray<ulong>(span);
        BooleanGates.AndInto(s, a.First.AsSpan(0, span), a.Second.AsSpan(0, span), b.First.AsSpan(0, span), b.Second.AsSpan(0, span), g0, g1);
        var p0 = GC.AllocateUninitializedArray<ulong>(span); var p1 = GC.AllocateUninitializedArray<ulong>(span);
        Ring.Xor(a.First.AsSpan(0, span), b.First.AsSpan(0, span), p0);
        Ring.Xor(a.Second.AsSpan(0, span), b.Second.AsSpan(0, span), p1);

        int groups = width;
        while (groups > 1)
        {
            int pairs = groups / 2, ands = 2 * pairs - 1;
            // Gates: P_hi·G_lo for every pair k, then P_hi·P_lo for pairs k ≥ 1 (the lowest group's P is never used).
            var x0 = GC.AllocateUninitializedArray<ulong>(ands * w); var x1 = GC.AllocateUninitializedArray<ulong>(ands * w);
            var y0 = GC.AllocateUninitializedArray<ulong>(ands * w); var y1 = GC.AllocateUninitializedArray<ulong>(ands * w);
            for (int k = 0; k < pairs; k++)
            {
                Copy(p0, p1, 2 * k + 1, x0, x1, k, w);
                Copy(g0, g1, 2 * k, y0, y1, k, w);
                if (k == 0) continue;
                Copy(p0, p1, 2 * k + 1, x0, x1, pairs + k - 1, w);
                Copy(p0, p1, 2 * k, y0, y1, pairs + k - 1, w);
            }
            var z0 = GC.AllocateUninitializedArray<ulong>(ands * w); var z1 = GC.AllocateUninitializedArray<ulong>(ands * w);
            BooleanGates.AndInto(s, x0, x1, y0, y1, z0, z1);

            int next = pairs + groups % 2;
            var ng0 = GC.AllocateUninitializedArray<ulong>(next * w); var ng1 = GC.AllocateUninitializedArray<ulong>(next * w);
            var np0 = GC.AllocateUninitializedArray<ulong>(next * w); var np1 = GC.AllocateUninitializedArray<ulong>(next * w);
            for (int k = 0; k < pairs; k++)
            {
                Ring.Xor(g0.AsSpan((2 * k + 1) * w, w), z0.AsSpan(k * w, w), ng0.AsSpan(k * w, w));
                Ring.Xor(g1.AsSpan((2 * k + 1) * w, w), z1.AsSpan(k * w, w), ng1.AsSpan(k * w, w));
                if (k == 0) { np0.AsSpan(0, w).Clear(); np1.AsSpan(0, w).Clear(); continue; }
                Copy(z0, z1, pairs + k - 1, np0, np1, k, w);
            }
            if (groups % 2 == 1)
            {
                Copy(g0, g1, groups - 1, ng0, ng1, pairs, w);
                Copy(p0, p1, groups - 1, np0, np1, pairs, w);
            }
            (g0, g1, p0, p1, groups) = (ng0, ng1, np0, np1, next);
        }
        return (g0.Length == w ? g0 : g0[..w], g1.Length == w ? g1 : g1[..w]);
    }

    /// <summary>AND over planes 0..<paramref name="planes"/>−1 of <paramref name="e"/>, as one plane of <paramref name="w"/> words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (ulong[] First, ulong[] Second) AllOnes(MpcSession s, BooleanShare e, int planes, int w)
    {
        var e0 = e.First.AsSpan(0, planes * w).ToArray(); var e1 = e.Second.AsSpan(0, planes * w).ToArray();
        int groups = planes;
        while (groups > 1)
        {
            int pairs = groups / 2, next = pairs + groups % 2;
            var x0 = GC.AllocateUninitializedArray<ulong>(pairs * w); var x1 = GC.AllocateUninitializedArray<ulong>(pairs * w);
            var y0 = GC.AllocateUninitializedArray<ulong>(pairs * w); var y1 = GC.AllocateUninitializedArray<ulong>(pairs * w);
            for (int k = 0; k < pairs; k++)
            {
                Copy(e0, e1, 2 * k + 1, x0, x1, k, w);
                Copy(e0, e1, 2 * k, y0, y1, k, w);
            }
            var z0 = GC.AllocateUninitializedArray<ulong>(next * w); var z1 = GC.AllocateUninitializedArray<ulong>(next * w);
            BooleanGates.AndInto(s, x0, x1, y0, y1, z0.AsSpan(0, pairs * w), z1.AsSpan(0, pairs * w));
            if (groups % 2 == 1) Copy(e0, e1, groups - 1, z0, z1, pairs, w);
            (e0, e1, groups) = (z0, z1, next);
        }
        return (e0.Length == w ? e0 : e0[..w], e1.Length == w ? e1 : e1[..w]);
    }

    static void Copy(ulong[] from0, ulong[] from1, int fromPlane, ulong[] to0, ulong[] to1, int toPlane, int w)
    {
        from0.AsSpan(fromPlane * w, w).CopyTo(to0.AsSpan(toPlane * w, w));
        from1.AsSpan(fromPlane * w, w).CopyTo(to1.AsSpan(toPlane * w, w));
    }
}
