using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Studies;

/// <summary>The linkage keys a study's passes can use, built by each contributor from its identifiers with the
/// project's normalisation (<see cref="Normalize"/>).</summary>
public enum LinkageKeyKind
{
    /// <summary>The normalised SSN (nine digits; invalid or missing SSNs link to nothing).</summary>
    Ssn,
    /// <summary>Surname + given name + date of birth + sex.</summary>
    NameDateOfBirthSex,
    /// <summary>Surname + given name + date of birth, for files that do not record sex (the bank).</summary>
    NameDateOfBirth,
    /// <summary>Name + date of birth + sex when every dataset of the join records sex and allows linkage on it,
    /// else name + date of birth.</summary>
    Demographic,
}

public static class LinkageKeyKinds
{
    public static readonly IReadOnlyList<string> All = ["ssn", "name-dob-sex", "name-dob", "demographic"];

    public static string Name(this LinkageKeyKind k) => k switch
    {
        LinkageKeyKind.Ssn => "ssn",
        LinkageKeyKind.NameDateOfBirthSex => "name-dob-sex",
        LinkageKeyKind.NameDateOfBirth => "name-dob",
        _ => "demographic",
    };

    public static LinkageKeyKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "ssn" => LinkageKeyKind.Ssn,
        "name-dob-sex" or "name+dob+sex" or "nds" => LinkageKeyKind.NameDateOfBirthSex,
        "name-dob" or "name+dob" or "nd" => LinkageKeyKind.NameDateOfBirth,
        "demographic" or "demographics" or "name" => LinkageKeyKind.Demographic,
        _ => throw new QueryException($"Unknown linkage key '{text}'. Use one of: {string.Join(", ", All)}."),
    };

    /// <summary>Dates of birth after this day are treated as invalid (the synthetic files' reference year).</summary>
    static readonly DateOnly LatestDateOfBirth = new(SyntheticOptions.ReferenceDate.Year, 12, 31);

    /// <summary>The linkage layer's key for a concrete kind, over the synthetic agencies' column names.</summary>
    internal static LinkageKey Key(LinkageKeyKind k) => k switch
    {
        LinkageKeyKind.Ssn => LinkageKey.Ssn(),
        LinkageKeyKind.NameDateOfBirthSex => LinkageKey.NameDateOfBirthSex(latestDateOfBirth: LatestDateOfBirth),
        LinkageKeyKind.NameDateOfBirth => LinkageKey.NameDateOfBirth(latestDateOfBirth: LatestDateOfBirth),
        _ => throw new ArgumentException("Resolve 'demographic' to a concrete key first.", nameof(k)),
    };
}
