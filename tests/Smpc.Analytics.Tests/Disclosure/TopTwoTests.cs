using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Tests.Disclosure;

/// <summary>The p% rule's two largest contributions (DominanceRule.TopTwo): the tournament's values against a sort, with
/// ties and lengths that leave groups of 16 part-filled (contributions are ≥ 0: the rule passes |x|), and its rounds
/// (15 per level of groups of 16, a level dividing the values by 8).</summary>
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
    public void A_tournament_level_takes_15_rounds_and_divides_the_values_by_8()
    {
        using var e = new SecureEngine();
        var x = e.Share(Enumerable.Range(0, 1024).Select(i => (ulong)(i * 7919 % 1000)).ToArray());
        var meter = new OperationMeter(e);
        DominanceRule.TopTwo(e, x);
        Assert.Equal(3 * 15, meter.Stop().Rounds);                      // 1,024 → 128 → 16 → 2 (groups of 8: 5 levels of 14; pairwise: 10 of 12)
        // A last level of 8 values takes a group of 8 (14 rounds): 64 → 8 → 2.
        var y = e.Share(Enumerable.Range(0, 64).Select(i => (ulong)(i * 31 % 50)).ToArray());
        meter = new OperationMeter(e);
        DominanceRule.TopTwo(e, y);
        Assert.Equal(15 + 14, meter.Stop().Rounds);
    }
}
