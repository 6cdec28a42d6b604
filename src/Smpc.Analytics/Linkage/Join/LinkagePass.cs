using Smpc.Analytics.Linkage.Bloom;

namespace Smpc.Analytics.Linkage;

/// <summary>
/// One pass of a (multi-pass) linkage: the pseudonym column every table links on. Later passes only see rows
/// earlier passes left unlinked. <see cref="Sources"/> names the identifier columns the key was built from, for the
/// data-use terms check (LinkageColumns); when empty, the key column's own name is checked. A fuzzy pass
/// (<see cref="Fuzzy"/>) links on secret-shared Bloom filters within blocks instead of on equal pseudonyms; its
/// <see cref="KeyColumn"/> is its first blocking column.
/// </summary>
public sealed record LinkagePass(string Name, string KeyColumn, IReadOnlyList<string>? Sources = null)
{
    /// <summary>Source columns per table, for tables whose identifier columns have names of their own (one dataset's
    /// SSN column is "ssn", another's "taxpayer_ref"); a table not listed falls back to <see cref="Sources"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? SourcesByTable { get; init; }

    /// <summary>For a fuzzy pass: its filter and blocking columns and the Dice threshold; null for an exact pass.</summary>
    public FuzzyPass? Fuzzy { get; init; }

    /// <summary>Every column the pass reads from each table (its key; a fuzzy pass's blocking and filter columns).</summary>
    public IEnumerable<string> Columns => Fuzzy is { } f ? [.. f.BlockColumns, .. f.FilterColumns] : [KeyColumn];

    /// <summary>The identifier columns <paramref name="table"/>'s key was built from (checked against its terms).</summary>
    public IReadOnlyList<string> SourcesOf(string table) =>
        SourcesByTable is not null && SourcesByTable.TryGetValue(table, out var own) ? own : Sources ?? [];

    /// <summary>A pass on the pseudonym column produced for <paramref name="key"/>.</summary>
    public static LinkagePass On(LinkageKey key, string? name = null) => new(name ?? key.Name, key.Name, key.Sources);

    /// <summary>A fuzzy pass on the columns <see cref="FuzzyColumns"/> names for <paramref name="bits"/>-bit filters.</summary>
    public static LinkagePass OnFuzzy(double threshold, int bits, IReadOnlyList<string>? sources = null, string name = "fuzzy") =>
        new(name, FuzzyColumns.Block(0), sources) { Fuzzy = new FuzzyPass(threshold, FuzzyColumns.Filter(bits), FuzzyColumns.Blocks) };
}
