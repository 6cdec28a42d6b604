namespace Smpc.Analytics.Columnar;

/// <summary>What a raw identifier column holds.</summary>
public enum IdentifierKind
{
    /// <summary>The agency's own record number; unique inside its file, meaningless elsewhere.</summary>
    RecordId,
    /// <summary>Social Security number as written in the file (any separators, possibly missing or invalid).</summary>
    Ssn,
    FirstName,
    LastName,
    /// <summary>Generational suffix (JR, SR, II, III, IV) held in a column of its own.</summary>
    NameSuffix,
    /// <summary>Date of birth as text in the file's <see cref="IdentifierSpec.Format"/>.</summary>
    DateOfBirth,
    /// <summary>Sex held only for linkage (M/F, male/female or ISO/IEC 5218 codes); a sex column that is also analysed
    /// is an analysis column instead.</summary>
    Sex,
}

/// <summary>
/// A raw identifier column of a contributor's file (SSN, names, date of birth, record number). Identifiers are
/// never shared as they are: the contributor normalises and pseudonymises them for linkage (a
/// <see cref="ColumnKind.Pseudonym"/> column), so they are declared apart from the analysis
/// <see cref="TableSchema.Columns"/>, and <see cref="ContributorEncoder"/> ignores them.
/// </summary>
public sealed record IdentifierSpec
{
    public required string Name { get; init; }
    public required IdentifierKind Kind { get; init; }

    /// <summary>How the values are written, in words or as a .NET date pattern (e.g. "yyyy-MM-dd", "MM/dd/yyyy").</summary>
    public string? Format { get; init; }

    /// <summary>Whether a value may be empty.</summary>
    public bool Nullable { get; init; }

    public string? Description { get; init; }
}
