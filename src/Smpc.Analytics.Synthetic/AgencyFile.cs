using System.Globalization;
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Synthetic;

/// <summary>
/// An agency's CSV file read against its schema: analysis columns typed for <see cref="ContributorEncoder"/>
/// (Integer → long?[], FixedPoint → double?[], Categorical → string?[], Boolean → bool?[]) and identifier
/// columns as text (empty → null), kept apart so identifiers never reach the encoder.
/// Every problem names the file, the line and the column; nothing is returned unless the whole file parses.
/// Domains, bounds and nullability are then checked by <see cref="ContributorEncoder.Encode"/>.
/// </summary>
public sealed record AgencyFile(TableSchema Schema, PlainTable Analysis, PlainTable Identifiers)
{
    /// <summary>Reads <c>dir/name.csv</c> with <c>dir/name.schema.json</c>.</summary>
    public static AgencyFile Load(string dir, string name) =>
        Read(Path.Combine(dir, name + ".csv"), TableSchema.Load(Path.Combine(dir, name + ".schema.json")));

    public static AgencyFile Read(string csvPath, TableSchema schema)
    {
        if (!File.Exists(csvPath)) throw new SchemaException($"Data file '{csvPath}' does not exist.");
        using var csv = new CsvReader(csvPath);
        var header = csv.Read() ?? throw new SchemaException($"'{csvPath}' is empty (no header row).");
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
            if (!position.TryAdd(header[i], i)) throw new SchemaException($"'{csvPath}': column '{header[i]}' appears twice in the header.");
        var declared = schema.Columns.Select(c => c.Name).Concat(schema.Identifiers.Select(c => c.Name)).ToList();
        var missing = declared.Where(n => !position.ContainsKey(n)).ToList();
        if (missing.Count > 0) throw new SchemaException($"'{csvPath}' lacks columns the schema '{schema.Name}' declares: {string.Join(", ", missing)}.");
        var extra = header.Where(h => !declared.Contains(h)).ToList();
        if (extra.Count > 0) throw new SchemaException($"'{csvPath}' has columns the schema '{schema.Name}' does not declare: {string.Join(", ", extra)}.");

        var columns = schema.Columns.Select(c => (Spec: c, Index: position[c.Name], Values: Builder.For(c, csvPath))).ToArray();
        var ids = schema.Identifiers.Select(c => (Spec: c, Index: position[c.Name], Values: new List<string?>())).ToArray();
        while (csv.Read() is { } row)
        {
            if (row.Length != header.Length)
                throw new SchemaException($"'{csvPath}' line {csv.Line}: {row.Length} fields, the header has {header.Length}.");
            foreach (var (_, index, values) in columns) values.Add(row[index], csv.Line);
            foreach (var (_, index, values) in ids) values.Add(row[index].Length == 0 ? null : row[index]);
        }

        var analysis = new PlainTable(schema.Name);
        foreach (var (spec, _, values) in columns) analysis.Add(spec.Name, values.ToArray());
        var identifiers = new PlainTable(schema.Name + " identifiers");
        foreach (var (spec, _, values) in ids) identifiers.Add(spec.Name, values.ToArray());
        return new AgencyFile(schema, analysis, identifiers);
    }

    /// <summary>Parses one column's text into a typed list (no boxing: a million rows stay cheap).</summary>
    abstract class Builder(ColumnSpec spec, string path)
    {
        public abstract void Add(string text, long line);
        public abstract Array ToArray();

        protected SchemaException Bad(string text, long line, string expected) =>
            new($"'{path}' line {line}, column '{spec.Name}': '{text}' is not {expected}.");

        public static Builder For(ColumnSpec spec, string path) => spec.Kind switch
        {
            ColumnKind.Integer => new Typed<long>(spec, path, "an integer",
                t => long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : null),
            ColumnKind.FixedPoint => new Typed<double>(spec, path, "a decimal number",
                t => double.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v) ? v : null),
            ColumnKind.Boolean => new Typed<bool>(spec, path, "true or false", t => t switch { "true" => true, "false" => false, _ => null }),
            ColumnKind.Categorical => new Text(spec, path),
            _ => throw new SchemaException($"Column '{spec.Name}' of '{path}': columns of kind {spec.Kind} are not read from agency files."),
        };
    }

    sealed class Typed<T>(ColumnSpec spec, string path, string expected, Func<string, T?> parse) : Builder(spec, path) where T : struct
    {
        readonly List<T?> _values = [];
        public override void Add(string text, long line) =>
            _values.Add(text.Length == 0 ? null : parse(text) ?? throw Bad(text, line, expected));
        public override Array ToArray() => _values.ToArray();
    }

    sealed class Text(ColumnSpec spec, string path) : Builder(spec, path)
    {
        readonly List<string?> _values = [];
        public override void Add(string text, long line) => _values.Add(text.Length == 0 ? null : text);
        public override Array ToArray() => _values.ToArray();
    }
}
