using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>The fuzzy pass decides its candidate pairs in batches of whole connected components (best match compares only
/// candidates that share a record): every candidate in exactly one batch, no record in two batches, each batch sorted and
/// within its budgets (rival pairs; records, whose filters a batch gathers) unless one component alone exceeds them.</summary>
public sealed class FuzzyBatchTests
{
    [Theory]
    [InlineData(1, long.MaxValue)]
    [InlineData(7, long.MaxValue)]
    [InlineData(40, long.MaxValue)]
    [InlineData(1_000_000, long.MaxValue)]
    [InlineData(1_000_000, 1)]
    [InlineData(1_000_000, 25)]
    public void Batches_hold_whole_components_within_the_budget(long budget, long maxRecords)
    {
        var rng = new Random(5);
        var candidates = Enumerable.Range(0, 400).Select(_ => (Left: rng.Next(150), Right: rng.Next(180))).Distinct().Order().ToList();
        var batches = SecureJoin.FuzzyBatches(candidates, budget, maxRecords).ToList();
        Assert.Equal(candidates, batches.SelectMany(b => b).Order());
        foreach (var b in batches) Assert.Equal(b.Order(), b);
        var leftBatch = new Dictionary<int, int>();
        var rightBatch = new Dictionary<int, int>();
        for (int k = 0; k < batches.Count; k++)
            foreach (var (l, r) in batches[k])
            {
                Assert.Equal(k, leftBatch.TryAdd(l, k) ? k : leftBatch[l]);
                Assert.Equal(k, rightBatch.TryAdd(r, k) ? k : rightBatch[r]);
            }
        static long Rivals(List<(int Left, int Right)> b) =>
            b.GroupBy(c => c.Left).Sum(g => (long)g.Count() * (g.Count() - 1)) + b.GroupBy(c => c.Right).Sum(g => (long)g.Count() * (g.Count() - 1));
        static long Records(List<(int Left, int Right)> b) => b.Select(c => c.Left).Distinct().Count() + b.Select(c => c.Right).Distinct().Count();
        if (budget >= 1_000_000 && maxRecords == long.MaxValue) Assert.Single(batches);
        else Assert.True(batches.Count > 1);
        foreach (var b in batches.Where(b => Rivals(b) > budget || Records(b) > maxRecords))
        {
            // Over budget only as one component: every record of it connects to every other through shared records.
            var left = b.Select(c => c.Left).ToHashSet();
            var seen = new HashSet<(int, int)> { b[0] };
            var frontierL = new HashSet<int> { b[0].Left };
            var frontierR = new HashSet<int> { b[0].Right };
            bool grew = true;
            while (grew)
            {
                grew = false;
                foreach (var c in b)
                    if ((frontierL.Contains(c.Left) || frontierR.Contains(c.Right)) && seen.Add(c)) { frontierL.Add(c.Left); frontierR.Add(c.Right); grew = true; }
            }
            Assert.Equal(b.Count, seen.Count);
        }
    }
}
