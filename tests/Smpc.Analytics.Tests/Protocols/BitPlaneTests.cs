using Smpc.Analytics.Protocols;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Protocols;

/// <summary>The bit-plane layout and the circuits on it, at lengths around word and block boundaries.</summary>
public class BitPlaneTests
{
    static readonly Random Rng = new(4242);

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    public void Planes_hold_bit_j_of_every_element(int n)
    {
        var words = Enumerable.Range(0, n).Select(_ => (ulong)Rng.NextInt64() ^ ((ulong)Rng.Next() << 33)).ToArray();
        int w = BitMatrix.PlaneWords(n);
        var planes = new ulong[64 * w];
        BitMatrix.ToPlanes(words, planes);
        for (int j = 0; j < 64; j++)
            for (int k = 0; k < 64 * w; k++)
            {
                ulong expected = k < n ? (words[k] >> j) & 1 : 0;
                Assert.Equal(expected, (planes[j * w + k / 64] >> (k % 64)) & 1);
            }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    public void Sign_and_zero_tests_match_plaintext_and_leave_padding_clear(int n)
    {
        using var cluster = new LocalCluster();
        var edges = new long[] { 0, -1, 1, (1L << 62) - 1, -(1L << 62), long.MaxValue >> 1, long.MinValue >> 1 };
        var x = Enumerable.Range(0, n).Select(i => i < edges.Length ? edges[i] : Rng.NextInt64(long.MinValue >> 1, long.MaxValue >> 1)).ToArray();
        for (int i = edges.Length; i < n; i += 5) x[i] = 0;
        var shares = ReplicatedSharing.Share(x);
        var sign = cluster.Run(s => Comparison.SignBit(s, shares[s.PartyId]));
        var zero = cluster.Run(s => Comparison.IsZero(s, shares[s.PartyId]));
        var signBits = ReplicatedSharing.ReconstructBits(sign);
        var zeroBits = ReplicatedSharing.ReconstructBits(zero);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(x[i] < 0, signBits[i]);
            Assert.Equal(x[i] == 0, zeroBits[i]);
        }
        foreach (var view in sign.Concat(zero))
        {
            Assert.Equal(BitShare.WordsFor(n), view.First.Length);
            if (n % 64 != 0)
            {
                Assert.Equal(0UL, view.First[^1] & ~BitShare.TailMask(n));
                Assert.Equal(0UL, view.Second[^1] & ~BitShare.TailMask(n));
            }
        }
    }

    [Fact]
    public void Comparison_sends_a_third_of_what_a_full_adder_would()
    {
        // The sign-bit circuit must stay the reduction tree: 8 rounds and at most 4 words per element from any party.
        using var cluster = new LocalCluster();
        const int n = 6400;
        var x = ReplicatedSharing.Share(Enumerable.Range(0, n).Select(i => (long)i - 3200).ToArray());
        var before = cluster.Traffic();
        cluster.Run(s => Comparison.LessThan(s, x[s.PartyId], 0UL));
        var after = cluster.Traffic();
        for (int p = 0; p < 3; p++)
        {
            var d = after[p] - before[p];
            Assert.Equal(8, d.Rounds);
            Assert.InRange(d.BytesSent, 1, 4L * 8 * n);
        }
    }
}
