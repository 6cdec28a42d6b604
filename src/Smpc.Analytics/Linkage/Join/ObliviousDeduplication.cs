// KeepFirst duplicate policy: among rows of one (shuffled) table that share an opened pseudonym, keep the row
// with the smallest original row number, without revealing which one it was.
// Each table carries its original row numbers 0..n−1 as a column shared before the shuffle, so after the shuffle
// they are secret. Groups are reduced by a tournament: rows are paired, a secret comparison of their row
// numbers gives a bit, and the pair becomes one row b + bit·(a − b) (TableAssembly.Select). All pairs of all
// groups go through one comparison and one multiplication per round; ⌈log2(largest group)⌉ rounds.
// Security: semi-honest; uses Comparison (LessThan), bit injection and Multiplication only.
// Leakage: the sizes of duplicate groups (already public from the opened pseudonyms); not which row survives.
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Linkage;

static class ObliviousDeduplication
{
    /// <summary>Rows of <paramref name="singles"/> followed by one surviving row per group (in group order).</summary>
    public static SecretTable KeepFirst(SecretTable table, int[] singles, int[][] groups, string rowColumn)
    {
        var engine = table.Engine;
        var pool = table;
        var current = groups;
        while (current.Any(g => g.Length > 1))
        {
            var a = new List<int>(); var b = new List<int>(); var carried = new List<int>();
            foreach (var g in current)
                for (int k = 0; k + 1 < g.Length; k += 2) { a.Add(g[k]); b.Add(g[k + 1]); }
            foreach (var g in current)
                if (g.Length % 2 == 1) carried.Add(g[^1]);
            // Next pool: winners of the pairs (in order), then carried rows; renumber the groups accordingly.
            var next = new int[current.Length][];
            int pair = 0, carry = 0;
            for (int k = 0; k < current.Length; k++)
            {
                var g = current[k];
                var members = new List<int>();
                for (int m = 0; m + 1 < g.Length; m += 2) members.Add(pair++);
                if (g.Length % 2 == 1) members.Add(a.Count + carry++);
                next[k] = members.ToArray();
            }
            var row = pool[rowColumn].RequireValues("deduplication");
            var keepA = engine.ToArithmetic(engine.LessThan(engine.Gather(row, a.ToArray()), engine.Gather(row, b.ToArray())));
            var winners = TableAssembly.Select(pool, a.ToArray(), b.ToArray(), keepA);
            pool = carried.Count == 0 ? winners : TableAssembly.Concat([winners, pool.Gather(carried.ToArray())]);
            current = next;
        }
        var survivors = pool.Gather(current.Select(g => g[0]).ToArray());
        return singles.Length == 0 ? survivors.Rename(table.Name) : TableAssembly.Concat([table.Gather(singles), survivors], table.Name);
    }
}
