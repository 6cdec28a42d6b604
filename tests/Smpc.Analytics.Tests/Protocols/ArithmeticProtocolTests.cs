using Smpc.Analytics.Protocols;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Protocols;

public class ArithmeticProtocolTests
{
    static readonly Random Rng = new(12345);

    static ulong[] RandomWords(int n) { var a = new ulong[n]; for (int i = 0; i < n; i++) a[i] = (ulong)Rng.NextInt64() ^ ((ulong)Rng.Next() << 40); return a; }

    [Fact]
    public void Multiply_and_dot_equal_plaintext_mod_2_64()
    {
        using var cluster = new LocalCluster();
        var x = RandomWords(1001); var y = RandomWords(1001);
        var xs = ReplicatedSharing.Share(x); var ys = ReplicatedSharing.Share(y);
        var prod = cluster.Run(s => Open.RevealToAll(s, Multiplication.Multiply(s, xs[s.PartyId], ys[s.PartyId])));
        var dot = cluster.Run(s => Open.RevealToAll(s, Multiplication.Dot(s, xs[s.PartyId], ys[s.PartyId]))[0]);
        ulong expectedDot = 0;
        for (int i = 0; i < x.Length; i++) { Assert.Equal(x[i] * y[i], prod[0][i]); expectedDot += x[i] * y[i]; }
        Assert.All(prod, p => Assert.Equal(prod[0], p));
        Assert.All(dot, d => Assert.Equal(expectedDot, d));
    }

    [Fact]
    public void Truncation_is_exactly_the_floor_across_the_range()
    {
        using var cluster = new LocalCluster();
        var values = new List<long> { 0, -1, 1, long.MaxValue >> 2, -(long.MaxValue >> 2), 1L << 40, -(1L << 40), 65535, 65536, -65536, -65537 };
        for (int i = 0; i < 5000; i++) values.Add(Rng.NextInt64(-(1L << 62) + 1, 1L << 62));
        var shares = ReplicatedSharing.Share(values.ToArray());
        foreach (int d in new[] { 1, 5, 16, 32, 61, 62 })
        {
            var got = cluster.Run(s => Open.RevealToAll(s, Truncation.Truncate(s, shares[s.PartyId], d)))[1];
            for (int i = 0; i < values.Count; i++)
                Assert.True(values[i] >> d == (long)got[i], $"d={d} x={values[i]}: got {(long)got[i]}, floor {values[i] >> d}");
        }
    }

    [Fact]
    public void Input_by_each_party_reconstructs()
    {
        using var cluster = new LocalCluster();
        var x = RandomWords(77);
        for (int owner = 0; owner < 3; owner++)
        {
            int o = owner;
            var views = cluster.Run(s => Input.Share(s, o, s.PartyId == o ? x : default, x.Length));
            Assert.Equal(x, ReplicatedSharing.Reconstruct(views));
        }
    }

    [Fact]
    public void Reveal_to_one_party_gives_nothing_to_the_others()
    {
        using var cluster = new LocalCluster();
        var x = RandomWords(10);
        var shares = ReplicatedSharing.Share(x);
        var got = cluster.Run(s => Open.RevealTo(s, shares[s.PartyId], 2));
        Assert.Null(got[0]); Assert.Null(got[1]); Assert.Equal(x, got[2]);
    }
}
