// Exact truncation of replicated shares by d bits: y = floor(x / 2^d) exactly, for |x| < 2^62.
//
// References: the wrap-bit identity of truncation with known most-significant bit, Huang et al., "Cheetah"
// (USENIX Security 2022, §4.3); the 2-out-of-2 view of replicated shares, ABY3 (Mohassel & Rindal, CCS 2018,
// §5.1.1); the carry of the low bits by a carry-lookahead tree on bit planes (Brent & Kung 1982; ABY3 §5.3),
// see BitPlaneCircuits.CarryOut. Unlike ABY3's probabilistic truncation it never fails, and unlike a local
// truncation of shares it has no ±1 error: the result does not depend on the random shares, so the same
// computation gives the same bits in one process, across three hosts, and in the plaintext reference.
//
// Worked example. Party 0 knows a = x0 + x1; parties 1 and 2 know b = x2 + 2^62. With u = x + 2^62,
// u = a + b − w·2^64 and 0 ≤ u < 2^63, so the wrap bit is w = msb(a) OR msb(b). Then
//   floor(u/2^d) = (a >> d) + (b >> d) + c − w·2^(64−d),  c = carry out of (a mod 2^d) + (b mod 2^d),
// and, writing sar for the arithmetic shift, (a>>d) − msb(a)·2^(64−d) = sar(a, d), so
//   y = sar(a,d) + [sar(b,d) − 2^(62−d)] + msb(a)·msb(b)·2^(64−d) + c  =  floor(x/2^d).
// E.g. d = 4, x = −3: floor(−3/16) = −1; whatever the shares, the four terms add up to −1.
// The cross term msb(a)·msb(b) (a bit of party 0 times a bit known to parties 1 and 2): party 0 sends
// m = msb(a) − r to party 2, r from the PRG it shares with party 1; party 1 takes r·msb(b), party 2 m·msb(b).
// The carry c: party 0 xor-shares the d low bit planes of a (one message to party 1, masked by the PRG it
// shares with party 2), the low planes of b are a trivial sharing, a carry tree gives c as shared bits, and bit
// injection turns it into additive terms. All additive terms are reshared once.
//
// Security: semi-honest, honest majority. Party 2 receives m masked by r (parties 0, 1); party 1 receives a's low
// planes masked by party 0 and 2's stream; the carry tree's ANDs and the injection are masked as in
// BooleanGates and Conversion; resharing hides the rest. Leakage: none.
// Cost: 3 + ⌈log2 d⌉ + 1 + 1 rounds (8 for d = 16); per element party 0 sends about 2 + d/64·4 words, the others
// about 1 + d/64·3.
using System.Runtime.CompilerServices;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Protocols;

public static class Truncation
{
    const ulong Offset = 1UL << 62;

    /// <summary>Arithmetic right shift of every element by <paramref name="bits"/>: exactly floor(x/2^bits).
    /// Requires |x| &lt; 2^62 (callers check declared bounds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ArithmeticShare Truncate(MpcSession s, ArithmeticShare x, int bits)
    {
        if (bits is < 1 or > 62) throw new ArgumentOutOfRangeException(nameof(bits), bits, "Truncation must drop between 1 and 62 bits.");
        int n = x.Length, w = BitMatrix.PlaneWords(n), lowWords = bits * w;
        if (n == 0) return x;
        ulong nonce = s.NextNonce();      // sub-streams: +0 cross-term mask r, +1 plane mask, +2 carry injection
        ulong k = 1UL << (64 - bits);
        var alpha = new ulong[n];
        var zeros = new ulong[64 * w];
        BooleanShare aLow, bLow;

        // Round 1: party 0 sends m = msb(a) − r to party 2 and the masked low planes of a to party 1.
        switch (s.PartyId)
        {
            case 0:
            {
                var r = GC.AllocateUninitializedArray<ulong>(n);
                s.FillSharedWithNext(r, nonce);                     // r: parties 0 and 1
                var a = GC.AllocateUninitializedArray<ulong>(n);
                var m = GC.AllocateUninitializedArray<ulong>(n);
                for (int i = 0; i < n; i++)
                {
                    a[i] = x.First[i] + x.Second[i];
                    alpha[i] = (ulong)((long)a[i] >> bits);
                    m[i] = (a[i] >> 63) - r[i];
                }
                s.Prev.SendWords(m);                                  // to party 2
                var planes = Planes(a, w);
                var mask = new ulong[64 * w];
                s.FillSharedWithPrev(mask.AsSpan(0, lowWords), nonce + 1);   // component 0: parties 0 and 2
                var masked = new ulong[64 * w];
                Ring.Xor(planes.AsSpan(0, lowWords), mask.AsSpan(0, lowWords), masked.AsSpan(0, lowWords));
                s.Next.SendWords(masked.AsSpan(0, lowWords));         // component 1 to party 1
                aLow = new BooleanShare(mask, masked);
                bLow = new BooleanShare(zeros, zeros);
                break;
            }
            case 1:
            {
                var r = GC.AllocateUninitializedArray<ulong>(n);
                s.FillSharedWithPrev(r, nonce);
                for (int i = 0; i < n; i++)
                {
                    ulong b = x.Second[i] + Offset;                    // x.Second is x2 at party 1
                    alpha[i] = r[i] * (b >> 63) * k;
                }
                var masked = new ulong[64 * w];
                s.Prev.ReceiveWords(masked.AsSpan(0, lowWords));
                aLow = new BooleanShare(masked, zeros);
                bLow = new BooleanShare(zeros, Planes(x.Second, w));   // low planes of x2 = low planes of b
                break;
            }
            default:
            {
                var m = s.Next.ReceiveWords(n);                        // from party 0
                for (int i = 0; i < n; i++)
                {
                    ulong b = x.First[i] + Offset;                     // x.First is x2 at party 2
                    alpha[i] = m[i] * (b >> 63) * k + (ulong)((long)b >> bits) - (Offset >> bits);
                }
                var mask = new ulong[64 * w];
                s.FillSharedWithNext(mask.AsSpan(0, lowWords), nonce + 1);
                aLow = new BooleanShare(zeros, mask);
                bLow = new BooleanShare(Planes(x.First, w), zeros);
                break;
            }
        }
        s.CountRound();

        // The carry out of the low d bits of a + b, as shared bits; then its additive terms, folded into α.
        var (c0, c1) = BitPlaneCircuits.CarryOut(s, aLow, bLow, bits, w);
        if (w > 0) { ulong tail = BitShare.TailMask(n); c0[^1] &= tail; c1[^1] &= tail; }
        var carry = Conversion.BitInjectionTerms(s, new BitShare(c0, c1, n), nonce + 2);
        Ring.Add(alpha, carry, alpha);
        return Reshare.FromAdditive(s, alpha);
    }

    static ulong[] Planes(ReadOnlySpan<ulong> words, int w)
    {
        var planes = GC.AllocateUninitializedArray<ulong>(64 * w);
        BitMatrix.ToPlanes(words, planes);
        return planes;
    }
}
