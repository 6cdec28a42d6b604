using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Linkage.Bloom;

/// <summary>
/// A contributor's records prepared for fuzzy linkage (at the contributor, on its own plaintext): one keyed Bloom filter
/// per record over its names and date of birth, and its three blocking keys pseudonymised with the study's keyed hash
/// (a missing key gets a random dummy, so it blocks with nothing).
/// </summary>
public static class BloomRecords
{
    /// <param name="identifiers">The contributor's raw identifier columns.</param>
    /// <param name="dateFormat">The date of birth's layout in the file (the schema's), null to recognise it.</param>
    public static FuzzySide Encode(PlainTable identifiers, BloomEncoder encoder, IPseudonymiser blocks,
                                   string firstName = "first_name", string lastName = "last_name", string dateOfBirth = "dob", string? dateFormat = null)
    {
        string?[] Column(string name) => identifiers.ColumnNames.Contains(name)
            ? Text(identifiers[name]) : throw new LinkageException($"Fuzzy linkage needs column '{name}'; the identifiers hold {string.Join(", ", identifiers.ColumnNames)}.");
        var first = Column(firstName);
        var last = Column(lastName);
        var born = Column(dateOfBirth);
        var fields = encoder.Spec.Fields.Select(f => f.Column).ToHashSet();
        var filters = new ulong[identifiers.RowCount][];
        var keys = new List<string?>(identifiers.RowCount * 3);
        for (int r = 0; r < identifiers.RowCount; r++)
        {
            var values = new Dictionary<string, string?>();
            foreach (var column in fields)
                values[column] = column == firstName ? first[r] : column == lastName ? last[r] : column == dateOfBirth ? born[r]
                    : identifiers.ColumnNames.Contains(column) ? Text(identifiers[column])[r] : null;
            filters[r] = encoder.Encode(values);
            keys.AddRange(BlockingKeys.Of(last[r], first[r], born[r], dateFormat));
        }
        var pseudonyms = blocks.Pseudonymise(keys);
        var blockKeys = Enumerable.Range(0, identifiers.RowCount).Select(r => pseudonyms.AsSpan(3 * r, 3).ToArray()).ToArray();
        return new FuzzySide(filters, blockKeys);
    }

    /// <summary>An identifier column as text (as read from a file: strings, or values that print as the file wrote them).</summary>
    static string?[] Text(Array values) => values as string?[] ?? [.. values.Cast<object?>().Select(v => v?.ToString())];

    /// <summary>The filters' bits as 0/1 values, record-major (record r's bits at [r·m, (r+1)·m)), for sharing.</summary>
    public static ulong[] Bits(FuzzySide side, int bits)
    {
        var values = new ulong[(long)side.Count * bits];
        for (int r = 0; r < side.Count; r++)
            for (int i = 0; i < bits; i++)
                values[(long)r * bits + i] = (side.Filters[r][i >> 6] >> (i & 63)) & 1;
        return values;
    }
}

/// <summary>The exact passes of a keyed-hash linkage unit (classic PPRL): pass by pass, records left unlinked whose
/// keys are equal link; a key held by several records of one side links its first record only — the rules of the
/// secure join.</summary>
public static class ExactLinkageUnit
{
    /// <param name="passes">Per pass: the left and the right records' keys (null: no key).</param>
    public static List<(int Left, int Right)> Link(IEnumerable<(IReadOnlyList<string?> Left, IReadOnlyList<string?> Right)> passes)
    {
        var links = new List<(int, int)>();
        var leftDone = new HashSet<int>();
        var rightDone = new HashSet<int>();
        foreach (var (lk, rk) in passes)
        {
            var rightFirst = new Dictionary<string, int>();
            for (int j = 0; j < rk.Count; j++) if (!rightDone.Contains(j) && rk[j] is { } k) rightFirst.TryAdd(k, j);
            var seen = new HashSet<string>();
            for (int i = 0; i < lk.Count; i++)
                if (!leftDone.Contains(i) && lk[i] is { } k && seen.Add(k) && rightFirst.TryGetValue(k, out int j))
                {
                    links.Add((i, j));
                    leftDone.Add(i);
                    rightDone.Add(j);
                }
        }
        return links;
    }
}
