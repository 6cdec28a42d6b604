namespace Smpc.Analytics.Reporting;

/// <summary>A secure linkage: the tables, the passes (key and the identifier columns it was built from), the match
/// counts released per pass (null where suppressed), the joined row count, what it revealed, and its cost.</summary>
public sealed record LinkageEntry
{
    public required string Name { get; init; }
    public required IReadOnlyList<string> Tables { get; init; }
    public required string Kind { get; init; }
    public required string Pseudonymisation { get; init; }
    public required IReadOnlyList<LinkagePassEntry> Passes { get; init; }
    public required IReadOnlyList<PassCountEntry> MatchCounts { get; init; }

    /// <summary>Rows of the joined (secret-shared) table as released to the analyst: rounded to <see cref="RoundingBase"/>,
    /// null when suppressed below the minimum cell size (the compute parties know the exact length).</summary>
    public required long? JoinedRows { get; init; }

    /// <summary>The rounding base of the released sizes (1: exact).</summary>
    public int RoundingBase { get; init; } = 1;
    public IReadOnlyList<RevealEntry> Reveals { get; init; } = [];
    public required CostEntry Cost { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
}

public sealed record LinkagePassEntry(string Name, string KeyColumn, IReadOnlyList<string> Sources);

public sealed record PassCountEntry(string Pass, string Table, long? Count);
