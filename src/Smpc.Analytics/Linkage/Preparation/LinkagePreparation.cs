// Contributor-side preparation of a dataset for linkage: normalise identifiers, build key strings, pseudonymise
// them, and return a table in which the identifier columns are replaced by 64-bit pseudonym columns — ready for
// ContributorEncoder.Share. Identifiers never leave the contributor; the payload columns are untouched.
// Leakage: none (local). The quality report (missing / invalid keys per key) stays with the contributor.
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Linkage;

/// <summary>Result of <see cref="LinkagePreparation.Prepare"/>: the shareable schema and data, and a local quality report.</summary>
public sealed record PreparedTable(TableSchema Schema, PlainTable Data, IReadOnlyList<KeyQuality> Quality);

/// <summary>How many rows had no usable key (missing or invalid identifier components).</summary>
public sealed record KeyQuality(string Key, int Rows, int Missing);

public static class LinkagePreparation
{
    /// <summary>
    /// Replaces identifiers by pseudonyms. <paramref name="raw"/> holds the payload columns declared in
    /// <paramref name="payload"/> plus the identifier columns the keys read, and may hold other identifiers the schema
    /// declares (they are dropped). When the schema declares identifiers, the keys' identifying sources must be among them.
    /// Checks, before anything is computed: every key's source columns exist and the data-use terms (when given)
    /// allow linkage on them; no identifier column is declared as payload.
    /// </summary>
    public static PreparedTable Prepare(PlainTable raw, TableSchema payload, IReadOnlyList<LinkageKey> keys,
                                        IPseudonymiser pseudonymiser, LinkageRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(pseudonymiser);
        payload.Validate();
        if (keys.Count == 0) throw new LinkageException($"Preparing '{payload.Name}' for linkage needs at least one linkage key.");
        foreach (var dup in keys.GroupBy(k => k.Name).Where(g => g.Count() > 1))
            throw new LinkageException($"Two linkage keys of '{payload.Name}' are both named '{dup.Key}'.");
        var sources = keys.SelectMany(k => k.Sources).ToHashSet(StringComparer.Ordinal);
        var identifying = keys.SelectMany(k => k.Identifying).ToHashSet(StringComparer.Ordinal);
        foreach (var c in payload.Columns)
        {
            if (identifying.Contains(c.Name))
                throw new LinkageException($"Column '{c.Name}' of '{payload.Name}' is an identifier used by a linkage key; it must not also be shared as payload.");
            if (keys.Any(k => k.Name == c.Name))
                throw new LinkageException($"Linkage key '{c.Name}' has the name of a payload column of '{payload.Name}'.");
        }
        foreach (var k in keys)
            foreach (var c in k.Sources.Where(c => !raw.Has(c)))
                throw new LinkageException($"Linkage key '{k.Name}' needs column '{c}', which table '{raw.Name}' does not have. Columns: {string.Join(", ", raw.ColumnNames)}.");
        var declaredIdentifiers = payload.Identifiers.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var extra = raw.ColumnNames.Where(c => !sources.Contains(c) && !payload.Has(c) && !declaredIdentifiers.Contains(c)).ToList();
        if (extra.Count > 0)
            throw new LinkageException($"Table '{raw.Name}' has columns that are neither payload of '{payload.Name}' nor identifiers of a linkage key: {string.Join(", ", extra)}.");
        if (declaredIdentifiers.Count > 0)
            foreach (var k in keys)
                foreach (var c in k.Identifying.Where(c => !declaredIdentifiers.Contains(c)))
                    throw new LinkageException($"Linkage key '{k.Name}' reads '{c}', which the schema '{payload.Name}' does not declare as an identifier.");
        rules?.CheckKeys(payload.Name, keys.Select(k => (k.Name, k.Sources)));

        var keyStrings = keys.Select(k => k.KeysOf(raw)).ToArray();   // validates types of every identifier cell first
        var data = new PlainTable(payload.Name);
        foreach (var c in payload.Columns)
        {
            if (!raw.Has(c.Name)) throw new LinkageException($"Table '{raw.Name}' lacks the payload column '{c.Name}' declared by '{payload.Name}'.");
            data.Add(c.Name, raw[c.Name]);
        }
        var specs = payload.Columns.ToList();
        var quality = new List<KeyQuality>();
        for (int k = 0; k < keys.Count; k++)
        {
            data.Add(keys[k].Name, pseudonymiser.Pseudonymise(keyStrings[k]));
            specs.Add(new ColumnSpec
            {
                Name = keys[k].Name,
                Kind = ColumnKind.Pseudonym,
                Description = $"{pseudonymiser.Scheme} pseudonym of {string.Join(" + ", keys[k].Sources)}",
            });
            quality.Add(new KeyQuality(keys[k].Name, raw.RowCount, keyStrings[k].Count(s => s is null)));
        }
        // The shared schema declares no identifiers: they stay with the contributor.
        return new PreparedTable(new TableSchema { Name = payload.Name, Columns = specs, Description = payload.Description }, data, quality);
    }
}
