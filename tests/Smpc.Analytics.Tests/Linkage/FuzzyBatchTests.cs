using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>The fuzzy pass decides its candidate pairs in batches of whole connected components (best match compares only
/// candidates that share a record): every candidate in exactly one batch, no record in two batches, each batch sorted and
/// within its budget unless one component alone exceeds it.</summary>
public sealed class FuzzyBatchTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    [InlineData(1_000_000)]
    public void Batches_hold_whole_components_within_the_budget(long budget)
    {
        var rng = new Random(5);
        var candidates = Enumerable.Range(0, 400).Select(_ => (Left: rng.Next(150), Right: rng.Next(180))).Distinct().Order().ToList();
        var batches = SecureJoin.FuzzyBatches(candidates, budget).ToList();
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
        if (budget >= 1_000_000) Assert.Single(batches);
        else Assert.True(batches.Count > 1);
        foreach (var b in batches.Where(b => Rivals(b) > budget))
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
