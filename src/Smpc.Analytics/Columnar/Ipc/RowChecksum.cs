// Per-row checksum of a party's share file: h = fold over the row's fields in file order of
// h ← (h ⊕ v)·K mod 2^64, K odd, h starting at a fixed constant.
// Purpose: detect damaged files. Shares are uniform random, so a flipped bit in a share looks like any
// other share; without a check a damaged file would load and silently give wrong results.
// Each step is a bijection in h for fixed v and in v for fixed h, so any change to a single value of a row
// always changes that row's checksum; several changes in one row cancel only with probability ~2^−64.
// This is an integrity check against accident, not a MAC against an adversary (semi-honest model).
// Leakage: none beyond the file — it is a public function of the party's own shares.
// Cost: one xor and one multiply per stored value.
namespace Smpc.Analytics.Columnar.Ipc;

public static class RowChecksum
{
    const ulong Seed = 0x6A09E667F3BCC908UL;
    const ulong K = 0x9E3779B97F4A7C15UL;

    /// <summary>The starting state for <paramref name="rows"/> rows; <see cref="Absorb"/> each field in file order.</summary>
    public static ulong[] Start(int rows)
    {
        var h = new ulong[rows];
        h.AsSpan().Fill(Seed);
        return h;
    }

    /// <summary>Folds one field into the rows' checksums.</summary>
    public static void Absorb(Span<ulong> h, ReadOnlySpan<ulong> field)
    {
        if (field.Length != h.Length) throw Errors.LengthMismatch("row checksum", h.Length, field.Length);
        for (int r = 0; r < h.Length; r++) h[r] = (h[r] ^ field[r]) * K;
    }

    /// <summary>The first row whose stored checksum differs from the computed one, or −1.</summary>
    public static int FirstMismatch(ReadOnlySpan<ulong> computed, ReadOnlySpan<ulong> stored)
    {
        if (computed.Length != stored.Length) return Math.Min(computed.Length, stored.Length);
        for (int r = 0; r < computed.Length; r++) if (computed[r] != stored[r]) return r;
        return -1;
    }
}
