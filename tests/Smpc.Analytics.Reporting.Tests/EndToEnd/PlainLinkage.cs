using Smpc.Analytics.Columnar;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Reporting.Tests.EndToEnd;

/// <summary>
/// The plaintext twin of the study's linkage, written independently of SecureJoin: the same linkage keys
/// (LinkageKey, on the raw identifiers), passes in order, duplicates within a table reduced to one row per key
/// (their analysis values are identical), rows without a key linking nothing, and rows linked in a pass leaving
/// the next. Returns the linked (base row, other row) pairs.
/// </summary>
internal static class PlainLinkage
{
    public static readonly DateOnly LatestDateOfBirth = new(2026, 12, 31);

    public static AgencyFile Load(string name) => AgencyFile.Load(Path.Combine(Repo.Root, "data", "synthetic"), name);

    public static List<(int Base, int Other)> Link(AgencyFile baseFile, AgencyFile otherFile)
    {
        LinkageKey[] keys = [LinkageKey.Ssn(), LinkageKey.NameDateOfBirth(latestDateOfBirth: LatestDateOfBirth)];
        var baseKeys = keys.Select(k => k.KeysOf(Raw(baseFile))).ToArray();
        var otherKeys = keys.Select(k => k.KeysOf(Raw(otherFile))).ToArray();
        var baseLeft = Enumerable.Range(0, baseFile.Analysis.RowCount).ToList();
        var otherLeft = Enumerable.Range(0, otherFile.Analysis.RowCount).ToList();
        var pairs = new List<(int, int)>();
        for (int p = 0; p < keys.Length; p++)
        {
            var b = Deduplicate(baseLeft, baseKeys[p]);
            var o = Deduplicate(otherLeft, otherKeys[p]);
            var index = o.Where(r => otherKeys[p][r] is not null).ToDictionary(r => otherKeys[p][r]!);
            var linkedOthers = new HashSet<int>();
            var next = new List<int>();
            foreach (int r in b)
            {
                if (baseKeys[p][r] is { } k && index.TryGetValue(k, out int j)) { pairs.Add((r, j)); linkedOthers.Add(j); }
                else next.Add(r);
            }
            baseLeft = next;
            otherLeft = o.Where(j => !linkedOthers.Contains(j)).ToList();
        }
        return pairs;
    }

    /// <summary>Rows still in play after keeping one row per key (rows without a key all stay: they are unique).</summary>
    static List<int> Deduplicate(List<int> rows, string?[] keys)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return rows.Where(r => keys[r] is not { } k || seen.Add(k)).ToList();
    }

    static PlainTable Raw(AgencyFile f)
    {
        var raw = new PlainTable(f.Schema.Name);
        foreach (var c in f.Identifiers.ColumnNames) raw.Add(c, f.Identifiers[c]);
        return raw;
    }
}
