using System.Text.Json;
using System.Text.Json.Serialization;
using Smpc.Analytics.Columnar;
using static System.FormattableString;

namespace Smpc.Governance.DataUse;

/// <summary>
/// Machine-readable data-use and redisclosure terms of one dataset, agreed by its data steward.
/// Stored as JSON beside the dataset (<c>&lt;dataset&gt;.terms.json</c>). Compute parties refuse any query
/// these terms do not allow, with an error naming the rule.
/// <para>Format versions: 1 (no <c>formatVersion</c> member) has the fields up to <see cref="Expires"/>; 2
/// (<c>"formatVersion": 2</c>) adds <see cref="RedisclosureTerms.ProjectRecipients"/> (who inside the project may
/// receive results), <see cref="Scope"/> (who may see the schema and metadata, the full dataset, synthetic versions)
/// and <see cref="OutputReview"/> (a steward reviews releases before the analyst opens them).
/// A version-1 document reads with the defaults stated on those members; new members are null when absent, so the
/// canonical form and hash of a version-1 document do not change.</para>
/// </summary>
public sealed record DataUseTerms
{
    /// <summary>Terms format version: null or 1 (the original format), or <see cref="CurrentFormatVersion"/>.</summary>
    public int? FormatVersion { get; init; }

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

    /// <summary>Format 2: access to the schema and metadata vs the full dataset, synthetic versions included. Null
    /// (format 1): the defaults of <see cref="AccessScope"/>.</summary>
    public AccessScope? Scope { get; init; }

    /// <summary>Format 2: a data steward reviews releases before the analyst may open them (<see cref="DataUse.OutputReview"/>).
    /// Null (and format 1): releases go to the analyst as they are computed.</summary>
    public OutputReview? OutputReview { get; init; }

    /// <summary>The newest terms format this toolkit writes.</summary>
    public const int CurrentFormatVersion = 2;

    public static readonly JsonSerializerOptions Json = TableSchema.Json;

    /// <summary>Operation names the toolkit checks against <see cref="AllowedOperations"/> (case-insensitive). A standard
    /// deviation is released under "variance"; order statistics are "min", "max" and "quantile" (the median too).</summary>
    public static readonly IReadOnlyList<string> KnownOperations =
        ["count", "sum", "mean", "variance", "quantile", "min", "max", "histogram", "groupby", "crosstab", "correlation", "ols", "join"];

    /// <summary>Largest minimum cell size accepted: a larger threshold would withhold every cell of a study (a typo, most likely).</summary>
    public const int MaxMinCellSize = 10_000;

    /// <summary>Largest rounding base accepted.</summary>
    public const int MaxRoundingBase = 1_000_000;

    /// <summary>
    /// Checks every field against its allowed range and throws a <see cref="SchemaException"/> that lists each problem
    /// under the field's name as written in a terms file (e.g. <c>dominanceP</c>) with the range; returns the terms.
    /// <paramref name="source"/> names where the terms came from (a file path) for the message.
    /// </summary>
    public DataUseTerms Validate(string? source = null)
    {
        var problems = new List<string>();
        void Text(string field, string? value) { if (string.IsNullOrWhiteSpace(value)) problems.Add(Invariant($"`{field}` is empty; allowed: a non-empty text")); }
        void Names(string field, IReadOnlyList<string>? names)
        {
            if (names is null) { problems.Add(Invariant($"`{field}` is null; allowed: a list of names (it may be empty)")); return; }
            for (int i = 0; i < names.Count; i++)
                if (string.IsNullOrWhiteSpace(names[i])) problems.Add(Invariant($"`{field}[{i}]` is empty; allowed: a non-empty name"));
        }
        if (FormatVersion is { } fv && fv is not (1 or CurrentFormatVersion))
            problems.Add(Invariant($"`formatVersion` is {fv}; allowed: 1 or {CurrentFormatVersion} (or leave it out: format 1)"));
        bool v2 = FormatVersion == CurrentFormatVersion;
        if (!v2 && Scope is not null) problems.Add("`scope` is a format-2 member; allowed: with \"formatVersion\": 2 only");
        if (!v2 && Redisclosure?.ProjectRecipients is not null)
            problems.Add("`redisclosure.projectRecipients` is a format-2 member; allowed: with \"formatVersion\": 2 only");
        if (!v2 && OutputReview is not null) problems.Add("`outputReview` is a format-2 member; allowed: with \"formatVersion\": 2 only");
        if (OutputReview is { } review) problems.AddRange(review.Problems());
        if (Redisclosure?.ProjectRecipients is { } pr) Names("redisclosure.projectRecipients", pr);
        if (Scope is { } sc)
        {
            if (sc.Metadata is not null) Names("scope.metadata", sc.Metadata);
            if (sc.FullDataset is not null) Names("scope.fullDataset", sc.FullDataset);
            if (sc.Synthetic is not null) Names("scope.synthetic", sc.Synthetic);
            if (Access != AccessLevel.Synthetic && sc.Synthetic is { Count: > 0 })
                problems.Add("`scope.synthetic` names recipients of synthetic versions but `access` is not synthetic; allowed: an empty list, or access synthetic");
        }
        Text("dataset", Dataset);
        Text("steward", Steward);
        Text("purpose", Purpose);
        if (Redisclosure is null) problems.Add("`redisclosure` is missing; allowed: an object with internalUseOnly, redisclosureTo, conditions");
        else Names("redisclosure.redisclosureTo", Redisclosure.RedisclosureTo);
        if (!Enum.IsDefined(Access)) problems.Add(Invariant($"`access` is {(int)Access}; allowed: metadataOnly, aggregates, synthetic"));
        Names("allowedAnalysts", AllowedAnalysts);
        if (MinCellSize is < 0 or > MaxMinCellSize) problems.Add(Invariant($"`minCellSize` is {MinCellSize}; allowed: an integer from 0 to {MaxMinCellSize:N0}"));
        if (DominanceP is { } p && !(p > 0 && p < 100))
            problems.Add(Invariant($"`dominanceP` is {p}; allowed: a percentage greater than 0 and less than 100 (or leave it out: no p% rule)"));
        if (DominanceColumns is not null) Names("dominanceColumns", DominanceColumns);
        if (RoundingBase is < 1 or > MaxRoundingBase) problems.Add(Invariant($"`roundingBase` is {RoundingBase}; allowed: an integer from 1 (no rounding) to {MaxRoundingBase:N0}"));
        if (EpsilonBudget is { } eps && !(eps > 0 && double.IsFinite(eps)))
            problems.Add(Invariant($"`epsilonBudget` is {eps}; allowed: a finite number greater than 0 (or leave it out: no differential privacy)"));
        Names("allowedOperations", AllowedOperations);
        if (AllowedOperations is not null)
            foreach (var op in AllowedOperations.Where(o => !string.IsNullOrWhiteSpace(o) && !KnownOperations.Contains(o, StringComparer.OrdinalIgnoreCase)))
                problems.Add(Invariant($"`allowedOperations` lists unknown operation '{op}'; allowed: {string.Join(", ", KnownOperations)}"));
        Names("allowedColumns", AllowedColumns);
        Names("linkageColumns", LinkageColumns);
        if (problems.Count > 0)
            throw new SchemaException($"{(source is null ? $"Data-use terms of '{Dataset}'" : $"Data-use terms file '{source}'")} is invalid: {string.Join("; ", problems)}.");
        return this;
    }

    /// <summary>Reads and validates a terms file; every error is a <see cref="SchemaException"/> naming the file and the field.</summary>
    public static DataUseTerms Load(string path)
    {
        if (!File.Exists(path)) throw new SchemaException($"Data-use terms file '{path}' does not exist.");
        DataUseTerms? terms;
        try { terms = JsonSerializer.Deserialize<DataUseTerms>(File.ReadAllText(path), Json); }
        catch (JsonException e)
        {
            string field = e.Path is { Length: > 2 } p ? p[2..] : "";
            string allowed = field switch
            {
                "expires" => "; allowed: a date written yyyy-MM-dd (e.g. 2027-12-31), or leave it out: no expiry",
                "access" => "; allowed: metadataOnly, aggregates, synthetic",
                "formatVersion" => $"; allowed: 1 or {CurrentFormatVersion}",
                "minCellSize" => Invariant($"; allowed: an integer from 0 to {MaxMinCellSize:N0}"),
                "roundingBase" => Invariant($"; allowed: an integer from 1 to {MaxRoundingBase:N0}"),
                "dominanceP" => "; allowed: a percentage greater than 0 and less than 100",
                "epsilonBudget" => "; allowed: a finite number greater than 0",
                _ => "",
            };
            throw new SchemaException(field.Length > 0
                ? $"Data-use terms file '{path}' is invalid: `{field}` cannot be read ({e.Message}){allowed}."
                : $"Data-use terms file '{path}' is not valid: {e.Message}");
        }
        return (terms ?? throw new SchemaException($"Data-use terms file '{path}' is empty.")).Validate(path);
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

    /// <summary>Format 2: organisations (slugs or names) inside the project that may receive released results for
    /// internal project use. Null (format 1): every organisation taking part in the study.</summary>
    public IReadOnlyList<string>? ProjectRecipients { get; init; }
}

/// <summary>
/// Format 2: who may see what of a dataset, kept apart because the field report found them confused: the schema and
/// metadata (column names, types, categories, row counts), the full dataset in the clear, and synthetic versions of it
/// (which count as the dataset). Each list names people, roles or organisations; an empty list: nobody. A null member
/// (or a format-1 document) reads with the default stated on it.
/// </summary>
public sealed record AccessScope
{
    /// <summary>Who may see the schema and metadata. Null: the study team and the compute parties
    /// (<see cref="DefaultMetadata"/>).</summary>
    public IReadOnlyList<string>? Metadata { get; init; }

    /// <summary>Who may receive the full dataset in the clear. Null: nobody (the compute parties hold secret shares
    /// only, never rows).</summary>
    public IReadOnlyList<string>? FullDataset { get; init; }

    /// <summary>Who may receive synthetic versions. Null: the study team when <see cref="DataUseTerms.Access"/> is
    /// synthetic, otherwise nobody.</summary>
    public IReadOnlyList<string>? Synthetic { get; init; }

    public static readonly IReadOnlyList<string> DefaultMetadata = ["study team", "compute parties"];
}

[JsonConverter(typeof(JsonStringEnumConverter<AccessLevel>))]
public enum AccessLevel
{
    MetadataOnly,
    Aggregates,
    Synthetic,
}
