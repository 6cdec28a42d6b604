using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Tests.Statistics;

/// <summary>Sorting and selection with opened comparisons (Statistics/OrderStatistics.cs) against a plaintext sort, on
/// lengths that take several samplesort levels (up to 15 pivots a level), and the sort's rounds.</summary>
public sealed class OrderStatisticsTests
{
    static ulong[] DistinctKeys(Random rng, int n) =>
        Enumerable.Range(0, n).Select(i => ((ulong)rng.Next(0, 1000) << 20) + (ulong)i).OrderBy(_ => rng.Next()).ToArray();

    [Fact]
    public void Sort_and_select_give_the_positions_of_a_plaintext_sort()
    {
        var rng = new Random(1412);
        foreach (IComputeEngine e in new IComputeEngine[] { new PlaintextEngine(), new SecureEngine() })
            using (e)
                foreach (int n in new[] { 1, 2, 13, 48, 49, 200, 777, 5000 })
                {
                    var keys = DistinctKeys(rng, n);
                    var expected = Enumerable.Range(0, n).OrderBy(i => keys[i]).ToArray();
                    var shared = e.Share(keys);
                    Assert.Equal(expected, OrderStatistics.Sort(e, shared));
                    var ranks = new[] { 0, n / 2, n - 1 };
                    Assert.Equal(ranks.Select(r => expected[r]), OrderStatistics.Select(e, shared, ranks));
                }
    }

    [Fact]
    public void Sorting_ten_thousand_keys_takes_a_few_levels_of_nine_rounds()
    {
        using var e = new SecureEngine();
        var keys = e.Share(DistinctKeys(new Random(1413), 10_000));
        var meter = new OperationMeter(e);
        OrderStatistics.Sort(e, keys);
        long rounds = meter.Stop().Rounds;
        // 10,000 → ~625 → ~39 per segment, then all pairs: 3 levels, 4–5 when buckets come out uneven (one pivot a level: ~28).
        Assert.Equal(0, rounds % 9);
        Assert.InRange(rounds, 27, 54);
    }
}
