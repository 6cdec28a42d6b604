using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Studies;

/// <summary>The linkage keys a study's passes can use, built by each contributor from its identifiers with the
/// project's normalisation (<see cref="Normalize"/>). Which column holds the SSN, the names, the date of birth and sex
/// is read from each dataset's schema (<see cref="IdentifierSpec.Kind"/>), so the datasets of one join may name them
/// differently.</summary>
public enum LinkageKeyKind
{
    /// <summary>The normalised SSN (nine digits; invalid or missing SSNs link to nothing).</summary>
    Ssn,
    /// <summary>Surname + given name + date of birth + sex.</summary>
    NameDateOfBirthSex,
    /// <summary>Surname + given name + date of birth, for files that do not record sex.</summary>
    NameDateOfBirth,
    /// <summary>Name + date of birth + sex when every dataset of the join records sex and allows linkage on it,
    /// else name + date of birth.</summary>
    Demographic,
    /// <summary>Fuzzy linkage of what earlier passes left: keyed Bloom filters of the names and the date of birth compared on
    /// shares within blocks (Dice coefficient at least <see cref="JoinRequest.FuzzyThreshold"/>, best match wins).</summary>
    Fuzzy,
}

public static class LinkageKeyKinds
{
    public static readonly IReadOnlyList<string> All = ["ssn", "name-dob-sex", "name-dob", "demographic", "fuzzy"];

    public static string Name(this LinkageKeyKind k) => k switch
    {
        LinkageKeyKind.Ssn => "ssn",
        LinkageKeyKind.NameDateOfBirthSex => "name-dob-sex",
        LinkageKeyKind.NameDateOfBirth => "name-dob",
        LinkageKeyKind.Fuzzy => "fuzzy",
        _ => "demographic",
    };

    public static LinkageKeyKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "ssn" => LinkageKeyKind.Ssn,
        "name-dob-sex" or "name+dob+sex" or "nds" => LinkageKeyKind.NameDateOfBirthSex,
        "name-dob" or "name+dob" or "nd" => LinkageKeyKind.NameDateOfBirth,
        "demographic" or "demographics" or "name" => LinkageKeyKind.Demographic,
        "fuzzy" or "bloom" => LinkageKeyKind.Fuzzy,
        _ => throw new QueryException($"Unknown linkage key '{text}'. Use one of: {string.Join(", ", All)}."),
    };

    /// <summary>Dates of birth after this day are treated as invalid (the synthetic files' reference year).</summary>
    static readonly DateOnly LatestDateOfBirth = new(SyntheticOptions.ReferenceDate.Year, 12, 31);

    /// <summary>The linkage layer's key for a concrete kind, over <paramref name="schema"/>'s identifier columns (a date
    /// of birth read in its declared layout when that layout is day first).</summary>
    internal static LinkageKey Key(LinkageKeyKind k, TableSchema schema) => k switch
    {
        LinkageKeyKind.Ssn => LinkageKey.Ssn(Column(schema, IdentifierKind.Ssn, k)),
        LinkageKeyKind.NameDateOfBirthSex => LinkageKey.NameDateOfBirthSex(Column(schema, IdentifierKind.LastName, k), Column(schema, IdentifierKind.FirstName, k),
            Column(schema, IdentifierKind.DateOfBirth, k), SexColumn(schema) ?? throw Missing(schema, "sex", k),
            latestDateOfBirth: LatestDateOfBirth, dateLayout: Layout(schema)),
        LinkageKeyKind.NameDateOfBirth => LinkageKey.NameDateOfBirth(Column(schema, IdentifierKind.LastName, k), Column(schema, IdentifierKind.FirstName, k),
            Column(schema, IdentifierKind.DateOfBirth, k), latestDateOfBirth: LatestDateOfBirth, dateLayout: Layout(schema)),
        LinkageKeyKind.Fuzzy => throw new ArgumentException("The fuzzy pass links on Bloom filters and blocks, not on one key (FuzzyPreparation).", nameof(k)),
        _ => throw new ArgumentException("Resolve 'demographic' to a concrete key first.", nameof(k)),
    };


    /// <summary>The fuzzy encoding a dataset's contributor prepares: the one its schema declares, else the default.</summary>
    internal static FuzzyEncodingSpec FuzzyEncoding(TableSchema schema) => schema.Fuzzy ?? new FuzzyEncodingSpec();

    /// <summary>Refuses a fuzzy pass on a dataset whose terms do not allow linkage on what its encoding reads.</summary>
    internal static void CheckFuzzy(TableSchema schema, DataUseTerms terms)
    {
        var spec = FuzzyEncoding(schema);
        foreach (var problem in spec.Problems(schema))
            throw new LinkageException($"Dataset '{schema.Name}' cannot take part in a fuzzy pass: {problem}.");
        terms.LinkageRules().CheckKeys(schema.Name, [("fuzzy", Linkage.Bloom.FuzzyPreparation.Sources(schema, spec))]);
    }

    /// <summary>The column that records sex for linkage: an identifier of kind sex, else an analysis column named "sex".</summary>
    internal static string? SexColumn(TableSchema schema) =>
        schema.Identifiers.FirstOrDefault(i => i.Kind == IdentifierKind.Sex)?.Name ?? (schema.Has("sex") ? "sex" : null);

    static string Column(TableSchema schema, IdentifierKind kind, LinkageKeyKind k) =>
        schema.Identifiers.FirstOrDefault(i => i.Kind == kind)?.Name ?? throw Missing(schema, KindWord(kind), k);

    static string? Layout(TableSchema schema) => schema.Identifiers.FirstOrDefault(i => i.Kind == IdentifierKind.DateOfBirth)?.Format;

    static LinkageException Missing(TableSchema schema, string what, LinkageKeyKind k) =>
        new($"Dataset '{schema.Name}' has no '{what}' column, which the {k.Name()} pass needs: declare it under the schema's identifiers " +
            $"(\"kind\": \"{what}\") or leave the pass out. Identifiers declared: {(schema.Identifiers.Count == 0 ? "none" : string.Join(", ", schema.Identifiers.Select(i => $"{i.Name} ({KindWord(i.Kind)})")))}.");

    static string KindWord(IdentifierKind kind) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());
}
