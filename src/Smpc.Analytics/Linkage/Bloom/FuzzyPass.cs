using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Linkage.Bloom;

/// <summary>
/// A fuzzy linkage pass of the secure join: each table's record-level Bloom filter as secret-shared words of 64 bits
/// each (<see cref="FilterColumns"/>, one column per word, the same length in every table) and its pseudonymised
/// blocking keys (<see cref="BlockColumns"/>, pseudonym columns); records sharing a blocking key are compared by their
/// Dice coefficient on shares, which must reach <see cref="Threshold"/>, and each record links to its best candidate
/// only (<see cref="SecureFuzzyLinkage"/>). The words are unpacked into shared bits for the candidate records only.
/// </summary>
public sealed record FuzzyPass(double Threshold, IReadOnlyList<string> FilterColumns, IReadOnlyList<string> BlockColumns)
{
    /// <summary>Ordered rival pairs (two candidates sharing a record) compared in one chunk of the best-match step
    /// (<see cref="FuzzyChunks"/>): memory stays bounded on large files, at the rounds of one comparison per chunk; the
    /// decisions do not depend on the chunking.</summary>
    public long MaxRivalPairsPerChunk { get; init; } = 2_000_000;

    /// <summary>Shared filter bits one chunk of the similarity step may gather: its candidate records (left and right) ×
    /// the filter's bits. The records' filters are copied a few times per chunk (words, bits, per record), so this bounds
    /// its memory: 2^23 bits are 16,384 records of 512 bits, about 128 MB per copy of a party's two shares.</summary>
    public long MaxFilterBitsPerChunk { get; init; } = 1L << 23;

    /// <summary>Candidate records (left plus right) one chunk may hold.</summary>
    public long MaxRecordsPerChunk => Math.Max(1, MaxFilterBitsPerChunk / Bits);

    /// <summary>The filter's length in bits: 64 per word column.</summary>
    public int Bits => FuzzyColumns.BitsPerWord * FilterColumns.Count;

    public void Validate(string pass)
    {
        if (!(Threshold > 0 && Threshold <= 1)) throw new LinkageException($"Fuzzy pass '{pass}': threshold {Threshold}; give a Dice coefficient above 0 and at most 1 (e.g. 0.85).");
        if (FilterColumns.Count < 1) throw new LinkageException($"Fuzzy pass '{pass}' names no Bloom filter columns (64 bits each).");
        if (MaxRivalPairsPerChunk < 1 || MaxFilterBitsPerChunk < 1) throw new LinkageException($"Fuzzy pass '{pass}': chunks of {MaxRivalPairsPerChunk} rival pairs and {MaxFilterBitsPerChunk} filter bits; give at least 1 of each.");
        if (BlockColumns.Count == 0) throw new LinkageException($"Fuzzy pass '{pass}' needs at least one blocking column.");
    }
}

/// <summary>
/// The columns a contributor prepares for fuzzy linkage (<see cref="FuzzyPreparation"/>): the filter's words
/// <c>fuzzy_filter_0</c> … (bits 64·k … 64·k + 63 of the filter in word k, bit j of the filter as bit j mod 64) and the
/// blocking pseudonyms <c>fuzzy_block_1</c> … <c>fuzzy_block_3</c>. All are pseudonym columns: linkage material that
/// only a join reads, never an analysis column, never in a joined table. A filter travels and is shuffled as 64 bits to
/// a share, not one share per bit.
/// </summary>
public static class FuzzyColumns
{
    public const string WordPrefix = "fuzzy_filter_";
    public const string BlockPrefix = "fuzzy_block_";
    public const int BitsPerWord = 64;

    /// <summary>The three blocking keys' columns (<see cref="BlockingKeys"/>).</summary>
    public static readonly IReadOnlyList<string> Blocks = [Block(0), Block(1), Block(2)];

    public static string Block(int k) => $"{BlockPrefix}{k + 1}";

    /// <summary>The word columns of a <paramref name="bits"/>-bit filter (a multiple of 64).</summary>
    public static IReadOnlyList<string> Filter(int bits) =>
        bits % BitsPerWord == 0 ? [.. Enumerable.Range(0, bits / BitsPerWord).Select(Word)]
                                : throw new LinkageException($"A Bloom filter of {bits} bits: use a multiple of {BitsPerWord}.");

    public static string Word(int k) => $"{WordPrefix}{k}";

    /// <summary>Whether a table carries a fuzzy encoding, and of how many bits (0: none).</summary>
    public static int BitsOf(IEnumerable<string> columns) => BitsPerWord * columns.Count(c => c.StartsWith(WordPrefix, StringComparison.Ordinal));

    public static ColumnSpec WordSpec(int k, FuzzyEncodingSpec spec) =>
        new() { Name = Word(k), Kind = ColumnKind.Pseudonym, Description = $"bits {BitsPerWord * k}–{BitsPerWord * k + BitsPerWord - 1} of the record's keyed Bloom filter ({spec.Describe()}; fuzzy linkage)" };

    /// <summary>The encoding a table's filter columns carry (from word 0's description), to compare across tables.</summary>
    public static string? EncodingOf(IEnumerable<ColumnSpec> columns) =>
        columns.FirstOrDefault(c => c.Name == Word(0))?.Description is { } d && d.IndexOf('(') is int at and >= 0 ? d[(at + 1)..] : null;

    public static ColumnSpec BlockSpec(int k) =>
        new() { Name = Block(k), Kind = ColumnKind.Pseudonym, Description = $"blocking key b{k + 1} (keyed hash; fuzzy linkage)" };
}
