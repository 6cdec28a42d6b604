// One-hot indicators of small secret integers ("codes"), for columns that travel as one code per row instead of one
// indicator vector per level: a join shuffles a categorical column as its code k+1 (0: no level), a single vector,
// and turns it back into indicators once, on the joined rows (SecureJoin).
// Protocol: one arithmetic-to-boolean conversion for all codes of all columns at once (Conversion.ToBoolean: a 64-bit
// adder, ⌈log2 64⌉ + 1 rounds), then per group of columns whose codes have the same bit width the category expansion
// of stored codes (CategoryExpansion: an AND tree over the code's bits for all levels, then bit injection;
// ⌈log2 bits⌉ + 2 rounds), the group's columns concatenated so they share those rounds.
// Leakage: none (every message is masked as in A2B, AND and bit injection); the number of rows and levels is public.
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Protocols;

public static class CategoryIndex
{
    /// <summary>Indicators [code = k + 1], k = 0..levels−1, of each column's codes (this party's views; codes in 0..levels).</summary>
    public static ArithmeticShare[][] Expand(MpcSession s, IReadOnlyList<(ArithmeticShare Codes, int Levels)> columns)
    {
        var result = new ArithmeticShare[columns.Count][];
        int total = columns.Sum(c => c.Codes.Length);
        if (total == 0)
        {
            for (int j = 0; j < columns.Count; j++)
                result[j] = [.. Enumerable.Range(0, columns[j].Levels).Select(_ => new ArithmeticShare(new ulong[0], new ulong[0]))];
            return result;
        }
        // 1. One conversion for every code of every column.
        var first = new ulong[total];
        var second = new ulong[total];
        var offsets = new int[columns.Count];
        for (int j = 0, at = 0; j < columns.Count; at += columns[j].Codes.Length, j++)
        {
            offsets[j] = at;
            columns[j].Codes.First.AsSpan().CopyTo(first.AsSpan(at));
            columns[j].Codes.Second.AsSpan().CopyTo(second.AsSpan(at));
        }
        var codes = Conversion.ToBoolean(s, new ArithmeticShare(first, second));

        // 2. One expansion per bit width, the columns of that width side by side.
        foreach (var group in Enumerable.Range(0, columns.Count).GroupBy(j => CategoryExpansion.BitsFor(columns[j].Levels + 1)))
        {
            var members = group.ToArray();
            int levels = members.Max(j => columns[j].Levels), rows = members.Sum(j => columns[j].Codes.Length);
            var gFirst = new ulong[rows];
            var gSecond = new ulong[rows];
            for (int i = 0, at = 0; i < members.Length; at += columns[members[i]].Codes.Length, i++)
            {
                int j = members[i], n = columns[j].Codes.Length;
                codes.First.AsSpan(offsets[j], n).CopyTo(gFirst.AsSpan(at));
                codes.Second.AsSpan(offsets[j], n).CopyTo(gSecond.AsSpan(at));
            }
            var indicators = rows == 0 ? [] : CategoryExpansion.Expand(s, new BooleanShare(gFirst, gSecond), group.Key, levels, first: 1);
            for (int i = 0, at = 0; i < members.Length; at += columns[members[i]].Codes.Length, i++)
            {
                int j = members[i], n = columns[j].Codes.Length;
                result[j] = [.. Enumerable.Range(0, columns[j].Levels).Select(k => rows == 0
                    ? new ArithmeticShare(new ulong[0], new ulong[0])
                    : new ArithmeticShare(indicators[k].First.AsSpan(at, n).ToArray(), indicators[k].Second.AsSpan(at, n).ToArray()))];
            }
        }
        return result;
    }
}
