namespace Smpc.Analytics.Columnar;

/// <summary>
/// A schema's declaration that its contributor prepares a fuzzy-linkage encoding at upload (a keyed record-level Bloom
/// filter of chosen identifier fields, and pseudonymised blocking keys; Linkage/Bloom): which identifiers, how many
/// filter positions each of their tokens sets (the field's weight), and the filter's length. Every contributor of a
/// study declares the same encoding, or their filters do not compare (a join refuses encodings that differ).
/// </summary>
public sealed record FuzzyEncodingSpec
{
    /// <summary>Filter length in bits: a multiple of 64 from 64 to 4096. Default 512.</summary>
    public int Bits { get; init; } = 512;

    /// <summary>The fields: surname and given name (cut into bigrams), date of birth (year, month, day, {day, month}),
    /// sex (one token). Default: surname 6, given name 5, date of birth 5.</summary>
    public IReadOnlyList<FuzzyFieldSpec> Fields { get; init; } =
    [
        new() { Identifier = IdentifierKind.LastName, HashesPerToken = 6 },
        new() { Identifier = IdentifierKind.FirstName, HashesPerToken = 5 },
        new() { Identifier = IdentifierKind.DateOfBirth, HashesPerToken = 5 },
    ];

    /// <summary>The problems of the declaration against <paramref name="schema"/>'s identifiers (empty: none).</summary>
    public IEnumerable<string> Problems(TableSchema schema)
    {
        if (Bits < 64 || Bits > 4096 || Bits % 64 != 0) yield return $"fuzzy.bits is {Bits}; allowed: a multiple of 64 from 64 to 4096";
        if (Fields.Count == 0) yield return "fuzzy.fields is empty; allowed: one or more of lastName, firstName, dateOfBirth, sex";
        foreach (var f in Fields)
        {
            if (f.Identifier is not (IdentifierKind.LastName or IdentifierKind.FirstName or IdentifierKind.DateOfBirth or IdentifierKind.Sex))
                yield return $"fuzzy.fields names {f.Identifier}; allowed: lastName, firstName, dateOfBirth, sex";
            else if (!schema.Identifiers.Any(i => i.Kind == f.Identifier))
                yield return $"fuzzy.fields names {f.Identifier}, which the schema's identifiers do not declare";
            if (f.HashesPerToken is < 1 or > 16) yield return $"fuzzy.fields {f.Identifier}: hashesPerToken {f.HashesPerToken}; allowed: 1 to 16";
        }
        foreach (var dup in Fields.GroupBy(f => f.Identifier).Where(g => g.Count() > 1)) yield return $"fuzzy.fields names {dup.Key} twice";
        foreach (var needed in new[] { IdentifierKind.LastName, IdentifierKind.FirstName, IdentifierKind.DateOfBirth })
            if (!schema.Identifiers.Any(i => i.Kind == needed)) yield return $"a fuzzy encoding blocks on the surname, given name and date of birth; the schema's identifiers declare no {needed}";
    }

    /// <summary>The encoding in one line (the filter columns carry it, so a join can refuse encodings that differ).</summary>
    public string Describe() => $"{Bits} bits; {string.Join(", ", Fields.Select(f => $"{f.Identifier}×{f.HashesPerToken}"))}";
}

/// <summary>One field of a <see cref="FuzzyEncodingSpec"/>: an identifier (by kind) and its positions per token.</summary>
public sealed record FuzzyFieldSpec
{
    public required IdentifierKind Identifier { get; init; }
    public int HashesPerToken { get; init; } = 5;
}
