// Release of per-pass match counts to the analyst. The counts are public to the compute parties already (they
// see which opened pseudonyms match); releasing them to the analyst is a disclosure decision: a count below the
// minimum cell size is suppressed, and when exactly one pass of a table is suppressed the next smallest is
// suppressed too, since the total number of linked rows is visible (it is the joined table's row count for an
// inner join). Released counts go through IComputeEngine.Reveal so they appear in the reveal log.
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Linkage;

static class MatchCountRelease
{
    public static IReadOnlyList<PassMatchCount> Release(IComputeEngine engine, IReadOnlyList<(string Pass, string Table, long Count)> counts, int minCellSize)
    {
        var suppressed = new HashSet<int>();
        foreach (var table in counts.Select(c => c.Table).Distinct())
        {
            var rows = Enumerable.Range(0, counts.Count).Where(i => counts[i].Table == table).ToList();
            foreach (int i in rows) if (counts[i].Count > 0 && counts[i].Count < minCellSize) suppressed.Add(i);
            var hidden = rows.Where(suppressed.Contains).ToList();
            if (hidden.Count == 1)
            {
                // complementary suppression: the total is known, so one hidden pass could be recovered.
                var other = rows.Where(i => !suppressed.Contains(i) && counts[i].Count > 0).OrderBy(i => counts[i].Count).FirstOrDefault(-1);
                if (other >= 0) suppressed.Add(other);
            }
        }
        var released = Enumerable.Range(0, counts.Count).Where(i => !suppressed.Contains(i)).ToList();
        var values = released.Count == 0 ? [] : engine.Reveal(engine.Public(released.Select(i => (ulong)counts[i].Count).ToArray()),
            $"linkage: matches per pass ({string.Join("; ", released.Select(i => $"{counts[i].Table}/{counts[i].Pass}"))})");
        return Enumerable.Range(0, counts.Count)
            .Select(i => new PassMatchCount(counts[i].Pass, counts[i].Table, suppressed.Contains(i) ? null : (long)values[released.IndexOf(i)]))
            .ToArray();
    }
}
