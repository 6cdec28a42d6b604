// One-hot expansion of a stored categorical column: from one xor-shared code per row to one arithmetic 0/1
// indicator vector per domain value, at the compute parties, when a query first needs the column.
//
// Why a boolean code: a category is stored as its level index c (0..L−1; c+1 with 0 for a missing value when the
// column is nullable) in b = ⌈log2(codes)⌉ bits, xor-shared. The indicator of level k is then the AND of b literals
// (bit j of the code, inverted where bit j of k is 0; inverting a xor-sharing by a public constant is local), with
// no bit decomposition needed first: an arithmetic code would need an A2B adder (8 rounds, ~14 words per row)
// before the same AND tree. The xor shares of a b-bit code also fit in ⌈b/8⌉ bytes per component, which is what
// makes the stored form compact (ShareFormat, part "code").
// Protocol (per block of rows): transpose each component into bit planes (BitMatrix, local); one AND tree of depth
// ⌈log2 b⌉ evaluated for all L levels at once (each tree level is one batched AND message, BooleanGates.AndInto);
// bit injection of all L·rows indicator bits at once (Conversion.BitInjectionTerms + one reshare, 2 rounds).
// Reference: replicated boolean sharing and AND (Araki et al., CCS 2016, §2.2); bit injection (ABY3, Mohassel &
// Rindal, CCS 2018, §5.4).
// Cost: ⌈log2 b⌉ + 2 rounds per block; L·(b−1) bit-ANDs and L ring elements sent per row and party (the injection
// dominates). Blocks hold at most BlockElements level×row elements, so a 10M-row, 50-level column takes ~120 blocks
// and the temporary memory stays ~100 MB whatever the rows; a column of up to BlockElements/L rows is one block.
// Security: semi-honest, honest majority; every message is an AND or injection message masked as in those protocols.
// Leakage: none (b and L are public from the schema; the parties learn nothing about the codes).
using System.Runtime.CompilerServices;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Protocols;

public static class CategoryExpansion
{
    /// <summary>Largest number of level×row indicator elements expanded in one block (bounds temporary memory).</summary>
    public const int BlockElements = 1 << 22;

    /// <summary>Bits of a code that takes values 0..<paramref name="codes"/>−1 (at least 1).</summary>
    public static int BitsFor(int codes) => Math.Max(1, 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)Math.Max(1, codes - 1)));

    /// <summary>Rows per block for <paramref name="levels"/> levels (a multiple of 64).</summary>
    public static int BlockRows(int levels) => Math.Max(64, BlockElements / Math.Max(1, levels) / 64 * 64);

    /// <summary>Rounds the expansion of <paramref name="rows"/> rows takes.</summary>
    public static long Rounds(int rows, int bits, int levels, int? blockRows = null)
    {
        int depth = 0;
        for (int g = bits; g > 1; g = (g + 1) / 2) depth++;
        long block = blockRows ?? BlockRows(levels);
        long blocks = Math.Max(1, (rows + block - 1) / block);
        return blocks * (depth + 2);
    }

    /// <summary>
    /// The arithmetic 0/1 indicators [code = <paramref name="first"/> + k] for k = 0..<paramref name="levels"/>−1,
    /// from this party's view of a xor-shared code whose low <paramref name="bits"/> bits are used.
    /// </summary>
    /// <param name="blockRows">Rows per block (a multiple of 64; default <see cref="BlockRows"/>).</param>
    public static ArithmeticShare[] Expand(MpcSession s, BooleanShare code, int bits, int levels, int first, int? blockRows = null)
    {
        if (blockRows is { } b && (b < 64 || b % 64 != 0)) throw new ArgumentOutOfRangeException(nameof(blockRows), b, "Blocks are a positive multiple of 64 rows.");
        ArgumentNullException.ThrowIfNull(code);
        if (bits is < 1 or > 32) throw new ArgumentOutOfRangeException(nameof(bits), bits, "A category code has 1..32 bits.");
        if (levels < 1 || first < 0 || (long)first + levels > 1L << bits)
            throw new ArgumentOutOfRangeException(nameof(levels), levels, $"Levels {first}..{first + levels - 1} do not fit in {bits} bits.");
        int n = code.Length;
        var outFirst = new ulong[levels][];
        var outSecond = new ulong[levels][];
        for (int k = 0; k < levels; k++) { outFirst[k] = new ulong[n]; outSecond[k] = new ulong[n]; }
        int block = blockRows ?? BlockRows(levels);
        int start = 0;
        do
        {
            int m = Math.Min(block, n - start);
            ExpandBlock(s, code, start, m, bits, levels, first, outFirst, outSecond);
            start += m;
        } while (start < n);
        return [.. Enumerable.Range(0, levels).Select(k => new ArithmeticShare(outFirst[k], outSecond[k]))];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ExpandBlock(MpcSession s, BooleanShare code, int start, int m, int bits, int levels, int first, ulong[][] out0, ulong[][] out1)
    {
        int w = BitShare.WordsFor(Math.Max(1, m));
        // Bit planes of the code: plane j holds bit j of every row of the block, for each of the party's two components.
        var planes0 = new ulong[bits * w];
        var planes1 = new ulong[bits * w];
        Span<ulong> t = stackalloc ulong[64];
        for (int b = 0; b < w; b++)
        {
            int from = start + 64 * b, count = Math.Min(64, start + m - from);
            for (int which = 0; which < 2; which++)
            {
                var src = which == 0 ? code.First : code.Second;
                t.Clear();
                if (count > 0) src.AsSpan(from, count).CopyTo(t);
                BitMatrix.Transpose64(t);
                var planes = which == 0 ? planes0 : planes1;
                for (int j = 0; j < bits; j++) planes[j * w + b] = t[j];
            }
        }
        // Literals: level k, bit j is plane j where bit j of its code is 1, else its negation (public xor of all-ones:
        // component 0 changes, i.e. party 0's first and party 2's second component).
        bool flipFirst = s.PartyId == 0, flipSecond = s.PartyId == 2;
        int groups = bits;
        var cur0 = new ulong[levels * groups * w];
        var cur1 = new ulong[levels * groups * w];
        for (int k = 0; k < levels; k++)
        {
            int value = first + k;
            for (int j = 0; j < bits; j++)
            {
                bool invert = ((value >> j) & 1) == 0;
                ulong f0 = invert && flipFirst ? ulong.MaxValue : 0, f1 = invert && flipSecond ? ulong.MaxValue : 0;
                int at = (k * groups + j) * w;
                for (int x = 0; x < w; x++)
                {
                    cur0[at + x] = planes0[j * w + x] ^ f0;
                    cur1[at + x] = planes1[j * w + x] ^ f1;
                }
            }
        }
        // AND tree, one batched AND per tree level for all levels.
        while (groups > 1)
        {
            int pairs = groups / 2, next = pairs + groups % 2;
            var x0 = new ulong[levels * pairs * w]; var x1 = new ulong[levels * pairs * w];
            var y0 = new ulong[levels * pairs * w]; var y1 = new ulong[levels * pairs * w];
            for (int k = 0; k < levels; k++)
                for (int p = 0; p < pairs; p++)
                {
                    int to = (k * pairs + p) * w;
                    cur0.AsSpan((k * groups + 2 * p) * w, w).CopyTo(x0.AsSpan(to, w));
                    cur1.AsSpan((k * groups + 2 * p) * w, w).CopyTo(x1.AsSpan(to, w));
                    cur0.AsSpan((k * groups + 2 * p + 1) * w, w).CopyTo(y0.AsSpan(to, w));
                    cur1.AsSpan((k * groups + 2 * p + 1) * w, w).CopyTo(y1.AsSpan(to, w));
                }
            var z0 = new ulong[levels * pairs * w]; var z1 = new ulong[levels * pairs * w];
            BooleanGates.AndInto(s, x0, x1, y0, y1, z0, z1);
            var n0 = new ulong[levels * next * w]; var n1 = new ulong[levels * next * w];
            for (int k = 0; k < levels; k++)
            {
                z0.AsSpan(k * pairs * w, pairs * w).CopyTo(n0.AsSpan(k * next * w));
                z1.AsSpan(k * pairs * w, pairs * w).CopyTo(n1.AsSpan(k * next * w));
                if (groups % 2 == 1)
                {
                    cur0.AsSpan((k * groups + groups - 1) * w, w).CopyTo(n0.AsSpan((k * next + pairs) * w));
                    cur1.AsSpan((k * groups + groups - 1) * w, w).CopyTo(n1.AsSpan((k * next + pairs) * w));
                }
            }
            (cur0, cur1, groups) = (n0, n1, next);
        }
        // cur holds one plane of w words per level: level k's row i is element k·64w + i. Inject all at once.
        var alpha = Conversion.BitInjectionTerms(s, new BitShare(cur0, cur1, levels * 64 * w), s.NextNonce());
        var share = Reshare.FromAdditive(s, alpha);
        for (int k = 0; k < levels; k++)
        {
            share.First.AsSpan(k * 64 * w, m).CopyTo(out0[k].AsSpan(start, m));
            share.Second.AsSpan(k * 64 * w, m).CopyTo(out1[k].AsSpan(start, m));
        }
    }
}
