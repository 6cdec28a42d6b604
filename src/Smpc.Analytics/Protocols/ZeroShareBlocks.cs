// Local steps that fold a PRG zero-sharing (MpcSession.ZeroShareStreams) into a party's term block by block.
// The streams are generated in cache-sized blocks at their word offsets and consumed at once, instead of being
// written to two column-length arrays and read back: the same words, the same results, less memory traffic.
// Reference: the zero-sharing of Araki et al., CCS 2016, §2.2 (α_i = F(k_i, id) − F(k_{i+1}, id)).
// Security and leakage: those of the calling protocol; this file only changes when stream words are computed.
// Cost: local; AES-CTR on two streams of n words, no allocation beyond the output.
using System.Runtime.CompilerServices;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Protocols;

internal static class ZeroShareBlocks
{
    /// <summary>Words per block: two blocks of streams (32 KB) stay in the first- or second-level cache.</summary>
    const int Block = 2048;

    /// <summary>z = x0·y0 + x0·y1 + x1·y0 + (r0 − r1), the zero share drawn under <paramref name="nonce"/>.</summary>
    [SkipLocalsInit, MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ProductTerm(MpcSession s, ulong nonce, ReadOnlySpan<ulong> x0, ReadOnlySpan<ulong> x1,
                                   ReadOnlySpan<ulong> y0, ReadOnlySpan<ulong> y1, Span<ulong> z)
    {
        Span<ulong> r0 = stackalloc ulong[Block], r1 = stackalloc ulong[Block];
        for (int off = 0; off < z.Length; off += Block)
        {
            int len = Math.Min(Block, z.Length - off);
            s.FillZeroShareStreams(r0[..len], r1[..len], nonce, off);
            Ring.ProductTerm(x0.Slice(off, len), x1.Slice(off, len), y0.Slice(off, len), y1.Slice(off, len), r0[..len], r1[..len], z.Slice(off, len));
        }
    }

    /// <summary>Boolean twin: z = x0&amp;y0 ^ x0&amp;y1 ^ x1&amp;y0 ^ r0 ^ r1.</summary>
    [SkipLocalsInit, MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AndTerm(MpcSession s, ulong nonce, ReadOnlySpan<ulong> x0, ReadOnlySpan<ulong> x1,
                               ReadOnlySpan<ulong> y0, ReadOnlySpan<ulong> y1, Span<ulong> z)
    {
        Span<ulong> r0 = stackalloc ulong[Block], r1 = stackalloc ulong[Block];
        for (int off = 0; off < z.Length; off += Block)
        {
            int len = Math.Min(Block, z.Length - off);
            s.FillZeroShareStreams(r0[..len], r1[..len], nonce, off);
            Ring.AndTerm(x0.Slice(off, len), x1.Slice(off, len), y0.Slice(off, len), y1.Slice(off, len), r0[..len], r1[..len], z.Slice(off, len));
        }
    }

    /// <summary>α ← α + r0 − r1 (arithmetic) or α ← α ^ r0 ^ r1 (<paramref name="xor"/>).</summary>
    [SkipLocalsInit, MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fold(MpcSession s, ulong nonce, Span<ulong> alpha, bool xor)
    {
        Span<ulong> r0 = stackalloc ulong[Block], r1 = stackalloc ulong[Block];
        for (int off = 0; off < alpha.Length; off += Block)
        {
            int len = Math.Min(Block, alpha.Length - off);
            var a = alpha.Slice(off, len);
            s.FillZeroShareStreams(r0[..len], r1[..len], nonce, off);
            if (xor) { Ring.Xor(a, r0[..len], a); Ring.Xor(a, r1[..len], a); }
            else { Ring.Add(a, r0[..len], a); Ring.Subtract(a, r1[..len], a); }
        }
    }
}
