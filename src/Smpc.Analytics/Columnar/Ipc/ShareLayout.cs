using System.Globalization;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;
using Smpc.Analytics.Columnar.Arrow;
using Smpc.Analytics.Sharing;
using ArrowSchema = Apache.Arrow.Schema;

namespace Smpc.Analytics.Columnar.Ipc;

/// <summary>
/// Maps a party's shares of a table to Arrow fields and back (see <see cref="ShareFormat"/> for the layout).
/// Building is mechanical; parsing validates every field against the table schema and the party id, so a
/// file or batch that does not fit is refused with the field, column and rule named.
/// </summary>
internal sealed class ShareLayout
{
    /// <summary>One stored field: which column, which of its vectors, which of the party's two components.</summary>
    readonly record struct Slot(int Field, int Column, int Vector, int Which);

    readonly List<Slot> _slots;
    readonly int[] _vectorCounts;
    readonly bool[] _hasPresent;
    readonly bool[] _coded;

    ShareLayout(TableSchema schema, int party, List<Slot> slots, int[] vectorCounts, bool[] hasPresent, bool[] coded, int rowCheckField)
    {
        _coded = coded;
        Schema = schema;
        PartyId = party;
        _slots = slots;
        _vectorCounts = vectorCounts;
        _hasPresent = hasPresent;
        RowCheckField = rowCheckField;
    }

    public TableSchema Schema { get; }
    public int PartyId { get; }

    /// <summary>Index of the row-checksum field, or −1 when the layout has none.</summary>
    public int RowCheckField { get; }

    /// <summary>Names of columns that carry a presence vector.</summary>
    public IReadOnlyList<string> PresenceColumns => Schema.Columns.Where((c, i) => _hasPresent[i]).Select(c => c.Name).ToArray();

    /// <summary>Names of categorical columns stored as codes.</summary>
    public IReadOnlyList<string> CodedColumns => Schema.Columns.Where((c, i) => _coded[i]).Select(c => c.Name).ToArray();

    // ---- building -------------------------------------------------------------------------------------

    /// <summary>The share vectors of a column, in <see cref="SecretColumn.Vectors"/> order: (part, category index).</summary>
    public static IEnumerable<(string Part, int Category)> VectorsOf(ColumnSpec spec, bool hasPresent, bool coded = false)
    {
        if (coded)
        {
            if (spec.Kind != ColumnKind.Categorical) throw new SchemaException($"Column '{spec.Name}' is {spec.Kind}; only categorical columns are stored as codes.");
            if (hasPresent) throw new SchemaException($"Coded column '{spec.Name}' keeps missing values in its code (0); it has no presence vector.");
            yield return (ShareFormat.PartCode, -1);
            yield break;
        }
        if (spec.Kind == ColumnKind.Categorical)
            for (int k = 0; k < spec.Domain!.Count; k++) yield return (ShareFormat.PartCategory, k);
        else yield return (ShareFormat.PartValue, -1);
        if (hasPresent) yield return (ShareFormat.PartPresent, -1);
    }

    /// <summary>The Arrow schema of party <paramref name="party"/>'s shares of a table.</summary>
    public static ArrowSchema BuildArrowSchema(TableSchema schema, int party, IReadOnlyCollection<string> presenceColumns,
        IReadOnlyCollection<string> codedColumns, IEnumerable<KeyValuePair<string, string>> tableMetadata, bool rowCheck)
    {
        if ((uint)party > 2) throw Errors.PartyId(party);
        foreach (var name in presenceColumns)
            if (!schema.Column(name).Nullable) throw new SchemaException($"Column '{name}' is not nullable; it cannot carry a presence vector.");
        var fields = new List<Field>();
        foreach (var spec in schema.Columns)
            foreach (var (part, category) in VectorsOf(spec, presenceColumns.Contains(spec.Name), codedColumns.Contains(spec.Name)))
                foreach (int component in new[] { party, (party + 1) % 3 })
                    fields.Add(ShareField(spec, part, category, component));
        if (rowCheck)
            fields.Add(new Field(ShareFormat.RowCheckField, UInt64Type.Default, false, [new(ShareFormat.Part, ShareFormat.PartRowCheck)]));
        return new ArrowSchema(fields, tableMetadata);
    }

    static Field ShareField(ColumnSpec spec, string part, int category, int component)
    {
        var meta = new List<KeyValuePair<string, string>>
        {
            new(ShareFormat.Column, spec.Name),
            new(ShareFormat.Part, part),
            new(ShareFormat.Component, component.ToString(CultureInfo.InvariantCulture)),
            new(ShareFormat.Kind, spec.Kind.ToString()),
        };
        if (spec.Kind == ColumnKind.FixedPoint) meta.Add(new(ShareFormat.Scale, spec.FractionBits.ToString(CultureInfo.InvariantCulture)));
        if (part == ShareFormat.PartCategory)
        {
            meta.Add(new(ShareFormat.Category, category.ToString(CultureInfo.InvariantCulture)));
            meta.Add(new(ShareFormat.Domain, spec.Domain![category]));
        }
        string suffix = part switch
        {
            ShareFormat.PartCategory => "=" + spec.Domain![category],
            ShareFormat.PartPresent => "?",
            ShareFormat.PartCode => "#",
            _ => "",
        };
        var type = part == ShareFormat.PartCode ? CodeFields.Type(spec) : UInt64Type.Default;
        return new Field($"{spec.Name}{suffix}[x{component}]", type, false, meta);
    }

    /// <summary>The arrays of a table's columns in field order (zero-copy views of the shares).</summary>
    public static List<IArrowArray> Arrays(IReadOnlyList<SharedColumn> columns, int offset, int length)
    {
        var arrays = new List<IArrowArray>();
        foreach (var column in columns)
        {
            if (column.Code is { } code)
            {
                arrays.Add(CodeFields.ToArrow(column.Spec, code.First, offset, length));
                arrays.Add(CodeFields.ToArrow(column.Spec, code.Second, offset, length));
            }
            foreach (var v in column.Vectors())
            {
                arrays.Add(ArrowShares.ToArrow(v.First, offset, length));
                arrays.Add(ArrowShares.ToArrow(v.Second, offset, length));
            }
        }
        return arrays;
    }

    // ---- parsing ---------------------------------------------------------------------------------------

    /// <summary>Reads the table schema from Arrow schema metadata (the JSON under <see cref="ShareFormat.Schema"/>).</summary>
    public static TableSchema ReadTableSchema(ArrowSchema arrow, string source)
    {
        var meta = arrow.HasMetadata ? arrow.Metadata : new Dictionary<string, string>();
        if (!meta.TryGetValue(ShareFormat.Format, out var format))
            throw new ShareFileException(ShareFileProblem.Corrupt, $"{source} is not a share file: its Arrow schema has no '{ShareFormat.Format}' metadata.");
        if (format != ShareFormat.FormatValue)
            throw new ShareFileException(ShareFileProblem.Corrupt, $"{source} has format '{format}'; this version reads '{ShareFormat.FormatValue}'.");
        if (!meta.TryGetValue(ShareFormat.Schema, out var json))
            throw new ShareFileException(ShareFileProblem.Corrupt, $"{source} has no table schema ('{ShareFormat.Schema}' metadata).");
        TableSchema? schema;
        try { schema = JsonSerializer.Deserialize(json, TableSchema.JsonInfo); }
        catch (JsonException e) { throw new ShareFileException(ShareFileProblem.Corrupt, $"{source} has a table schema that is not valid JSON: {e.Message}", e); }
        if (schema is null) throw new ShareFileException(ShareFileProblem.Corrupt, $"{source} has an empty table schema.");
        try { return schema.Validate(); }
        catch (SchemaException e) { throw new ShareFileException(ShareFileProblem.Corrupt, $"{source}: {e.Message}", e); }
    }

    /// <summary>Reads and checks the party id in Arrow schema metadata against <paramref name="expectedParty"/> (if given).</summary>
    public static int ReadParty(ArrowSchema arrow, int? expectedParty, string source)
    {
        if (!arrow.HasMetadata || !arrow.Metadata.TryGetValue(ShareFormat.Party, out var text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int party) || party > 2)
            throw new ShareFileException(ShareFileProblem.Corrupt, $"{source} does not say which party's shares it holds ('{ShareFormat.Party}' metadata must be 0, 1 or 2).");
        if (expectedParty is { } p && p != party)
            throw new ShareFileException(ShareFileProblem.WrongParty, $"{source} holds party {party}'s shares, but party {p}'s were expected. Each compute party must load its own file.");
        return party;
    }

    /// <summary>Checks every field of <paramref name="arrow"/> against the table schema and the party.</summary>
    public static ShareLayout Parse(ArrowSchema arrow, TableSchema schema, int party, bool requireRowCheck, string source)
    {
        var fields = arrow.FieldsList;
        var slots = new List<Slot>();
        var vectorCounts = schema.Columns.Select(c => c.Kind == ColumnKind.Categorical ? c.Domain!.Count : 1).ToArray();
        var seen = new Dictionary<(int, int, int), string>();
        var presentSeen = new int[schema.Columns.Count];
        var codedSeen = new int[schema.Columns.Count];
        int rowCheck = -1;
        var columnIndex = schema.Columns.Select((c, i) => (c.Name, i)).ToDictionary(t => t.Name, t => t.i, StringComparer.Ordinal);

        for (int j = 0; j < fields.Count; j++)
        {
            var f = fields[j];
            string where = $"{source}, field '{f.Name}'";
            var meta = f.HasMetadata ? f.Metadata : new Dictionary<string, string>();
            if (meta.TryGetValue(ShareFormat.Part, out var part) && part == ShareFormat.PartRowCheck)
            {
                if (j != fields.Count - 1) throw new ShareFileException(ShareFileProblem.Corrupt, $"{where}: the row checksum must be the last field.");
                RequireUInt64(f, where);
                rowCheck = j;
                continue;
            }
            if (!meta.TryGetValue(ShareFormat.Column, out var name))
                throw new ShareFileException(ShareFileProblem.UnknownColumn, $"{where} is not a share field (no '{ShareFormat.Column}' metadata); share files hold only share fields.");
            if (!columnIndex.TryGetValue(name, out int c))
                throw new ShareFileException(ShareFileProblem.UnknownColumn, $"{where} belongs to column '{name}', which the schema '{schema.Name}' does not declare. Columns: {string.Join(", ", schema.Columns.Select(x => x.Name))}.");
            var spec = schema.Columns[c];
            if (part == ShareFormat.PartCode && spec.Kind == ColumnKind.Categorical)
            {
                if (f.DataType.TypeId != CodeFields.Type(spec).TypeId)
                    throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"{where} has Arrow type {f.DataType.Name}; the codes of '{spec.Name}' are {CodeFields.Type(spec).Name}.");
            }
            else RequireUInt64(f, where);
            if (!meta.TryGetValue(ShareFormat.Component, out var compText) || !int.TryParse(compText, NumberStyles.None, CultureInfo.InvariantCulture, out int component) || component > 2)
                throw new ShareFileException(ShareFileProblem.Corrupt, $"{where} has no valid component index ('{ShareFormat.Component}' must be 0, 1 or 2).");
            int which = component == party ? 0 : component == (party + 1) % 3 ? 1
                : throw new ShareFileException(ShareFileProblem.WrongParty, $"{where} holds replicated component {component}, which party {party} does not hold (it holds {party} and {(party + 1) % 3}).");
            if (meta.TryGetValue(ShareFormat.Kind, out var kind) && kind != spec.Kind.ToString())
                throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"{where} is marked {kind}, but column '{spec.Name}' is {spec.Kind}.");
            if (spec.Kind == ColumnKind.FixedPoint && meta.TryGetValue(ShareFormat.Scale, out var scale) && scale != spec.FractionBits.ToString(CultureInfo.InvariantCulture))
                throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"{where} has scale 2^{scale}, but column '{spec.Name}' has {spec.FractionBits} fraction bits.");

            int vector;
            switch (part)
            {
                case ShareFormat.PartValue when spec.Kind != ColumnKind.Categorical:
                    vector = 0;
                    break;
                case ShareFormat.PartCategory when spec.Kind == ColumnKind.Categorical:
                    if (!meta.TryGetValue(ShareFormat.Category, out var kText) || !int.TryParse(kText, NumberStyles.None, CultureInfo.InvariantCulture, out vector) || vector >= spec.Domain!.Count)
                        throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"{where} names no category of the domain of '{spec.Name}' ({spec.Domain!.Count} values).");
                    if (meta.TryGetValue(ShareFormat.Domain, out var value) && value != spec.Domain[vector])
                        throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"{where} is the indicator of '{value}', but category {vector} of '{spec.Name}' is '{spec.Domain[vector]}'.");
                    break;
                case ShareFormat.PartCode when spec.Kind == ColumnKind.Categorical:
                    vector = 0;
                    codedSeen[c] |= 1 << which;
                    break;
                case ShareFormat.PartPresent when spec.Nullable:
                    vector = vectorCounts[c];
                    presentSeen[c] |= 1 << which;
                    break;
                default:
                    throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"{where} is a '{part}' part, which a {spec.Kind}{(spec.Nullable ? " nullable" : "")} column '{spec.Name}' does not have.");
            }
            if (!seen.TryAdd((c, vector, which), f.Name))
                throw new ShareFileException(ShareFileProblem.Corrupt, $"{where} repeats field '{seen[(c, vector, which)]}' (same column, part and component).");
            slots.Add(new Slot(j, c, vector, which));
        }

        var hasPresent = new bool[schema.Columns.Count];
        var coded = new bool[schema.Columns.Count];
        for (int c = 0; c < schema.Columns.Count; c++)
        {
            var spec = schema.Columns[c];
            coded[c] = codedSeen[c] != 0;
            if (coded[c])
            {
                if (codedSeen[c] != 3 || presentSeen[c] != 0 || seen.Keys.Count(key => key.Item1 == c) != 2)
                    throw new ShareFileException(ShareFileProblem.SchemaMismatch,
                        $"{source}: coded column '{spec.Name}' must have exactly its two code components (no indicator or presence fields).");
                vectorCounts[c] = 1;
                continue;
            }
            if (presentSeen[c] is 1 or 2)
                throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"{source}: the presence vector of column '{spec.Name}' has only one of the party's two components.");
            hasPresent[c] = presentSeen[c] == 3;
            for (int v = 0; v < vectorCounts[c]; v++)
                for (int which = 0; which < 2; which++)
                    if (!seen.ContainsKey((c, v, which)))
                    {
                        string what = spec.Kind == ColumnKind.Categorical ? $"the indicator of '{spec.Domain![v]}'" : "the values";
                        throw new ShareFileException(ShareFileProblem.SchemaMismatch,
                            $"{source} lacks {what} of column '{spec.Name}', component {(which == 0 ? party : (party + 1) % 3)}: the file does not match the schema '{schema.Name}'.");
                    }
            if (hasPresent[c]) vectorCounts[c]++;
        }
        if (requireRowCheck && rowCheck < 0)
            throw new ShareFileException(ShareFileProblem.Corrupt, $"{source} has no row checksum field '{ShareFormat.RowCheckField}'.");
        return new ShareLayout(schema, party, slots, vectorCounts, hasPresent, coded, rowCheck);
    }

    static void RequireUInt64(Field f, string where)
    {
        if (f.DataType is not UInt64Type)
            throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"{where} has Arrow type {f.DataType.Name}; share fields are uint64.");
    }

    /// <summary>Checks one record batch (lengths, nulls, row checksum) and returns every vector's two
    /// components, indexed [column][vector] → (first, second). Aliases the arrays where Arrow allows, else copies.</summary>
    public (ulong[] First, ulong[] Second)[][] Extract(RecordBatch batch, string source, long firstRow)
    {
        int n = batch.Length;
        var fields = batch.Schema.FieldsList;
        if (batch.ColumnCount != fields.Count)
            throw new ShareFileException(ShareFileProblem.Corrupt, $"{source}: a record batch has {batch.ColumnCount} arrays for {fields.Count} fields.");
        for (int j = 0; j < batch.ColumnCount; j++)
        {
            var a = batch.Column(j);
            if (a.Length != n)
                throw new ShareFileException(ShareFileProblem.LengthMismatch,
                    $"{source}: field '{fields[j].Name}' has {a.Length} rows but the record batch starting at row {firstRow} has {n}: columns have different lengths.");
            if (a is not (UInt64Array or UInt32Array or UInt16Array or UInt8Array) || a.Data.DataType.TypeId != fields[j].DataType.TypeId)
                throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"{source}: field '{fields[j].Name}' is not a uint64 array (or a narrow code array).");
            if (a.NullCount != 0)
                throw new ShareFileException(ShareFileProblem.Corrupt, $"{source}: field '{fields[j].Name}' has {a.NullCount} null entries; shares are never null.");
        }
        if (RowCheckField >= 0)
        {
            var h = RowChecksum.Start(n);
            for (int j = 0; j < batch.ColumnCount; j++)
                if (j != RowCheckField) CodeFields.Absorb(h, batch.Column(j));
            int bad = RowChecksum.FirstMismatch(h, ((UInt64Array)batch.Column(RowCheckField)).Values);
            if (bad >= 0)
                throw new ShareFileException(ShareFileProblem.Corrupt, $"{source}: row {firstRow + bad} fails its checksum; the file is damaged (shares changed after writing).");
        }

        var result = new (ulong[] First, ulong[] Second)[_vectorCounts.Length][];
        for (int c = 0; c < result.Length; c++) result[c] = new (ulong[], ulong[])[_vectorCounts[c]];
        foreach (var s in _slots)
        {
            var values = _coded[s.Column]
                ? CodeFields.Read(Schema.Columns[s.Column], batch.Column(s.Field), $"{source}, field '{fields[s.Field].Name}' (batch from row {firstRow})")
                : ArrowShares.ToUInt64((UInt64Array)batch.Column(s.Field));
            if (s.Which == 0) result[s.Column][s.Vector].First = values;
            else result[s.Column][s.Vector].Second = values;
        }
        return result;
    }

    /// <summary>Zero-row components for every vector (a file with no record batches).</summary>
    public (ulong[] First, ulong[] Second)[][] Empty() =>
        _vectorCounts.Select(n => Enumerable.Range(0, n).Select(_ => (System.Array.Empty<ulong>(), System.Array.Empty<ulong>())).ToArray()).ToArray();

    /// <summary>Builds the party's columns from extracted components.</summary>
    public SharedColumn[] Columns((ulong[] First, ulong[] Second)[][] parts) =>
        Schema.Columns.Select((spec, c) => _coded[c]
            ? new SharedColumn(spec, PartyId, new BooleanShare(parts[c][0].First, parts[c][0].Second))
            : SharedColumn.FromVectors(spec, PartyId, parts[c].Select(p => new ArithmeticShare(p.First, p.Second)).ToArray(), _hasPresent[c])).ToArray();
}
