// Release of a join's sizes to the analyst: the per-pass match counts and the joined row count. They are public to the
// compute parties already (they see which opened pseudonyms match, and the joined table's length); releasing them to
// the analyst is a disclosure decision under the inputs' terms, like any other count:
//  * a count below the minimum cell size is suppressed (0 is released: it says nothing about a person); when exactly one
//    pass of a table is suppressed the next smallest is suppressed too, since the total number of linked rows is
//    visible (it is the joined table's row count for an inner join);
//  * every released count is rounded to the nearest multiple of the rounding base (halves up), each on its own.
// The rounding is applied to the parties' public count before it is revealed, so the analyst only ever receives the
// rounded value. Released counts go through IComputeEngine.Reveal so they appear in the reveal log.
// Independent rounding of a total and its parts (joined rows = Σ passes for an inner join) narrows each exact value to
// an interval of width < base, never to a single value when base ≥ 3 (LEAKAGE.md, "Linkage").
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Linkage;

static class MatchCountRelease
{
    public static (IReadOnlyList<PassMatchCount> Counts, long? JoinedRows) Release(IComputeEngine engine, IReadOnlyList<(string Pass, string Table, long Count)> counts,
                                                                                long joinedRows, int minCellSize, int roundingBase)
    {
        if (roundingBase < 1) throw new ArgumentOutOfRangeException(nameof(roundingBase), roundingBase, "Rounding base must be at least 1.");
        var suppressed = new HashSet<int>();
        foreach (var table in counts.Select(c => c.Table).Distinct())
        {
            var rows = Enumerable.Range(0, counts.Count).Where(i => counts[i].Table == table).ToList();
            foreach (int i in rows) if (Small(counts[i].Count, minCellSize)) suppressed.Add(i);
            var hidden = rows.Where(suppressed.Contains).ToList();
            if (hidden.Count == 1)
            {
                // complementary suppression: the total is known, so one hidden pass could be recovered.
                var other = rows.Where(i => !suppressed.Contains(i) && counts[i].Count > 0).OrderBy(i => counts[i].Count).FirstOrDefault(-1);
                if (other >= 0) suppressed.Add(other);
            }
        }
        var released = Enumerable.Range(0, counts.Count).Where(i => !suppressed.Contains(i)).ToList();
        bool rowsReleased = !Small(joinedRows, minCellSize);
        var values = released.Select(i => Round(counts[i].Count, roundingBase)).ToList();
        if (rowsReleased) values.Add(Round(joinedRows, roundingBase));
        var what = released.Select(i => $"{counts[i].Table}/{counts[i].Pass}").Concat(rowsReleased ? ["joined rows"] : []);
        var opened = values.Count == 0 ? [] : engine.Reveal(engine.Public(values.ToArray()),
            $"linkage: matches per pass and joined rows ({string.Join("; ", what)}){(roundingBase > 1 ? $", rounded to a multiple of {roundingBase}" : "")}");
        var result = Enumerable.Range(0, counts.Count)
            .Select(i => new PassMatchCount(counts[i].Pass, counts[i].Table, suppressed.Contains(i) ? null : (long)opened[released.IndexOf(i)]))
            .ToArray();
        return (result, rowsReleased ? (long)opened[^1] : null);
    }

    static bool Small(long count, int minCellSize) => count > 0 && count < minCellSize;

    /// <summary>The nearest multiple of <paramref name="b"/> (halves up), as TableRelease rounds counts on shares.</summary>
    internal static ulong Round(long count, int b) => (ulong)((count + b / 2) / b * b);
}
