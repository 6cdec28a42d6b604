// Contributor-side preparation for the secure join's fuzzy pass: each record's keyed Bloom filter (BloomRecords, under
// the contributors' key) as words of 64 bits, one column per word, and its three blocking keys pseudonymised with a keyed hash of the
// contributors (a missing key: a random dummy, so the record blocks with nobody on it). The schema declares the encoding
// (FuzzyEncodingSpec: fields, weights, length). Identifiers never leave the contributor; the columns are secret-shared
// like any pseudonym column. Leakage: none (local).
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Linkage.Bloom;

public static class FuzzyPreparation
{
    /// <summary>The label under which contributors derive the filter key: filters of one study compare, of others not.</summary>
    const string Purpose = "smpc fuzzy encoding";

    /// <summary>The identifier columns a fuzzy encoding of <paramref name="schema"/> reads (its fields and the blocking
    /// keys' surname, given name and date of birth), as the data-use terms' LinkageColumns must list them.</summary>
    public static IReadOnlyList<string> Sources(TableSchema schema, FuzzyEncodingSpec spec) =>
        [.. new[] { IdentifierKind.LastName, IdentifierKind.FirstName, IdentifierKind.DateOfBirth }.Concat(spec.Fields.Select(f => f.Identifier)).Distinct()
            .Select(k => Column(schema, k))];

    /// <summary>The engine's filter layout for a declared encoding (fields read under their roles).</summary>
    public static BloomSpec Bloom(FuzzyEncodingSpec spec) => new()
    {
        Bits = spec.Bits,
        Fields = [.. spec.Fields.Select(f => new BloomField(Role(f.Identifier), f.Identifier switch
        {
            IdentifierKind.DateOfBirth => BloomFieldKind.DateOfBirth,
            IdentifierKind.Sex => BloomFieldKind.Code,
            _ => BloomFieldKind.Name,
        }, f.HashesPerToken))],
    };

    /// <summary>The keyed Bloom encoder of a declared encoding under the contributors' key.</summary>
    public static BloomEncoder Encoder(FuzzyEncodingSpec spec, ReadOnlySpan<byte> contributorsKey) => new(Bloom(spec), contributorsKey, Purpose);

    /// <summary>
    /// The fuzzy columns of <paramref name="identifiers"/>' rows (<see cref="FuzzyColumns"/>), data and specs in row order, for
    /// the encoding <paramref name="schema"/> declares (or <paramref name="spec"/>). Refused, before anything is encoded,
    /// when <paramref name="rules"/> (if given) do not allow linkage on the identifiers it reads. Without
    /// <paramref name="encoder"/> only the columns' specs are made, with zero data (validation before an upload).
    /// </summary>
    public static (IReadOnlyList<ColumnSpec> Specs, PlainTable Data) Prepare(TableSchema schema, FuzzyEncodingSpec spec, PlainTable identifiers,
        BloomEncoder? encoder, IPseudonymiser? blocks, LinkageRules? rules = null)
    {
        foreach (var problem in spec.Problems(schema)) throw new SchemaException($"Schema '{schema.Name}': {problem}.");
        rules?.CheckKeys(schema.Name, [("fuzzy", Sources(schema, spec))]);
        int bits = spec.Bits, rows = identifiers.RowCount;
        int words = bits / FuzzyColumns.BitsPerWord;
        var specs = new List<ColumnSpec>(words + FuzzyColumns.Blocks.Count);
        for (int k = 0; k < words; k++) specs.Add(FuzzyColumns.WordSpec(k, spec));
        for (int k = 0; k < FuzzyColumns.Blocks.Count; k++) specs.Add(FuzzyColumns.BlockSpec(k));
        var data = new PlainTable(schema.Name);
        if (encoder is null || blocks is null)
        {
            foreach (var c in specs) data.Add(c.Name, new ulong[rows]);
            return (specs, data);
        }
        // The encoding's fields are roles (last_name, first_name, dob, sex): each dataset's own columns are read under them.
        var roles = new PlainTable(schema.Name);
        foreach (var kind in spec.Fields.Select(f => f.Identifier).Concat([IdentifierKind.LastName, IdentifierKind.FirstName, IdentifierKind.DateOfBirth]).Distinct())
        {
            var column = Column(schema, kind);
            roles.Add(Role(kind), identifiers.ColumnNames.Contains(column) ? identifiers[column]
                : throw new LinkageException($"Fuzzy linkage of '{schema.Name}' needs column '{column}'; the identifiers hold {string.Join(", ", identifiers.ColumnNames)}."));
        }
        var layout = schema.Identifiers.First(i => i.Kind == IdentifierKind.DateOfBirth).Format;
        var side = BloomRecords.Encode(roles, encoder, blocks, dateFormat: layout);
        for (int k = 0; k < words; k++)
        {
            var column = new ulong[rows];
            for (int r = 0; r < rows; r++) column[r] = side.Filters[r][k];
            data.Add(specs[k].Name, column);
        }
        for (int k = 0; k < FuzzyColumns.Blocks.Count; k++)
        {
            var column = new ulong[rows];
            for (int r = 0; r < rows; r++) column[r] = side.Blocks[r][k];
            data.Add(FuzzyColumns.Block(k), column);
        }
        return (specs, data);
    }

    static string Role(IdentifierKind kind) => kind switch
    {
        IdentifierKind.LastName => "last_name",
        IdentifierKind.FirstName => "first_name",
        IdentifierKind.DateOfBirth => "dob",
        IdentifierKind.Sex => "sex",
        _ => throw new LinkageException($"A fuzzy encoding does not encode {kind}."),
    };

    static string Column(TableSchema schema, IdentifierKind kind) =>
        schema.Identifiers.FirstOrDefault(i => i.Kind == kind)?.Name
        ?? throw new LinkageException($"Dataset '{schema.Name}' declares no {kind} identifier, which its fuzzy encoding needs.");
}
