using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>
/// The plaintext definition of multi-pass star linkage, written independently of SecureJoin with LINQ over the
/// contributors' normalised key strings (not pseudonyms) and their encoded payload rows.
/// </summary>
public static class LinkageReference
{
    /// <summary>One table in plaintext: key strings per pass (null = missing) and each row's encoded payload words.
    /// <see cref="Columns"/>: per payload column, its number of value words (1, or the domain size) and whether it has presence.</summary>
    public sealed record Table(string Name, string?[][] Keys, ulong[][] Rows, int Width, DuplicatePolicy Policy, (int Body, bool Present)[] Columns);

    public static Table From(SyntheticLinkageData.Extract e, PreparedTable prepared, DuplicatePolicy policy)
    {
        var payload = new PlainTable(e.Payload.Name);
        foreach (var c in e.Payload.Columns) payload.Add(c.Name, prepared.Data[c.Name]);
        var encoded = ContributorEncoder.Encode(e.Payload, payload);
        var vectors = encoded.SelectMany(c => (c.Values is null ? [] : new[] { c.Values }).Concat(c.OneHot ?? []).Concat(c.Present is null ? [] : [c.Present])).ToArray();
        var rows = Enumerable.Range(0, e.Raw.RowCount).Select(r => vectors.Select(v => v[r]).ToArray()).ToArray();
        var keys = SyntheticLinkageData.Keys.Select(k => k.KeysOf(e.Raw)).ToArray();
        var columns = encoded.Select(c => (c.Values is null ? c.OneHot!.Length : 1, c.Present is not null)).ToArray();
        return new Table(e.Payload.Name, keys, rows, vectors.Length, policy, columns);
    }

    /// <summary>Joined rows (as comparable strings) and per-pass match counts, following the documented semantics.</summary>
    public static (List<string> Rows, List<(string Pass, string Table, long Count)> Counts) Join(
        IReadOnlyList<Table> tables, IReadOnlyList<string> passNames, JoinKind kind)
    {
        int n = tables.Count;
        var available = tables.Select(t => Enumerable.Range(0, t.Rows.Length).ToList()).ToArray();
        var output = new List<string>();
        var counts = new List<(string, string, long)>();
        for (int p = 0; p < passNames.Count; p++)
        {
            bool last = p == passNames.Count - 1;
            if (available[0].Count == 0) { for (int t = 1; t < n; t++) counts.Add((passNames[p], tables[t].Name, 0)); continue; }
            if (available.Skip(1).Any(a => a.Count > 0))
                for (int t = 0; t < n; t++) available[t] = Deduplicate(tables[t], available[t], p);
            var lookups = Enumerable.Range(0, n).Select(t => available[t]
                .Where(r => tables[t].Keys[p][r] is not null)
                .ToDictionary(r => tables[t].Keys[p][r]!, r => r)).ToArray();
            int? Partner(int t, int baseRow) =>
                tables[0].Keys[p][baseRow] is { } k && lookups[t].TryGetValue(k, out int r) ? r : null;
            for (int t = 1; t < n; t++) counts.Add((passNames[p], tables[t].Name, available[0].Count(i => Partner(t, i) is not null)));

            var linked = available[0].Where(i => Enumerable.Range(1, n - 1).Any(t => Partner(t, i) is not null)).ToList();
            var finished = kind == JoinKind.Inner
                ? available[0].Where(i => Enumerable.Range(1, n - 1).All(t => Partner(t, i) is not null))
                : available[0].Where(i => linked.Contains(i) || last);
            foreach (int i in finished)
            {
                var words = new List<ulong>(tables[0].Rows[i]);
                for (int t = 1; t < n; t++)
                {
                    var partner = Partner(t, i);
                    words.AddRange(kind == JoinKind.Left ? LeftWords(tables[t], partner) : tables[t].Rows[partner!.Value]);
                    if (kind == JoinKind.Left) words.Add(partner is null ? 0UL : 1UL);
                }
                output.Add(string.Join(",", words));
            }
            var partners = Enumerable.Range(1, n - 1).Select(t => available[0].Select(i => Partner(t, i)).Where(r => r is not null).Select(r => r!.Value).ToHashSet()).ToArray();
            available[0] = available[0].Except(linked).ToList();
            for (int t = 1; t < n; t++) available[t] = available[t].Where(r => !partners[t - 1].Contains(r)).ToList();
        }
        return (output, counts);
    }

    /// <summary>A left join's words for another table's row: every column gets presence — its own where it has one, else 1 —
    /// and a row without a partner is all zeros (values and presence alike: every value missing).</summary>
    static IEnumerable<ulong> LeftWords(Table t, int? partner)
    {
        int at = 0;
        foreach (var (body, present) in t.Columns)
        {
            for (int k = 0; k < body; k++) yield return partner is { } r ? t.Rows[r][at + k] : 0UL;
            at += body;
            if (present) { yield return partner is { } r ? t.Rows[r][at] : 0UL; at++; }
            else yield return partner is null ? 0UL : 1UL;
        }
    }

    /// <summary>KeepFirst: among rows in play sharing a (non-missing) key, the lowest row number stays. Reject: throw.</summary>
    static List<int> Deduplicate(Table t, List<int> rows, int pass)
    {
        var duplicated = rows.Where(r => t.Keys[pass][r] is not null).GroupBy(r => t.Keys[pass][r]).Where(g => g.Count() > 1).ToList();
        if (duplicated.Count == 0) return rows;
        if (t.Policy == DuplicatePolicy.Reject) throw new InvalidOperationException($"reference: '{t.Name}' has duplicates in pass {pass}");
        var dropped = duplicated.SelectMany(g => g.OrderBy(r => r).Skip(1)).ToHashSet();
        return rows.Where(r => !dropped.Contains(r)).ToList();
    }

    /// <summary>The revealed rows of a joined secret table, one string per row, in the same word order as <see cref="Join"/>.</summary>
    public static List<string> Reveal(IComputeEngine engine, SecretTable table)
    {
        var vectors = table.Columns.SelectMany(c => c.Vectors()).Select(v => engine.Reveal(v, "test: compare with the plaintext reference")).ToArray();
        return Enumerable.Range(0, table.RowCount).Select(r => string.Join(",", vectors.Select(v => v[r]))).ToList();
    }
}
