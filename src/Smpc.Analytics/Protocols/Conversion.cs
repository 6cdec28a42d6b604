// Conversions between arithmetic (Z_2^64) and boolean (xor) replicated sharings.
// Reference: ABY3 (Mohassel & Rindal, CCS 2018) §5.3 (A2B via a binary adder, B2A with random masks,
// bit injection §5.4).
//
// A2B: party 0 knows a = x0 + x1, parties 1 and 2 know b = x2. Party 0 xor-shares a (one message to
// party 1), b is a trivial sharing (component 2 = b), and a binary adder computes a + b.
// Cost: 8 rounds, ~14 words per element per party.
// B2A (words): parties draw ρ1 (parties 0,1) and ρ2 (parties 1,2), compute y = x − ρ1 − ρ2 with a
// carry-save adder and a binary adder, and open y to parties 0 and 2 only; (y, ρ1, ρ2) is the result.
// Cost: 9 rounds. Bit injection (one bit per element): party 0 knows t = c0 ^ c1, parties 1 and 2 know
// c2; t ^ c2 = t + c2 − 2·t·c2, the cross term as in Truncation.cs. Cost: 2 rounds, ~1.3 words per party.
// Security: semi-honest, honest majority; every message is masked by a PRG value its receiver lacks.
// Leakage: none.
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;
using System.Runtime.CompilerServices;

namespace Smpc.Analytics.Protocols;

public static class Conversion
{
    /// <summary>Arithmetic to boolean sharing of the same 64-bit values.</summary>
    public static BooleanShare ToBoolean(MpcSession s, ArithmeticShare x)
    {
        var (a, b) = TwoPartyView(s, x);
        return BinaryAdder.Add(s, a, b);
    }

    /// <summary>
    /// The 2-out-of-2 view of x as two xor-shared addends: a = x0 + x1 (party 0's private value, shared
    /// with one message) and b = x2 + <paramref name="offset"/> (known to parties 1 and 2, shared for free).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (BooleanShare A, BooleanShare B) TwoPartyView(MpcSession s, ArithmeticShare x, ulong offset = 0)
    {
        int n = x.Length;
        ulong nonce = s.NextNonce();
        var z = new ulong[n];
        s.CountRound();
        switch (s.PartyId)
        {
            case 0:
            {
                var c0 = new ulong[n];
                s.FillSharedWithPrev(c0, nonce);                  // component 0, with party 2
                var c1 = new ulong[n];
                for (int i = 0; i < n; i++) c1[i] = (x.First[i] + x.Second[i]) ^ c0[i];
                s.Next.SendWords(c1);                              // component 1 to party 1
                return (new BooleanShare(c0, c1), new BooleanShare(z, new ulong[n]));
            }
            case 1:
            {
                var c1 = s.Prev.ReceiveWords(n);
                var b2 = new ulong[n];
                for (int i = 0; i < n; i++) b2[i] = x.Second[i] + offset;
                return (new BooleanShare(c1, new ulong[n]), new BooleanShare(new ulong[n], b2));
            }
            default:
            {
                var c0 = new ulong[n];
                s.FillSharedWithNext(c0, nonce);
                var b2 = new ulong[n];
                for (int i = 0; i < n; i++) b2[i] = x.First[i] + offset;
                return (new BooleanShare(new ulong[n], c0), new BooleanShare(b2, z));
            }
        }
    }

    /// <summary>
    /// <see cref="TwoPartyView"/> in bit-plane layout (Sharing/BitMatrix.cs): the same single message from party 0
    /// to party 1, then each party transposes its components locally. With <paramref name="negateB"/>, b is
    /// −x2 instead of x2 (so that x = 0 exactly when a = b). Returns planes of 64·W words, W = ⌈n/64⌉.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (BooleanShare A, BooleanShare B) TwoPartyPlanes(MpcSession s, ArithmeticShare x, bool negateB)
    {
        int n = x.Length, size = 64 * BitMatrix.PlaneWords(n);
        ulong nonce = s.NextNonce();
        s.CountRound();
        ulong[] Planes(ReadOnlySpan<ulong> words) { var p = GC.AllocateUninitializedArray<ulong>(size); BitMatrix.ToPlanes(words, p); return p; }
        ulong[] BPlanes(ulong[] x2)
        {
            if (!negateB) return Planes(x2);
            var neg = GC.AllocateUninitializedArray<ulong>(n);
            for (int i = 0; i < n; i++) neg[i] = 0UL - x2[i];
            return Planes(neg);
        }
        switch (s.PartyId)
        {
            case 0:
            {
                var c0 = GC.AllocateUninitializedArray<ulong>(n);
                s.FillSharedWithPrev(c0, nonce);                  // component 0, with party 2
                var c1 = GC.AllocateUninitializedArray<ulong>(n);
                for (int i = 0; i < n; i++) c1[i] = (x.First[i] + x.Second[i]) ^ c0[i];
                s.Next.SendWords(c1);                              // component 1 to party 1
                return (new BooleanShare(Planes(c0), Planes(c1)), new BooleanShare(new ulong[size], new ulong[size]));
            }
            case 1:
            {
                var c1 = s.Prev.ReceiveWords(n);
                return (new BooleanShare(Planes(c1), new ulong[size]), new BooleanShare(new ulong[size], BPlanes(x.Second)));
            }
            default:
            {
                var c0 = GC.AllocateUninitializedArray<ulong>(n);
                s.FillSharedWithNext(c0, nonce);
                return (new BooleanShare(new ulong[size], Planes(c0)), new BooleanShare(BPlanes(x.First), new ulong[size]));
            }
        }
    }

    /// <summary>The bits of each word as packed shared bits, word by word (bit j of word i is element 64·i + j): the
    /// boolean sharing of a word is exactly 64 packed bit elements. Cost: that of <see cref="ToBoolean"/>.</summary>
    public static BitShare WordBits(MpcSession s, ArithmeticShare words)
    {
        var b = ToBoolean(s, words);
        return new BitShare(b.First, b.Second, checked(64 * words.Length));
    }

    /// <summary>Boolean to arithmetic sharing of 64-bit words.</summary>
    public static ArithmeticShare ToArithmetic(MpcSession s, BooleanShare x)
    {
        int n = x.Length;
        ulong nonce = s.NextNonce();
        var rho1 = new ulong[n]; var rho2 = new ulong[n];
        var zero = new ulong[n];
        // −ρ1 sits in component 1 (parties 0,1), −ρ2 in component 2 (parties 1,2).
        BooleanShare u, v;
        switch (s.PartyId)
        {
            case 0:
                s.FillSharedWithNext(rho1, nonce);
                u = new BooleanShare(zero, Negated(rho1)); v = new BooleanShare(zero, zero);
                break;
            case 1:
                s.FillSharedWithPrev(rho1, nonce); s.FillSharedWithNext(rho2, nonce);
                u = new BooleanShare(Negated(rho1), zero); v = new BooleanShare(zero, Negated(rho2));
                break;
            default:
                s.FillSharedWithPrev(rho2, nonce);
                u = new BooleanShare(zero, zero); v = new BooleanShare(Negated(rho2), zero);
                break;
        }
        var (sum, carry) = BinaryAdder.CarrySave(s, x, u, v);
        var y = BinaryAdder.Add(s, sum, carry);
        // Open y to parties 0 and 2 (the holders of component 0); party 1 learns nothing.
        s.CountRound();
        switch (s.PartyId)
        {
            case 0:
            {
                s.Prev.SendWords(y.Second);                        // component 1 to party 2
                var c2 = s.Prev.ReceiveWords(n);                  // component 2 from party 2
                return new ArithmeticShare(Xor3(y.First, y.Second, c2), rho1);
            }
            case 1:
                return new ArithmeticShare(rho1, rho2);           // party 1 neither sends nor learns y
            default:
            {
                s.Next.SendWords(y.First);                         // component 2 to party 0
                var c1 = s.Next.ReceiveWords(n);                  // component 1 from party 0
                return new ArithmeticShare(rho2, Xor3(y.First, y.Second, c1));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static ulong[] Negated(ulong[] v)
    {
        var r = new ulong[v.Length];
        for (int i = 0; i < v.Length; i++) r[i] = 0UL - v[i];
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static ulong[] Xor3(ulong[] a, ulong[] b, ulong[] c)
    {
        var r = new ulong[a.Length];
        for (int i = 0; i < r.Length; i++) r[i] = a[i] ^ b[i] ^ c[i];
        return r;
    }

    /// <summary>Arithmetic 0/1 values from packed shared bits (bit injection).</summary>
    public static ArithmeticShare BitsToArithmetic(MpcSession s, BitShare bits) =>
        Reshare.FromAdditive(s, BitInjectionTerms(s, bits, s.NextNonce()));

    /// <summary>
    /// This party's three-out-of-three additive term of the bits as 0/1 ring elements, before resharing (one round:
    /// party 0 sends t − r to party 2). Callers may add further additive terms and reshare once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ulong[] BitInjectionTerms(MpcSession s, BitShare bits, ulong nonce)
    {
        int n = bits.Length;
        var alpha = new ulong[n];
        switch (s.PartyId)
        {
            case 0:
            {
                var r = new ulong[n];
                s.FillSharedWithNext(r, nonce);                   // r: parties 0 and 1
                var m = new ulong[n];
                for (int i = 0; i < n; i++)
                {
                    ulong t = ((bits.First[i >> 6] ^ bits.Second[i >> 6]) >> (i & 63)) & 1;
                    alpha[i] = t;
                    m[i] = t - r[i];
                }
                s.Prev.SendWords(m);
                break;
            }
            case 1:
            {
                var r = new ulong[n];
                s.FillSharedWithPrev(r, nonce);
                for (int i = 0; i < n; i++)
                {
                    ulong c2 = (bits.Second[i >> 6] >> (i & 63)) & 1;
                    alpha[i] = 0UL - 2 * r[i] * c2;
                }
                break;
            }
            default:
            {
                var m = s.Next.ReceiveWords(n);
                for (int i = 0; i < n; i++)
                {
                    ulong c2 = (bits.First[i >> 6] >> (i & 63)) & 1;
                    alpha[i] = c2 - 2 * m[i] * c2;
                }
                break;
            }
        }
        s.CountRound();
        return alpha;
    }
}
