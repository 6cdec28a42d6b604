using Smpc.Analytics.Protocols;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Protocols;

/// <summary>The bucketed permutation of the shuffle: a permutation at every size, and uniform (Rao–Sandelius).</summary>
public class BucketPermutationTests
{
    static readonly AesCtrPrg Prg = new(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray());

    static ulong[] Apply(BucketPermutation p, ulong[] x, ulong[]? add = null)
    {
        var scratch = new ulong[x.Length];
        var y = new ulong[x.Length];
        p.Scatter(x, add, scratch);
        p.Gather(scratch, null, new ulong[x.Length], subtract: false, y);
        return y;
    }

    static ulong[] Words(int n, ulong nonce)
    {
        var w = new ulong[BucketPermutation.WordsNeeded(n)];
        Prg.Fill(w, nonce);
        return w;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1000)]
    [InlineData(32_768)]
    [InlineData(32_769)]
    [InlineData(200_003)]
    public void Every_element_appears_exactly_once(int n)
    {
        var identity = Enumerable.Range(0, n).Select(i => (ulong)i).ToArray();
        var y = Apply(BucketPermutation.Draw(Words(n, (ulong)n), n), identity);
        Assert.Equal(identity, y.Order());
        if (n >= 1000) Assert.True(y.Where((v, i) => v == (ulong)i).Count() < 20, "a random permutation moves almost every element");
    }

    [Fact]
    public void Scatter_adds_the_second_component_and_gather_applies_the_masks()
    {
        int n = 5000;
        var p = BucketPermutation.Draw(Words(n, 1), n, 3);
        var x0 = Enumerable.Range(0, n).Select(i => (ulong)i * 7).ToArray();
        var x1 = Enumerable.Range(0, n).Select(i => (ulong)i * 11).ToArray();
        var order = Apply(p, Enumerable.Range(0, n).Select(i => (ulong)i).ToArray());
        var a = Enumerable.Range(0, n).Select(i => (ulong)i * 3).ToArray();
        var b = Enumerable.Range(0, n).Select(i => (ulong)i * 5).ToArray();
        var scratch = new ulong[n]; var y = new ulong[n];
        p.Scatter(x0, x1, scratch);
        p.Gather(scratch, a, b, subtract: true, y);
        for (int t = 0; t < n; t++) Assert.Equal(order[t] * 18 - (ulong)t * 8, y[t]);
    }

    [Fact]
    public void All_permutations_of_four_elements_are_equally_likely_with_buckets()
    {
        // Four elements in four buckets: bucket sizes vary from draw to draw, yet each of the 24 orders must come up
        // equally often (chi-square with 23 degrees of freedom; 75 is far beyond its 99.99th percentile, about 56).
        const int draws = 48_000;
        var counts = new Dictionary<string, int>();
        var identity = new ulong[] { 0, 1, 2, 3 };
        for (int d = 0; d < draws; d++)
        {
            var key = string.Join(",", Apply(BucketPermutation.Draw(Words(4, (ulong)d + 10), 4, 2), identity));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        Assert.Equal(24, counts.Count);
        double expected = draws / 24.0;
        double chi = counts.Values.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chi < 75, $"chi-square {chi:F1} over 23 degrees of freedom");
    }
}
