using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smpc.Analytics.Columnar;

/// <summary>The schema of one contributor's dataset: named, typed columns. Stored as JSON beside the data.</summary>
public sealed record TableSchema
{
    public required string Name { get; init; }
    public required IReadOnlyList<ColumnSpec> Columns { get; init; }
    public string? Description { get; init; }

    /// <summary>Raw identifier columns of the contributor's file (linkage inputs; never shared as they are).</summary>
    /// <remarks>Settable (not init-only) so that a schema without the member keeps this default when read through
    /// source-generated metadata, which assigns every init-only member.</remarks>
    public IReadOnlyList<IdentifierSpec> Identifiers { get; set; } = [];

    /// <summary>The fuzzy-linkage encoding the contributor prepares at upload (null: none; a fuzzy pass then cannot use this
    /// dataset's uploaded shares).</summary>
    public FuzzyEncodingSpec? Fuzzy { get; set; }

    /// <summary>The schema's JSON form: camelCase, enums as camelCase strings, nulls omitted; metadata source-generated
    /// for the schema types (<see cref="ColumnarJsonContext"/>), reflection for other types that share these options.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters =
        {
            new JsonStringEnumConverter<ColumnKind>(JsonNamingPolicy.CamelCase),
            new JsonStringEnumConverter<IdentifierKind>(JsonNamingPolicy.CamelCase),
            new JsonStringEnumConverter(JsonNamingPolicy.CamelCase),
        },
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(ColumnarJsonContext.Default, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()),
    };

    /// <summary>Source-generated metadata of <see cref="TableSchema"/> under <see cref="Json"/>.</summary>
    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<TableSchema> JsonInfo =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<TableSchema>)Json.GetTypeInfo(typeof(TableSchema));

    public ColumnSpec Column(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
        ?? throw new SchemaException($"Unknown column '{name}' in '{Name}'. Columns: {string.Join(", ", Columns.Select(c => c.Name))}.");

    public bool Has(string name) => Columns.Any(c => c.Name == name);

    /// <summary>Throws <see cref="SchemaException"/> listing every problem, or returns the schema.</summary>
    public TableSchema Validate()
    {
        var problems = Columns.SelectMany(c => c.Problems()).ToList();
        foreach (var dup in Columns.GroupBy(c => c.Name).Where(g => g.Count() > 1)) problems.Add($"column '{dup.Key}' is declared twice");
        if (Columns.Count == 0) problems.Add("no columns");
        foreach (var id in Identifiers)
        {
            if (string.IsNullOrWhiteSpace(id.Name)) problems.Add("an identifier column has no name");
            else if (Has(id.Name)) problems.Add($"'{id.Name}' is declared both as an identifier and as an analysis column");
        }
        foreach (var dup in Identifiers.GroupBy(c => c.Name).Where(g => g.Count() > 1)) problems.Add($"identifier '{dup.Key}' is declared twice");
        if (Fuzzy is not null) problems.AddRange(Fuzzy.Problems(this));
        if (problems.Count > 0) throw new SchemaException($"Schema '{Name}' is invalid: {string.Join("; ", problems)}.");
        return this;
    }

    public static TableSchema Load(string path)
    {
        if (!File.Exists(path)) throw new SchemaException($"Schema file '{path}' does not exist.");
        TableSchema? schema;
        try { schema = JsonSerializer.Deserialize(File.ReadAllText(path), JsonInfo); }
        catch (JsonException e) { throw new SchemaException($"Schema file '{path}' is not valid JSON: {e.Message}"); }
        return (schema ?? throw new SchemaException($"Schema file '{path}' is empty.")).Validate();
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonInfo));
}

/// <summary>A schema is invalid, or data does not match its schema.</summary>
public sealed class SchemaException(string message) : SmpcException(message);
