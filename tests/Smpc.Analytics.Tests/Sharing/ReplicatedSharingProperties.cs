using CsCheck;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Sharing;

public class ReplicatedSharingProperties
{
    [Fact]
    public void Reconstruct_of_share_is_identity() =>
        Gen.ULong.Array[0, 300].Sample(x => Assert.Equal(x, ReplicatedSharing.Reconstruct(ReplicatedSharing.Share(x))));

    [Fact]
    public void Boolean_reconstruct_of_share_is_identity() =>
        Gen.ULong.Array[0, 300].Sample(x => Assert.Equal(x, ReplicatedSharing.ReconstructBoolean(ReplicatedSharing.ShareBoolean(x))));

    [Fact]
    public void Views_are_replicated_consistently()
    {
        var views = ReplicatedSharing.Share([1UL, 2, 3]);
        for (int i = 0; i < 3; i++) Assert.Equal(views[i].Second, views[(i + 1) % 3].First);
        var tampered = (ulong[])views[1].First.Clone();
        tampered[0] ^= 1; // party 1's copy of component 1 disagrees with party 0's
        var ex = Assert.Throws<SmpcException>(() => ReplicatedSharing.Reconstruct([views[0], new ArithmeticShare(tampered, views[1].Second), views[2]]));
        Assert.Contains("inconsistent", ex.Message);
    }

    /// <summary>
    /// Any single party's view is independent of the secret: for two very different secrets, the
    /// distribution of each byte of party i's view must be uniform (chi-square over 256 bins) and the
    /// two distributions indistinguishable (two-sample chi-square). Thresholds are at p ≈ 1e-6, so a
    /// correct implementation fails with negligible probability while any bias of a few percent fails.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void A_single_party_view_is_statistically_independent_of_the_secret(int party)
    {
        const int samples = 60_000;
        var secretA = Enumerable.Repeat(0UL, samples).ToArray();
        var secretB = Enumerable.Repeat(0xFFFF_0000_1234_5678UL, samples).ToArray();
        var viewA = ReplicatedSharing.Share(secretA)[party];
        var viewB = ReplicatedSharing.Share(secretB)[party];
        foreach (var component in new Func<ArithmeticShare, ulong[]>[] { v => v.First, v => v.Second })
            for (int b = 0; b < 8; b++)
            {
                var histA = ByteHistogram(component(viewA), b);
                var histB = ByteHistogram(component(viewB), b);
                Assert.True(ChiSquareUniform(histA, samples) < 400, $"party {party} byte {b} not uniform for secret A");
                Assert.True(ChiSquareTwoSample(histA, histB) < 400, $"party {party} byte {b} distribution depends on the secret");
            }
        // The two components of one view are independent of each other too (their sum would leak otherwise).
        var sum = viewB.First.Zip(viewB.Second, (p, q) => p + q).ToArray();
        Assert.True(ChiSquareUniform(ByteHistogram(sum, 7), samples) < 400);
    }

    static long[] ByteHistogram(ulong[] words, int byteIndex)
    {
        var h = new long[256];
        foreach (var w in words) h[(w >> (8 * byteIndex)) & 0xFF]++;
        return h;
    }

    // 255 degrees of freedom: mean 255, sd ≈ 22.6; 400 is ≈ 6.4 sd.
    static double ChiSquareUniform(long[] h, int n)
    {
        double e = n / 256.0;
        return h.Sum(o => (o - e) * (o - e) / e);
    }

    static double ChiSquareTwoSample(long[] a, long[] b)
    {
        double na = a.Sum(), nb = b.Sum(), chi = 0;
        for (int k = 0; k < a.Length; k++)
        {
            double t = a[k] + b[k];
            if (t == 0) continue;
            double ea = t * na / (na + nb), eb = t * nb / (na + nb);
            chi += (a[k] - ea) * (a[k] - ea) / ea + (b[k] - eb) * (b[k] - eb) / eb;
        }
        return chi;
    }
}
