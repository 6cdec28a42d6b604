using System.Globalization;
using System.Text.Json;
using Apache.Arrow;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Columnar;

/// <summary>
/// One compute party's shares of a table: named <see cref="SharedColumn"/>s of equal length, the table
/// schema and the party id. This is what a party stores and loads; <see cref="SecretTable"/> is the
/// analyst-side handle over all three parties. As Arrow, the table is a <see cref="RecordBatch"/> whose
/// fields are the share components (zero-copy) and whose schema metadata carries the party id and the
/// table schema as JSON (layout: <see cref="ShareFormat"/>).
/// </summary>
public sealed class SharedTable
{
    readonly Dictionary<string, SharedColumn> _byName = new(StringComparer.Ordinal);

    public SharedTable(string name, int partyId, IReadOnlyList<SharedColumn> columns)
    {
        if ((uint)partyId > 2) throw Errors.PartyId(partyId);
        ArgumentNullException.ThrowIfNull(columns);
        Name = name;
        PartyId = partyId;
        Columns = columns;
        RowCount = columns.Count == 0 ? 0 : columns[0].Length;
        foreach (var c in columns)
        {
            if (c.PartyId != partyId) throw new ShapeException($"Table '{name}' is party {partyId}'s, but column '{c.Name}' holds party {c.PartyId}'s shares.");
            if (c.Length != RowCount) throw Errors.LengthMismatch($"table '{name}', column '{c.Name}'", RowCount, c.Length);
            if (!_byName.TryAdd(c.Name, c)) throw new SchemaException($"Table '{name}' has two columns named '{c.Name}'.");
        }
    }

    public string Name { get; }
    public int PartyId { get; }
    public IReadOnlyList<SharedColumn> Columns { get; }
    public int RowCount { get; }

    public TableSchema Schema => new() { Name = Name, Columns = Columns.Select(c => c.Spec).ToArray() };

    public SharedColumn this[string column] => _byName.TryGetValue(column, out var c) ? c
        : throw new SchemaException($"Unknown column '{column}' in party {PartyId}'s shares of '{Name}'. Columns: {string.Join(", ", Columns.Select(x => x.Name))}.");

    public bool Has(string column) => _byName.ContainsKey(column);

    /// <summary>Names of the columns that carry a presence vector.</summary>
    public IReadOnlyList<string> PresenceColumns => Columns.Where(c => c.Present is not null).Select(c => c.Name).ToArray();

    /// <summary>Names of the categorical columns held as codes (<see cref="SharedColumn.Code"/>), not one-hot.</summary>
    public IReadOnlyList<string> CodedColumns => Columns.Where(c => c.Code is not null).Select(c => c.Name).ToArray();

    /// <summary>The Arrow schema of this table (metadata: format, dataset, party, table schema).</summary>
    public Apache.Arrow.Schema ArrowSchema => ShareLayout.BuildArrowSchema(Schema, PartyId, PresenceColumns, CodedColumns, Metadata(), rowCheck: false);

    IEnumerable<KeyValuePair<string, string>> Metadata() =>
    [
        new(ShareFormat.Format, ShareFormat.FormatValue),
        new(ShareFormat.Dataset, Name),
        new(ShareFormat.Party, PartyId.ToString(CultureInfo.InvariantCulture)),
        new(ShareFormat.Ring, ShareFormat.RingValue),
        new(ShareFormat.Schema, JsonSerializer.Serialize(Schema, TableSchema.JsonInfo)),
    ];

    /// <summary>The whole table as one record batch whose arrays alias the shares (no copy).</summary>
    public RecordBatch ToRecordBatch() => ToRecordBatch(0, RowCount);

    /// <summary>Rows <c>[offset, offset+length)</c> as a record batch whose arrays alias the shares (no copy).</summary>
    public RecordBatch ToRecordBatch(int offset, int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > RowCount)
            throw new ArgumentOutOfRangeException(nameof(length), $"Rows {offset}..{(long)offset + length} are outside a table of {RowCount}.");
        return new RecordBatch(ArrowSchema, ShareLayout.Arrays(Columns, offset, length), length);
    }

    /// <summary>
    /// Reads a party's shares back from a record batch made by <see cref="ToRecordBatch()"/> (or read from a
    /// share file). Arrays that alias whole share components are adopted without copying. Checks the party id
    /// and, if given, the expected schema.
    /// </summary>
    public static SharedTable FromRecordBatch(RecordBatch batch, int? expectedParty = null, TableSchema? expectedSchema = null)
    {
        const string source = "Record batch";
        var schema = ShareLayout.ReadTableSchema(batch.Schema, source);
        if (expectedSchema is not null) CheckSchema(expectedSchema, schema, source);
        int party = ShareLayout.ReadParty(batch.Schema, expectedParty, source);
        var layout = ShareLayout.Parse(batch.Schema, schema, party, requireRowCheck: false, source);
        var name = batch.Schema.Metadata.TryGetValue(ShareFormat.Dataset, out var n) ? n : schema.Name;
        return new SharedTable(name, party, layout.Columns(layout.Extract(batch, source, 0)));
    }

    /// <summary>Party <paramref name="partyId"/>'s shares of a table held by a <see cref="SecureEngine"/> (no copy).</summary>
    public static SharedTable FromSecretTable(SecretTable table, int partyId)
    {
        if ((uint)partyId > 2) throw Errors.PartyId(partyId);
        if (table.Engine is not SecureEngine)
            throw new ShapeException($"Table '{table.Name}' is held by the {table.Engine.Name} engine; only a secure engine has per-party shares.");
        return new SharedTable(table.Name, partyId, table.Columns.Select(c => SharedColumn.FromVectors(c.Spec, partyId,
            c.Vectors().Select(v => SecureEngine.ViewOf(v, partyId)).ToArray(), c.Present is not null)).ToArray());
    }

    /// <summary>Rows of several tables of the same party and schema, one after another (copies).</summary>
    public static SharedTable Concat(IReadOnlyList<SharedTable> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("Nothing to concatenate.", nameof(parts));
        if (parts.Count == 1) return parts[0];
        var first = parts[0];
        foreach (var p in parts)
        {
            if (p.PartyId != first.PartyId) throw new ShapeException($"Cannot concatenate party {first.PartyId}'s and party {p.PartyId}'s shares.");
            var diff = SchemaDiff.Differences(first.Schema, p.Schema);
            if (diff.Count > 0 || !p.PresenceColumns.SequenceEqual(first.PresenceColumns) || !p.CodedColumns.SequenceEqual(first.CodedColumns))
                throw new SchemaException($"Cannot concatenate tables of different shapes: {string.Join("; ", diff.DefaultIfEmpty("presence vectors or coded columns differ"))}.");
        }
        var columns = first.Columns.Select((c, k) =>
        {
            if (c.Code is not null)
            {
                var joined = Join(parts.Select(p => { var code = p.Columns[k].Code!; return new ArithmeticShare(code.First, code.Second); }).ToArray());
                return new SharedColumn(c.Spec, c.PartyId, new BooleanShare(joined.First, joined.Second));
            }
            var vectors = c.Vectors().Select((_, v) => Join(parts.Select(p => p.Columns[k].Vectors().ElementAt(v)).ToArray())).ToArray();
            return c.WithVectors(vectors);
        }).ToArray();
        return new SharedTable(first.Name, first.PartyId, columns);
    }

    static ArithmeticShare Join(IReadOnlyList<ArithmeticShare> parts)
    {
        int n = parts.Sum(p => p.Length);
        var a = GC.AllocateUninitializedArray<ulong>(n);
        var b = GC.AllocateUninitializedArray<ulong>(n);
        int at = 0;
        foreach (var p in parts)
        {
            p.First.CopyTo(a, at);
            p.Second.CopyTo(b, at);
            at += p.Length;
        }
        return new ArithmeticShare(a, b);
    }

    internal static void CheckSchema(TableSchema expected, TableSchema actual, string source)
    {
        var diff = SchemaDiff.Differences(expected, actual);
        if (diff.Count > 0)
            throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"{source} does not match the expected schema '{expected.Name}': {string.Join("; ", diff)}.");
    }
}
