// A uniformly random permutation drawn and applied in cache-sized buckets (the local step of Shuffle.cs).
// Reference: Rao, "Generation of random permutations of given number of elements using random sampling
// numbers", Sankhyā A 23 (1961); Sandelius, "A simple randomization procedure", J. R. Stat. Soc. B 24 (1962):
// send every element to one of B buckets independently and uniformly, shuffle each bucket uniformly
// (Fisher–Yates; Knuth, TAOCP vol. 2, §3.4.2, Algorithm P), concatenate — the result is a uniform permutation.
// Why: applying a permutation to a column by a gather y[t] = x[π(t)] reads memory at random, which on columns
// larger than the cache costs a DRAM miss per element. Here a column is first scattered to its bucket
// (sequential reads, B ≤ 1024 sequential write streams), then permuted inside buckets that fit the cache.
// Randomness: 2n words of one PRG stream; word i's top b bits pick element i's bucket (B = 2^b, exactly
// uniform), word n + t draws the Fisher–Yates index at bucket position t by multiply-shift (bias ≤ size/2^64,
// as before). Both parties of a shuffle pass derive the stream from their common key, so they apply the
// same permutation; the third party does not know it.
// Security and leakage: those of Shuffle.cs (this is local computation on one's own values). Cost: local;
// two passes over each column, 8 bytes of index per element.
using System.Runtime.CompilerServices;

namespace Smpc.Analytics.Protocols;

internal sealed class BucketPermutation
{
    /// <summary>Target elements per bucket: a bucket of one column (8 bytes per element) stays in a 256 KB cache.</summary>
    const int BucketTarget = 1 << 15;
    const int MaxBucketBits = 10;

    readonly int[] _destination;   // element i goes to bucketed position _destination[i]
    readonly int[] _within;        // output row t takes bucketed position _within[t] (same bucket as t)

    /// <summary>Words of randomness <see cref="Draw"/> needs for <paramref name="n"/> elements.</summary>
    public static long WordsNeeded(int n) => 2L * n;

    BucketPermutation(int[] destination, int[] within)
    {
        _destination = destination;
        _within = within;
    }

    public int Length => _destination.Length;

    /// <summary>Draws the permutation from <paramref name="words"/> (<see cref="WordsNeeded"/> uniform words).</summary>
    public static BucketPermutation Draw(ReadOnlySpan<ulong> words, int n) => Draw(words, n, BucketBits(n));

    /// <summary>As <see cref="Draw(ReadOnlySpan{ulong}, int)"/> with 2^<paramref name="bits"/> buckets (tests use few elements and many buckets).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BucketPermutation Draw(ReadOnlySpan<ulong> words, int n, int bits)
    {
        if (words.Length < WordsNeeded(n)) throw new ArgumentException($"A permutation of {n} elements needs {WordsNeeded(n)} random words.", nameof(words));
        if (bits is < 0 or > MaxBucketBits) throw new ArgumentOutOfRangeException(nameof(bits));
        int buckets = 1 << bits;
        var start = new int[buckets + 1];
        if (bits > 0)
            for (int i = 0; i < n; i++) start[(int)(words[i] >> (64 - bits)) + 1]++;
        else start[1] = n;
        for (int b = 0; b < buckets; b++) start[b + 1] += start[b];

        var destination = GC.AllocateUninitializedArray<int>(n);
        var next = start.AsSpan(0, buckets).ToArray();
        for (int i = 0; i < n; i++) destination[i] = next[bits > 0 ? (int)(words[i] >> (64 - bits)) : 0]++;

        var within = GC.AllocateUninitializedArray<int>(n);
        var draws = words.Slice(n, n);
        for (int b = 0; b < buckets; b++)
        {
            int lo = start[b], hi = start[b + 1];
            for (int t = lo; t < hi; t++) within[t] = t;
            for (int t = hi - 1; t > lo; t--)
            {
                int j = lo + (int)(((UInt128)draws[t] * (ulong)(t - lo + 1)) >> 64);
                (within[t], within[j]) = (within[j], within[t]);
            }
        }
        return new BucketPermutation(destination, within);
    }

    static int BucketBits(int n)
    {
        int bits = 0;
        while (bits < MaxBucketBits && (long)n >> bits > BucketTarget) bits++;
        return bits;
    }

    /// <summary>scratch ← x0 (+ x1) scattered to bucketed order (x1 may be null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Scatter(ulong[] x0, ulong[]? x1, ulong[] scratch)
    {
        var d = _destination;
        if (x1 is null) for (int i = 0; i < d.Length; i++) scratch[d[i]] = x0[i];
        else for (int i = 0; i < d.Length; i++) scratch[d[i]] = x0[i] + x1[i];
    }

    /// <summary>y[t] = scratch[within(t)] − a[t] − b[t] (<paramref name="subtract"/>) or + b[t] (a unused).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Gather(ulong[] scratch, ulong[]? a, ulong[] b, bool subtract, ulong[] y)
    {
        var w = _within;
        if (subtract) for (int t = 0; t < w.Length; t++) y[t] = scratch[w[t]] - a![t] - b[t];
        else for (int t = 0; t < w.Length; t++) y[t] = scratch[w[t]] + b[t];
    }
}
