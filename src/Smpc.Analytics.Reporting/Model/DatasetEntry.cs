namespace Smpc.Analytics.Reporting;

/// <summary>One contributed dataset: who holds it, its files with their SHA-256, and the terms it was used under.</summary>
public sealed record DatasetEntry
{
    public required string Name { get; init; }
    public required string Steward { get; init; }
    public required long Rows { get; init; }

    /// <summary>The data, schema and terms files (role "data", "schema", "terms", …) with size and SHA-256.</summary>
    public required IReadOnlyList<FileDigest> Files { get; init; }

    public required TermsSummary Terms { get; init; }

    /// <summary>Columns secret-shared with the compute parties (identifiers are replaced by pseudonyms first).</summary>
    public IReadOnlyList<string> SharedColumns { get; init; } = [];
}

/// <summary>A file's path as the reader should see it (relative to the repository or data folder), role, size and SHA-256 (lower-case hex).</summary>
public sealed record FileDigest(string Path, string Role, long Bytes, string Sha256);

/// <summary>The parts of a dataset's data-use terms a reviewer checks releases against.</summary>
public sealed record TermsSummary
{
    public required string Purpose { get; init; }
    public required bool InternalUseOnly { get; init; }
    public IReadOnlyList<string> RedisclosureTo { get; init; } = [];
    public string? RedisclosureConditions { get; init; }
    public required string Access { get; init; }
    public required int MinCellSize { get; init; }
    public double? DominanceP { get; init; }
    public int RoundingBase { get; init; } = 1;
    public double? EpsilonBudget { get; init; }
    public IReadOnlyList<string> AllowedOperations { get; init; } = [];
    public IReadOnlyList<string> AllowedColumns { get; init; } = [];
    public IReadOnlyList<string> LinkageColumns { get; init; } = [];
    public IReadOnlyList<string> AllowedAnalysts { get; init; } = [];
    public bool AllowRevealGroupSizes { get; init; }
    public string? StorageLocation { get; init; }
    public string? Expires { get; init; }
}
