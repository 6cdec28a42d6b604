// Bit-plane layout: the transpose of a column of 64-bit words, so that bit j of every element sits in
// one packed bit vector ("plane" j). Boolean circuits that work bit position by bit position (a carry
// tree, an AND tree) then run on whole planes, and a plane is already a packed BitShare component.
// Transposing is linear over GF(2), so each party transposes its own xor-share components locally.
// Reference: Warren, "Hacker's Delight" (2nd ed., 2012), §7-3 (transposing a bit matrix, recursive block swaps).
// Cost: local only, about 20 simple operations per word.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Smpc.Analytics.Sharing;

internal static class BitMatrix
{
    /// <summary>Words per plane for <paramref name="elements"/> elements.</summary>
    public static int PlaneWords(int elements) => BitShare.WordsFor(elements);

    /// <summary>
    /// Writes plane j (0 ≤ j &lt; 64) of <paramref name="words"/> to <c>planes[j·W .. (j+1)·W)</c>, W = <see cref="PlaneWords"/>:
    /// bit k of <c>planes[j·W + w]</c> is bit j of <c>words[64·w + k]</c>. Elements past the end count as zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToPlanes(ReadOnlySpan<ulong> words, Span<ulong> planes)
    {
        int n = words.Length, w = PlaneWords(n);
        if (planes.Length != 64 * w) throw new ArgumentException($"Planes need {64 * w} words for {n} elements; got {planes.Length}.", nameof(planes));
        Span<ulong> block = stackalloc ulong[64];
        for (int b = 0; b < w; b++)
        {
            int start = 64 * b, count = Math.Min(64, n - start);
            words.Slice(start, count).CopyTo(block);
            if (count < 64) block[count..].Clear();
            Transpose64(block);
            for (int j = 0; j < 64; j++) planes[j * w + b] = block[j];
        }
    }

    /// <summary>In-place transpose of a 64×64 bit matrix: afterwards bit k of row j is the former bit j of row k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose64(Span<ulong> m)
    {
        if (m.Length != 64) throw new ArgumentException("A 64×64 bit matrix has 64 rows.", nameof(m));
        ref ulong a = ref MemoryMarshal.GetReference(m);
        // Stages with block size ≥ 4 swap runs of at least four consecutive rows: four rows per vector.
        if (Vector256.IsHardwareAccelerated)
        {
            SwapVector(ref a, 32, 0x00000000FFFFFFFFUL);
            SwapVector(ref a, 16, 0x0000FFFF0000FFFFUL);
            SwapVector(ref a, 8, 0x00FF00FF00FF00FFUL);
            SwapVector(ref a, 4, 0x0F0F0F0F0F0F0F0FUL);
        }
        else
        {
            SwapScalar(ref a, 32, 0x00000000FFFFFFFFUL);
            SwapScalar(ref a, 16, 0x0000FFFF0000FFFFUL);
            SwapScalar(ref a, 8, 0x00FF00FF00FF00FFUL);
            SwapScalar(ref a, 4, 0x0F0F0F0F0F0F0F0FUL);
        }
        SwapScalar(ref a, 2, 0x3333333333333333UL);
        SwapScalar(ref a, 1, 0x5555555555555555UL);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void SwapScalar(ref ulong a, int j, ulong mask)
    {
        for (int k = 0; k < 64; k = ((k | j) + 1) & ~j)
        {
            ref ulong lo = ref Unsafe.Add(ref a, k);
            ref ulong hi = ref Unsafe.Add(ref a, k | j);
            ulong t = ((lo >> j) ^ hi) & mask;
            lo ^= t << j;
            hi ^= t;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void SwapVector(ref ulong a, int j, ulong mask)
    {
        var m = Vector256.Create(mask);
        for (int k = 0; k < 64; k = ((k | j) + 4) & ~j)   // j ≥ 4: rows k..k+3 all lie below the block boundary
        {
            var lo = Vector256.LoadUnsafe(ref a, (nuint)k);
            var hi = Vector256.LoadUnsafe(ref a, (nuint)(k | j));
            var t = (Vector256.ShiftRightLogical(lo, j) ^ hi) & m;
            (lo ^ Vector256.ShiftLeft(t, j)).StoreUnsafe(ref a, (nuint)k);
            (hi ^ t).StoreUnsafe(ref a, (nuint)(k | j));
        }
    }
}
