namespace Smpc.Analytics.Linkage.Bloom;

/// <summary>How a field of a person's identifiers becomes tokens for a Bloom filter.</summary>
public enum BloomFieldKind
{
    /// <summary>A name: normalised (Normalize.Surname / GivenName), padded with '_' and cut into bigrams
    /// ("_SMITH_" → _S SM MI IT TH H_), so one typo changes at most two of its bigrams.</summary>
    Name,
    /// <summary>A date of birth: year, month and day as separate tokens plus the unordered pair {day, month}, so a
    /// day/month swap keeps the year and the pair, and a one-digit typo keeps the other parts.</summary>
    DateOfBirth,
    /// <summary>A short code taken whole (sex, ZIP, a district): one token; ZIP-like codes also give their first three characters.</summary>
    Code,
}

/// <summary>One field of a record-level Bloom filter: its column (in the contributor's identifiers), how it is cut
/// into tokens, and its weight — the number of bit positions each of its tokens sets (more for fields that
/// discriminate better, as in weighted cryptographic long-term keys).</summary>
/// <param name="Format">For a date of birth: its layout in the file (e.g. dd.MM.yyyy), as in the schema; null to recognise it.</param>
public sealed record BloomField(string Column, BloomFieldKind Kind, int HashesPerToken, string? Format = null)
{
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Column)) throw new LinkageException("A Bloom filter field needs a column.");
        if (HashesPerToken is < 1 or > 16) throw new LinkageException($"Bloom filter field '{Column}': {HashesPerToken} hashes per token; use 1 to 16.");
    }
}

/// <summary>
/// A record-level Bloom filter encoding (a cryptographic long-term key, CLK: Schnell, Bachteler and Reiher 2011):
/// every token of every field sets <see cref="BloomField.HashesPerToken"/> positions of one filter of
/// <see cref="Bits"/> bits, positions drawn by a keyed pseudorandom function ("random hashing", Niedermeyer,
/// Steinmetzer, Kroll and Schnell 2014) under a key known to the contributors only. Default fields and weights:
/// surname and given name bigrams (weight 10 and 8), date of birth parts (8), sex (4).
/// </summary>
public sealed record BloomSpec
{
    /// <summary>Filter length in bits (a multiple of 64).</summary>
    public int Bits { get; init; } = 1024;

    public IReadOnlyList<BloomField> Fields { get; init; } =
    [
        new("last_name", BloomFieldKind.Name, 10),
        new("first_name", BloomFieldKind.Name, 8),
        new("dob", BloomFieldKind.DateOfBirth, 8),
        new("sex", BloomFieldKind.Code, 4),
    ];

    public int Words => Bits / 64;

    public BloomSpec Validate()
    {
        if (Bits < 64 || Bits % 64 != 0 || Bits > 65536) throw new LinkageException($"A Bloom filter of {Bits} bits: use a multiple of 64 between 64 and 65536.");
        if (Fields.Count == 0) throw new LinkageException("A Bloom filter needs at least one field.");
        foreach (var f in Fields) f.Validate();
        foreach (var dup in Fields.GroupBy(f => f.Column).Where(g => g.Count() > 1))
            throw new LinkageException($"Bloom filter field '{dup.Key}' is listed twice.");
        return this;
    }
}
