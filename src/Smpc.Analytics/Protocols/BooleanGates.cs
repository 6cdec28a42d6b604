// Boolean (xor) replicated sharing: AND, XOR, NOT on 64-bit words or packed bits.
// Reference: Araki et al., CCS 2016, §2.2 (the same protocol as arithmetic multiplication over GF(2)^64).
// Security: semi-honest, honest majority. Leakage: none.
// Cost: XOR/NOT local; AND 1 round, one word per 64 bit-lanes per party.
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;
using System.Runtime.CompilerServices;

namespace Smpc.Analytics.Protocols;

public static class BooleanGates
{
    /// <summary>Bitwise AND of two shared word vectors (1 round).</summary>
    public static BooleanShare And(MpcSession s, BooleanShare x, BooleanShare y)
    {
        if (x.Length != y.Length) throw Errors.LengthMismatch("and", x.Length, y.Length);
        var z = GC.AllocateUninitializedArray<ulong>(x.Length);
        ZeroShareBlocks.AndTerm(s, s.NextNonce(), x.First, x.Second, y.First, y.Second, z);
        return new BooleanShare(z, Reshare.SendPrevReceiveNext(s, z));
    }

    /// <summary>
    /// The same AND gate on spans: z = x &amp; y, written to (<paramref name="z0"/>, <paramref name="z1"/>) (1 round).
    /// Lets circuits batch many gates into one message without copying into fresh share objects.
    /// </summary>
    internal static void AndInto(MpcSession s, ReadOnlySpan<ulong> x0, ReadOnlySpan<ulong> x1, ReadOnlySpan<ulong> y0, ReadOnlySpan<ulong> y1,
                                 Span<ulong> z0, Span<ulong> z1)
    {
        if (x0.Length != y0.Length) throw Errors.LengthMismatch("and", x0.Length, y0.Length);
        if (x0.Length != z0.Length || z1.Length != z0.Length) throw Errors.LengthMismatch("and", x0.Length, z0.Length);
        ZeroShareBlocks.AndTerm(s, s.NextNonce(), x0, x1, y0, y1, z0);
        s.Prev.SendWords(z0);
        s.Next.ReceiveWords(z1);
        s.CountRound();
    }

    public static BooleanShare Xor(BooleanShare x, BooleanShare y)
    {
        if (x.Length != y.Length) throw Errors.LengthMismatch("xor", x.Length, y.Length);
        var a = new ulong[x.Length]; var b = new ulong[x.Length];
        Ring.Xor(x.First, y.First, a);
        Ring.Xor(x.Second, y.Second, b);
        return new(a, b);
    }

    /// <summary>x ^ c for a public c: only component 0 changes (parties 0 and 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BooleanShare XorPublic(MpcSession s, BooleanShare x, ulong c)
    {
        var a = (ulong[])x.First.Clone(); var b = (ulong[])x.Second.Clone();
        if (s.PartyId == 0) for (int i = 0; i < a.Length; i++) a[i] ^= c;
        if (s.PartyId == 2) for (int i = 0; i < b.Length; i++) b[i] ^= c;
        return new(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BooleanShare ShiftLeft(BooleanShare x, int bits)
    {
        var a = new ulong[x.Length]; var b = new ulong[x.Length];
        for (int i = 0; i < a.Length; i++) { a[i] = x.First[i] << bits; b[i] = x.Second[i] << bits; }
        return new(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BooleanShare ShiftRight(BooleanShare x, int bits)
    {
        var a = new ulong[x.Length]; var b = new ulong[x.Length];
        for (int i = 0; i < a.Length; i++) { a[i] = x.First[i] >> bits; b[i] = x.Second[i] >> bits; }
        return new(a, b);
    }

    /// <summary>Several ANDs of equal-length pairs in one round.</summary>
    public static BooleanShare[] AndMany(MpcSession s, IReadOnlyList<(BooleanShare X, BooleanShare Y)> pairs)
    {
        int total = pairs.Sum(p => p.X.Length);
        var x0 = new ulong[total]; var x1 = new ulong[total]; var y0 = new ulong[total]; var y1 = new ulong[total];
        int offset = 0;
        foreach (var (x, y) in pairs)
        {
            if (x.Length != y.Length) throw Errors.LengthMismatch("and", x.Length, y.Length);
            x.First.CopyTo(x0, offset); x.Second.CopyTo(x1, offset); y.First.CopyTo(y0, offset); y.Second.CopyTo(y1, offset);
            offset += x.Length;
        }
        var z = And(s, new BooleanShare(x0, x1), new BooleanShare(y0, y1));
        var results = new BooleanShare[pairs.Count];
        offset = 0;
        for (int k = 0; k < pairs.Count; k++)
        {
            int n = pairs[k].X.Length;
            results[k] = new BooleanShare(z.First.AsSpan(offset, n).ToArray(), z.Second.AsSpan(offset, n).ToArray());
            offset += n;
        }
        return results;
    }

    // ---- packed bits ----

    public static BitShare And(MpcSession s, BitShare x, BitShare y)
    {
        if (x.Length != y.Length) throw Errors.LengthMismatch("and", x.Length, y.Length);
        var z = And(s, new BooleanShare(x.First, x.Second), new BooleanShare(y.First, y.Second));
        return new BitShare(z.First, z.Second, x.Length);
    }

    public static BitShare Xor(BitShare x, BitShare y)
    {
        if (x.Length != y.Length) throw Errors.LengthMismatch("xor", x.Length, y.Length);
        var z = Xor(new BooleanShare(x.First, x.Second), new BooleanShare(y.First, y.Second));
        return new BitShare(z.First, z.Second, x.Length);
    }

    /// <summary>x OR y = x ^ y ^ (x AND y) (1 round).</summary>
    public static BitShare Or(MpcSession s, BitShare x, BitShare y) => Xor(Xor(x, y), And(s, x, y));

    /// <summary>NOT x (local; flips component 0, keeps bits past the length at zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BitShare Not(MpcSession s, BitShare x)
    {
        var a = (ulong[])x.First.Clone(); var b = (ulong[])x.Second.Clone();
        var target = s.PartyId == 0 ? a : s.PartyId == 2 ? b : null;
        if (target is not null)
        {
            for (int i = 0; i < target.Length; i++) target[i] = ~target[i];
            if (target.Length > 0) target[^1] &= BitShare.TailMask(x.Length);
        }
        return new BitShare(a, b, x.Length);
    }

    /// <summary>Gathers bit <paramref name="position"/> of every element into a packed bit share (local).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BitShare ExtractBit(BooleanShare x, int position)
    {
        int words = BitShare.WordsFor(x.Length);
        var a = new ulong[words]; var b = new ulong[words];
        for (int i = 0; i < x.Length; i++)
        {
            a[i >> 6] |= ((x.First[i] >> position) & 1) << (i & 63);
            b[i >> 6] |= ((x.Second[i] >> position) & 1) << (i & 63);
        }
        return new BitShare(a, b, x.Length);
    }
}
