using System.Text.Json;
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Studies;

/// <summary>What <see cref="SchemaInference"/> may assume about a file.</summary>
public sealed record InferenceOptions
{
    /// <summary>The dataset's name (default: the file name without its extension).</summary>
    public string? Name { get; init; }

    /// <summary>Columns the steward declares as identifiers (never shared as they are; linkage inputs). Columns named
    /// like an SSN, a first or last name, a date of birth or a record id are recognised without being listed.</summary>
    public IReadOnlyList<string> Identifiers { get; init; } = [];

    /// <summary>Kinds the steward already knows for some identifier columns (e.g. <c>given</c> → FirstName), so the draft
    /// needs no edit for them; every column named here is an identifier whether or not it is in <see cref="Identifiers"/>.</summary>
    public IReadOnlyDictionary<string, IdentifierKind> IdentifierKinds { get; init; } = new Dictionary<string, IdentifierKind>();

    /// <summary>A text column with at most this many distinct values is categorical over them (default 60).</summary>
    public int MaxCategories { get; init; } = 60;
}

/// <summary>A draft schema and the notes a steward should read before editing it (ranges widened, kinds guessed).</summary>
public sealed record InferredSchema(TableSchema Schema, IReadOnlyList<string> Notes)
{
    /// <summary>The schema in the format <see cref="TableSchema.Load"/> reads.</summary>
    public string Json => JsonSerializer.Serialize(Schema, TableSchema.JsonInfo);
}
