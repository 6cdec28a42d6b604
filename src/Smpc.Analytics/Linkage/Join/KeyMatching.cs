// Compute-side matching on opened, shuffled pseudonyms. Everything here is public to the three compute parties
// (each runs the same code on the same opened values); nothing here is ever handed to the analyst.
namespace Smpc.Analytics.Linkage;

static class KeyMatching
{
    /// <summary>Rows grouped by key: rows whose key is unique, and groups (size ≥ 2) of rows sharing a key, in first-seen order.</summary>
    public static (int[] Singles, int[][] Groups) Duplicates(ulong[] keys)
    {
        var first = new Dictionary<ulong, int>(keys.Length);
        Dictionary<ulong, List<int>>? groups = null;
        for (int i = 0; i < keys.Length; i++)
        {
            if (first.TryAdd(keys[i], i)) continue;
            groups ??= [];
            if (!groups.TryGetValue(keys[i], out var g)) groups[keys[i]] = g = [first[keys[i]]];
            g.Add(i);
        }
        if (groups is null) return (Enumerable.Range(0, keys.Length).ToArray(), []);
        var singles = new List<int>(keys.Length);
        for (int i = 0; i < keys.Length; i++) if (!groups.ContainsKey(keys[i])) singles.Add(i);
        return (singles.ToArray(), groups.Values.OrderBy(g => g[0]).Select(g => g.ToArray()).ToArray());
    }

    /// <summary>For the base table's keys and another table's (unique) keys: the other table's row per base row, or −1.</summary>
    public static int[] ToBase(ulong[] baseKeys, ulong[] otherKeys)
    {
        var index = new Dictionary<ulong, int>(otherKeys.Length);
        for (int j = 0; j < otherKeys.Length; j++) index.Add(otherKeys[j], j);
        var match = new int[baseKeys.Length];
        for (int i = 0; i < baseKeys.Length; i++) match[i] = index.TryGetValue(baseKeys[i], out int j) ? j : -1;
        return match;
    }

    /// <summary>Rows 0..rows−1 of a table that no base row matched.</summary>
    public static int[] Unmatched(int rows, int[] match)
    {
        var used = new bool[rows];
        foreach (int j in match) if (j >= 0) used[j] = true;
        return Enumerable.Range(0, rows).Where(j => !used[j]).ToArray();
    }
}
