using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Tests.Disclosure;

/// <summary>The p% rule's two largest contributions (DominanceRule.TopTwo): the tournament's values against a sort, with
/// ties and lengths that leave groups part-filled (contributions are ≥ 0: the rule passes |x|), and its rounds
/// (15 per level of groups of 16, 16 of 32, 17 of 64: a level divides the values by G/2).</summary>
public class TopTwoTests
{
    [Fact]
    public void Top_two_equal_the_two_largest_after_a_sort()
    {
        var rng = new Random(1410);
        foreach (IComputeEngine e in new IComputeEngine[] { new PlaintextEngine(), new SecureEngine() })
            using (e)
                foreach (int n in new[] { 1, 2, 3, 5, 8, 9, 15, 16, 17, 33, 64, 65, 100, 129, 300 })
                    for (int trial = 0; trial < 4; trial++)
                    {
                        // Small ranges force ties; trial 3 uses wide values.
                        long[] x = Enumerable.Range(0, n).Select(_ => trial == 3 ? rng.NextInt64(0, 1L << 40) : rng.Next(0, 4 + 10 * trial)).ToArray();
                        var (a, b) = DominanceRule.TopTwo(e, e.Share(x.Select(v => (ulong)v).ToArray()));
                        var sorted = x.OrderByDescending(v => v).ToArray();
                        Assert.Equal(sorted[0], (long)e.Reveal(a, "test")[0]);
                        Assert.Equal(n > 1 ? sorted[1] : 0, (long)e.Reveal(b, "test")[0]);
                    }
    }

    [Fact]
    public void Top_two_of_segments_equal_each_segments_two_largest()
    {
        var rng = new Random(1411);
        foreach (IComputeEngine e in new IComputeEngine[] { new PlaintextEngine(), new SecureEngine() })
            using (e)
                foreach (var lengths in new[] { new[] { 1, 2, 3 }, [17, 64, 65, 5], [300, 1, 129], [3515 / 5, 2000, 33] })
                {
                    var x = lengths.Select(l => Enumerable.Range(0, l).Select(_ => (ulong)rng.Next(0, 50)).ToArray()).ToArray();
                    var (a, b) = DominanceRule.TopTwoOfSegments(e, e.Share(x.SelectMany(v => v).ToArray()), lengths);
                    var (ra, rb) = (e.Reveal(a, "test"), e.Reveal(b, "test"));
                    for (int c = 0; c < lengths.Length; c++)
                    {
                        var sorted = x[c].OrderDescending().ToArray();
                        Assert.Equal(sorted[0], ra[c]);
                        Assert.Equal(sorted.Length > 1 ? sorted[1] : 0, rb[c]);
                    }
                }
    }

    [Fact]
    public void A_tournament_level_takes_15_to_17_rounds_and_divides_the_values_by_8_to_32()
    {
        using var e = new SecureEngine();
        long Rounds(int n, int cells)
        {
            var x = e.Share(Enumerable.Range(0, n * cells).Select(i => (ulong)(i * 7919 % 1000)).ToArray());
            var meter = new OperationMeter(e);
            if (cells == 1) DominanceRule.TopTwo(e, x);
            else DominanceRule.TopTwoOfSegments(e, x, Enumerable.Repeat(n, cells).ToArray());
            return meter.Stop().Rounds;
        }
        Assert.Equal(17 + 16, Rounds(1024, 1));        // 1,024 → 32 in groups of 64, → 2 in one of 32 (groups of 8: 5 levels of 14; pairwise: 10 of 12)
        Assert.Equal(17, Rounds(64, 1));
        Assert.Equal(13, Rounds(4, 1));                // a group of 4: two fold rounds
        // Many values: the first level takes groups of 16 (17,575 · 63/2 comparisons would pass the budget), then 64, then 14.
        Assert.Equal(15 + 17 + 15, Rounds(3515, 5));
    }
}
