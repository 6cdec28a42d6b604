using Smpc.Analytics.Sharing;

namespace Smpc.Bench.Harness;

/// <summary>Reproducible synthetic inputs and checks shared by the cases.</summary>
public static class BenchData
{
    static readonly AesCtrPrg Prg = new(new byte[AesCtrPrg.KeySize]);

    /// <summary>n words from a fixed AES-CTR stream (<paramref name="stream"/> picks the stream).</summary>
    public static ulong[] Words(int n, ulong stream)
    {
        var words = GC.AllocateUninitializedArray<ulong>(n);
        Prg.Fill(words, stream);
        return words;
    }

    /// <summary>n signed values uniform in [−2^bits, 2^bits), as ring elements.</summary>
    public static ulong[] Signed(int n, ulong stream, int bits)
    {
        var w = Words(n, stream);
        ulong mask = (2UL << bits) - 1;
        ulong offset = 1UL << bits;
        for (int i = 0; i < w.Length; i++) w[i] = (w[i] & mask) - offset;
        return w;
    }

    /// <summary>
    /// Shares values as a contributor would and gives every party its own arrays. <see cref="ReplicatedSharing.Share(ReadOnlySpan{ulong})"/>
    /// lets two parties' views point at the same component array; in one process that would let the parties
    /// share cache lines and memory bandwidth that three hosts never share, flattering the figures.
    /// </summary>
    public static ArithmeticShare[] Deal(ReadOnlySpan<ulong> values)
    {
        var v = ReplicatedSharing.Share(values);   // views (c0,c1), (c1,c2), (c2,c0): each component appears twice
        return [v[0], new((ulong[])v[1].First.Clone(), v[1].Second), new((ulong[])v[2].First.Clone(), (ulong[])v[2].Second.Clone())];
    }

    /// <summary>Throws <see cref="BenchVerificationException"/> at the first mismatching row.</summary>
    public static void Check(string what, ReadOnlySpan<ulong> got, Func<int, ulong> expected)
    {
        for (int i = 0; i < got.Length; i++)
            if (got[i] != expected(i))
                throw new BenchVerificationException($"{what}: row {i} is {got[i]:x}, expected {expected(i):x}.");
    }

    public static void Check(bool condition, string message)
    {
        if (!condition) throw new BenchVerificationException(message);
    }
}
