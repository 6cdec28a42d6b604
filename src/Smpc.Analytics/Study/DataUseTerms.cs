using System.Text.Json;
using System.Text.Json.Serialization;
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Study;

/// <summary>
/// Machine-readable data-use and redisclosure terms of one dataset, agreed by its data steward.
/// Stored as JSON beside the dataset (<c>&lt;dataset&gt;.terms.json</c>). Compute parties refuse any query
/// these terms do not allow, with an error naming the rule.
/// </summary>
public sealed record DataUseTerms
{
    /// <summary>Dataset these terms govern (matches <see cref="TableSchema.Name"/>).</summary>
    public required string Dataset { get; init; }

    /// <summary>Data steward / agency that owns the dataset.</summary>
    public required string Steward { get; init; }

    /// <summary>Purpose the data may be used for, in words.</summary>
    public required string Purpose { get; init; }

    /// <summary>Internal use only, or redisclosure of released aggregates allowed (and to whom).</summary>
    public required RedisclosureTerms Redisclosure { get; init; }

    /// <summary>MetadataOnly: schema and counts only; Aggregates: released statistics; Synthetic: may also derive synthetic data.</summary>
    public AccessLevel Access { get; init; } = AccessLevel.Aggregates;

    /// <summary>Accounts or roles that may run analyses on this dataset.</summary>
    public IReadOnlyList<string> AllowedAnalysts { get; init; } = [];

    /// <summary>Where shares may be stored (jurisdictions / hosts), in words.</summary>
    public string? StorageLocation { get; init; }

    /// <summary>Minimum number of contributing rows for any released cell.</summary>
    public int MinCellSize { get; init; } = 11;

    /// <summary>p% rule (percent; null: not applied): a cell's sum or mean is suppressed when the total minus its two
    /// largest contributions is below p% of the largest, so the second-largest contributor could estimate the largest too
    /// closely; its minimum, maximum and quantiles are suppressed then too, and whenever fewer than max(MinCellSize, 3)
    /// rows hold a value at or beyond the released one (a maximum is one contributor's exact value unless rows share it).</summary>
    public double? DominanceP { get; init; }

    /// <summary>Columns the p% rule protects (sums, means, min, max, quantiles); null: every column.</summary>
    public IReadOnlyList<string>? DominanceColumns { get; init; }

    /// <summary>Released counts are rounded to a multiple of this (1: no rounding).</summary>
    public int RoundingBase { get; init; } = 1;

    /// <summary>Total differential-privacy budget (ε) for this dataset; null when DP is not required.</summary>
    public double? EpsilonBudget { get; init; }

    /// <summary>Operations allowed (e.g. "count", "sum", "mean", "variance", "quantile", "histogram", "groupby", "crosstab", "correlation", "ols", "join").</summary>
    public IReadOnlyList<string> AllowedOperations { get; init; } = [];

    /// <summary>Columns that may appear in analyses (empty: all columns of the schema).</summary>
    public IReadOnlyList<string> AllowedColumns { get; init; } = [];

    /// <summary>Columns that may be used as linkage keys (identifiers, names, dates of birth).</summary>
    public IReadOnlyList<string> LinkageColumns { get; init; } = [];

    /// <summary>Whether the faster group-by that reveals group sizes to compute parties may be used.</summary>
    public bool AllowRevealGroupSizes { get; init; }

    /// <summary>Last day analyses may run (UTC); null: no expiry.</summary>
    public DateOnly? Expires { get; init; }

    public static readonly JsonSerializerOptions Json = TableSchema.Json;

    public static DataUseTerms Load(string path)
    {
        if (!File.Exists(path)) throw new SchemaException($"Data-use terms file '{path}' does not exist.");
        try
        {
            return JsonSerializer.Deserialize<DataUseTerms>(File.ReadAllText(path), Json)
                   ?? throw new SchemaException($"Data-use terms file '{path}' is empty.");
        }
        catch (JsonException e) { throw new SchemaException($"Data-use terms file '{path}' is not valid: {e.Message}"); }
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}

public sealed record RedisclosureTerms
{
    /// <summary>True when released aggregates may only be used inside the study team.</summary>
    public bool InternalUseOnly { get; init; } = true;

    /// <summary>Who released aggregates may be redisclosed to (e.g. "public", "oversight committee").</summary>
    public IReadOnlyList<string> RedisclosureTo { get; init; } = [];

    public string? Conditions { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<AccessLevel>))]
public enum AccessLevel
{
    MetadataOnly,
    Aggregates,
    Synthetic,
}
