using Smpc.Analytics.Protocols;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Protocols;

public class BooleanProtocolTests
{
    static readonly Random Rng = new(777);
    static ulong RandomWord() => (ulong)Rng.NextInt64() ^ ((ulong)Rng.Next() << 33);

    static long[] EdgeAndRandom(int n)
    {
        var v = new List<long> { 0, -1, 1, long.MaxValue >> 1, long.MinValue >> 1, (long.MaxValue >> 1) - 1, 65536, -65536 };
        while (v.Count < n) v.Add(Rng.NextInt64(long.MinValue >> 1, long.MaxValue >> 1));
        return v.ToArray();
    }

    [Fact]
    public void A2B_then_B2A_round_trips_and_A2B_matches_plaintext()
    {
        using var cluster = new LocalCluster();
        var x = Enumerable.Range(0, 300).Select(_ => RandomWord()).Concat([0UL, ulong.MaxValue, 1UL << 63]).ToArray();
        var shares = ReplicatedSharing.Share(x);
        var boolean = cluster.Run(s => Conversion.ToBoolean(s, shares[s.PartyId]));
        Assert.Equal(x, ReplicatedSharing.ReconstructBoolean(boolean));
        var back = cluster.Run(s => Conversion.ToArithmetic(s, boolean[s.PartyId]));
        Assert.Equal(x, ReplicatedSharing.Reconstruct(back));
    }

    [Fact]
    public void Comparisons_equal_plaintext_including_ties_and_edges()
    {
        using var cluster = new LocalCluster();
        var x = EdgeAndRandom(500);
        var y = EdgeAndRandom(500);
        for (int i = 0; i < 100; i++) y[i] = x[i]; // ties
        var xs = ReplicatedSharing.Share(x); var ys = ReplicatedSharing.Share(y);
        var lt = ReplicatedSharing.ReconstructBits(cluster.Run(s => Comparison.LessThan(s, xs[s.PartyId], ys[s.PartyId])));
        var le = ReplicatedSharing.ReconstructBits(cluster.Run(s => Comparison.LessOrEqual(s, xs[s.PartyId], ys[s.PartyId])));
        var eq = ReplicatedSharing.ReconstructBits(cluster.Run(s => Comparison.Equal(s, xs[s.PartyId], ys[s.PartyId])));
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i] < y[i], lt[i]);
            Assert.Equal(x[i] <= y[i], le[i]);
            Assert.Equal(x[i] == y[i], eq[i]);
        }
    }

    [Fact]
    public void Comparisons_with_public_values()
    {
        using var cluster = new LocalCluster();
        var x = EdgeAndRandom(200).Concat([65, 64, 66]).ToArray();
        var xs = ReplicatedSharing.Share(x);
        foreach (long c in new long[] { 65, 0, -1 })
        {
            var lt = ReplicatedSharing.ReconstructBits(cluster.Run(s => Comparison.LessThan(s, xs[s.PartyId], (ulong)c)));
            var ge = ReplicatedSharing.ReconstructBits(cluster.Run(s => Comparison.GreaterOrEqual(s, xs[s.PartyId], (ulong)c)));
            var gt = ReplicatedSharing.ReconstructBits(cluster.Run(s => Comparison.GreaterThan(s, xs[s.PartyId], (ulong)c)));
            var eq = ReplicatedSharing.ReconstructBits(cluster.Run(s => Comparison.Equal(s, xs[s.PartyId], (ulong)c)));
            for (int i = 0; i < x.Length; i++)
            {
                Assert.Equal(x[i] < c, lt[i]); Assert.Equal(x[i] >= c, ge[i]);
                Assert.Equal(x[i] > c, gt[i]); Assert.Equal(x[i] == c, eq[i]);
            }
        }
    }

    [Fact]
    public void Bit_injection_and_bit_gates_equal_plaintext()
    {
        using var cluster = new LocalCluster();
        var x = EdgeAndRandom(130); var y = EdgeAndRandom(130);
        var xs = ReplicatedSharing.Share(x); var ys = ReplicatedSharing.Share(y);
        var results = cluster.Run(s =>
        {
            var a = Comparison.LessThan(s, xs[s.PartyId], 0UL);       // x < 0
            var b = Comparison.LessThan(s, ys[s.PartyId], 0UL);       // y < 0
            return (And: BooleanGates.And(s, a, b), Or: BooleanGates.Or(s, a, b), Xor: BooleanGates.Xor(a, b),
                    Not: BooleanGates.Not(s, a), Arith: Conversion.BitsToArithmetic(s, a));
        });
        var and = ReplicatedSharing.ReconstructBits(results.Select(r => r.And).ToArray());
        var or = ReplicatedSharing.ReconstructBits(results.Select(r => r.Or).ToArray());
        var xor = ReplicatedSharing.ReconstructBits(results.Select(r => r.Xor).ToArray());
        var not = ReplicatedSharing.ReconstructBits(results.Select(r => r.Not).ToArray());
        var arith = ReplicatedSharing.Reconstruct(results.Select(r => r.Arith).ToArray());
        for (int i = 0; i < x.Length; i++)
        {
            bool a = x[i] < 0, b = y[i] < 0;
            Assert.Equal(a && b, and[i]); Assert.Equal(a || b, or[i]); Assert.Equal(a ^ b, xor[i]);
            Assert.Equal(!a, not[i]); Assert.Equal(a ? 1UL : 0UL, arith[i]);
        }
    }

    [Fact]
    public void Shuffle_permutes_rows_consistently_across_columns()
    {
        using var cluster = new LocalCluster();
        int n = 1000;
        var ids = Enumerable.Range(0, n).Select(i => (ulong)i).ToArray();
        var payload = ids.Select(i => i * i + 7).ToArray();
        var a = ReplicatedSharing.Share(ids); var b = ReplicatedSharing.Share(payload);
        var shuffled = cluster.Run(s => Shuffle.Apply(s, [a[s.PartyId], b[s.PartyId]]));
        var outIds = ReplicatedSharing.Reconstruct(shuffled.Select(r => r[0]).ToArray());
        var outPayload = ReplicatedSharing.Reconstruct(shuffled.Select(r => r[1]).ToArray());
        Assert.Equal(ids, outIds.OrderBy(v => v));
        for (int i = 0; i < n; i++) Assert.Equal(outIds[i] * outIds[i] + 7, outPayload[i]);
        int fixedPoints = Enumerable.Range(0, n).Count(i => outIds[i] == (ulong)i);
        Assert.True(fixedPoints < 20, $"a random permutation of {n} rows should move almost every row; {fixedPoints} stayed");
    }
}
