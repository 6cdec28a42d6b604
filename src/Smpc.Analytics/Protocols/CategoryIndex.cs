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
        if (columns.Sum(c => c.Codes.Length) == 0)
        {
            for (int j = 0; j < columns.Count; j++) result[j] = [.. Enumerable.Range(0, columns[j].Levels).Select(_ => ArithmeticShare.Zeros(0))];
            return result;
        }
        // 1. One conversion for every code of every column.
        var offsets = new int[columns.Count];
        for (int j = 1; j < columns.Count; j++) offsets[j] = offsets[j - 1] + columns[j - 1].Codes.Length;
        var codes = Conversion.ToBoolean(s, ArithmeticShare.Concat(columns.Select(c => c.Codes)));

        // 2. One expansion per bit width, the columns of that width side by side.
        foreach (var group in Enumerable.Range(0, columns.Count).GroupBy(j => CategoryExpansion.BitsFor(columns[j].Levels + 1)))
        {
            var members = group.ToArray();
            int levels = members.Max(j => columns[j].Levels), rows = members.Sum(j => columns[j].Codes.Length);
            var indicators = rows == 0 ? []
                : CategoryExpansion.Expand(s, BooleanShare.Concat(members.Select(j => codes.Slice(offsets[j], columns[j].Codes.Length))), group.Key, levels, first: 1);
            for (int i = 0, at = 0; i < members.Length; at += columns[members[i]].Codes.Length, i++)
            {
                int j = members[i], n = columns[j].Codes.Length;
                result[j] = [.. Enumerable.Range(0, columns[j].Levels).Select(k => rows == 0 ? ArithmeticShare.Zeros(0) : indicators[k].Slice(at, n))];
            }
        }
        return result;
    }
}
