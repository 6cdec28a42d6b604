// Dealer-side replicated secret sharing over Z_2^64 (Araki et al., CCS 2016, §2; ABY3 §2.2).
// Used by contributors, who hold plaintext and hand each compute party its pair of components;
// compute parties never call it on data. x = x0 + x1 + x2 with x0, x1 uniform; party i gets (x_i, x_{i+1}).
// Leakage: none — any one party's pair is uniform and independent of x.
using System.Security.Cryptography;

namespace Smpc.Analytics.Sharing;

public static class ReplicatedSharing
{
    /// <summary>Splits values into three party views using fresh randomness from the OS CSPRNG.</summary>
    public static ArithmeticShare[] Share(ReadOnlySpan<ulong> values) =>
        Share(values, new AesCtrPrg(RandomNumberGenerator.GetBytes(AesCtrPrg.KeySize)), 0);

    /// <summary>Splits values using the given PRG stream (deterministic; for reproducible tests only).</summary>
    public static ArithmeticShare[] Share(ReadOnlySpan<ulong> values, AesCtrPrg prg, ulong nonce)
    {
        int n = values.Length;
        var c0 = GC.AllocateUninitializedArray<ulong>(n);
        var c1 = GC.AllocateUninitializedArray<ulong>(n);
        var c2 = GC.AllocateUninitializedArray<ulong>(n);
        prg.Fill(c0, nonce, 0);
        prg.Fill(c1, nonce, n);
        Ring.Subtract(values, c0, c2);
        Ring.Subtract(c2, c1, c2);
        return [new(c0, c1), new(c1, c2), new(c2, c0)];
    }

    /// <summary>Signed convenience overload.</summary>
    public static ArithmeticShare[] Share(ReadOnlySpan<long> values) =>
        Share(System.Runtime.InteropServices.MemoryMarshal.Cast<long, ulong>(values));

    /// <summary>Recombines three party views; checks that the replicated components agree.</summary>
    public static ulong[] Reconstruct(IReadOnlyList<ArithmeticShare> views)
    {
        CheckViews(views.Count, views[0].Length, views.Select(v => v.Length));
        for (int i = 0; i < 3; i++)
            if (!views[i].Second.AsSpan().SequenceEqual(views[(i + 1) % 3].First))
                throw new SmpcException($"Shares are inconsistent: party {i}'s second component differs from party {(i + 1) % 3}'s first.");
        var x = new ulong[views[0].Length];
        Ring.Add(views[0].First, views[1].First, x);
        Ring.Add(x, views[2].First, x);
        return x;
    }

    /// <summary>Boolean twin of <see cref="Share(ReadOnlySpan{ulong})"/>: x = x0 ^ x1 ^ x2.</summary>
    public static BooleanShare[] ShareBoolean(ReadOnlySpan<ulong> values)
    {
        int n = values.Length;
        var prg = new AesCtrPrg(RandomNumberGenerator.GetBytes(AesCtrPrg.KeySize));
        var c0 = new ulong[n]; var c1 = new ulong[n]; var c2 = new ulong[n];
        prg.Fill(c0, 0, 0);
        prg.Fill(c1, 0, n);
        Ring.Xor(values, c0, c2);
        Ring.Xor(c2, c1, c2);
        return [new(c0, c1), new(c1, c2), new(c2, c0)];
    }

    public static ulong[] ReconstructBoolean(IReadOnlyList<BooleanShare> views)
    {
        CheckViews(views.Count, views[0].Length, views.Select(v => v.Length));
        var x = new ulong[views[0].Length];
        Ring.Xor(views[0].First, views[1].First, x);
        Ring.Xor(x, views[2].First, x);
        return x;
    }

    /// <summary>Recombines packed bit shares into one bool per element.</summary>
    public static bool[] ReconstructBits(IReadOnlyList<BitShare> views)
    {
        CheckViews(views.Count, views[0].Length, views.Select(v => v.Length));
        var bits = new bool[views[0].Length];
        for (int k = 0; k < bits.Length; k++)
        {
            ulong w = views[0].First[k >> 6] ^ views[1].First[k >> 6] ^ views[2].First[k >> 6];
            bits[k] = ((w >> (k & 63)) & 1) != 0;
        }
        return bits;
    }

    static void CheckViews(int count, int length, IEnumerable<int> lengths)
    {
        if (count != 3) throw new ShapeException($"Reconstruction needs the views of all three parties; got {count}.");
        foreach (var l in lengths)
            if (l != length) throw Errors.LengthMismatch("reconstruct", length, l);
    }
}
