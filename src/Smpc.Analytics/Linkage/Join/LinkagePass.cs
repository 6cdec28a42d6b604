namespace Smpc.Analytics.Linkage;

/// <summary>
/// One pass of a (multi-pass) linkage: the pseudonym column every table links on. Later passes only see rows
/// earlier passes left unlinked. <see cref="Sources"/> names the identifier columns the key was built from, for the
/// data-use terms check (LinkageColumns); when empty, the key column's own name is checked.
/// </summary>
public sealed record LinkagePass(string Name, string KeyColumn, IReadOnlyList<string>? Sources = null)
{
    /// <summary>Source columns per table, for tables whose identifier columns have names of their own (one dataset's
    /// SSN column is "ssn", another's "taxpayer_ref"); a table not listed falls back to <see cref="Sources"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? SourcesByTable { get; init; }

    /// <summary>The identifier columns <paramref name="table"/>'s key was built from (checked against its terms).</summary>
    public IReadOnlyList<string> SourcesOf(string table) =>
        SourcesByTable is not null && SourcesByTable.TryGetValue(table, out var own) ? own : Sources ?? [];

    /// <summary>A pass on the pseudonym column produced for <paramref name="key"/>.</summary>
    public static LinkagePass On(LinkageKey key, string? name = null) => new(name ?? key.Name, key.Name, key.Sources);
}
