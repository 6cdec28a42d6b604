using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

/// <summary>
/// A secret dataset of a study: a table held as shares by the compute parties, either contributed by an agency or
/// produced by a join. <see cref="Origins"/> are the data-use terms of every contributed dataset whose rows it holds
/// (all of them apply: the strictest rule wins); <see cref="Columns"/> maps each column to the dataset and terms it
/// came from. Nothing here is plaintext.
/// </summary>
public sealed class StudyDataset
{
    internal StudyDataset(string name, SecretTable table, IReadOnlyList<DataUseTerms> origins, string description,
                          IReadOnlyDictionary<string, ColumnOrigin> columns, IReadOnlyList<DatasetFile> files, Contributor? contributor)
    {
        Name = name;
        Table = table.Name == name ? table : table.Rename(name);
        Origins = origins;
        Description = description;
        Columns = columns;
        Files = files;
        Contributor = contributor;
        LinkSource = contributor;
        Terms = CombinedTerms.For(name, origins, table, columns);
        ReleasedRows = table.RowCount;
    }

    public string Name { get; }

    /// <summary>The secret table (payload columns only: identifiers and pseudonyms never appear here).</summary>
    public SecretTable Table { get; }

    /// <summary>The table's length, as the compute parties hold it. What the analyst is shown is <see cref="ReleasedRows"/>.</summary>
    public int RowCount => Table.RowCount;

    /// <summary>The row count as released to the analyst: a contributed dataset's own length; a join's size rounded and
    /// suppressed under its inputs' terms (<see cref="JoinRelease.JoinedRows"/>), null when suppressed.</summary>
    public int? ReleasedRows { get; internal init; }

    /// <summary><see cref="ReleasedRows"/> for display ("3,515", or "suppressed").</summary>
    public string RowsText => ReleasedRows is { } n ? n.ToString("N0") : "suppressed";

    /// <summary>The data-use terms of each contributed dataset whose rows this dataset holds.</summary>
    public IReadOnlyList<DataUseTerms> Origins { get; }

    /// <summary>The terms the statistics layer runs under: the strictest combination of <see cref="Origins"/>, with
    /// column names as they are in this dataset.</summary>
    public DataUseTerms Terms { get; }

    /// <summary>"contributed by …" or "veterans ⋈ bank (…)".</summary>
    public string Description { get; }

    /// <summary>Origin of each column (by its name in this dataset).</summary>
    public IReadOnlyDictionary<string, ColumnOrigin> Columns { get; }

    /// <summary>Files the contributor read (data, schema, terms) with their hashes; empty for joins and in-memory data.</summary>
    public IReadOnlyList<DatasetFile> Files { get; }

    /// <summary>Whether this dataset was contributed (not produced by a join).</summary>
    public bool IsContributed => LinkSource is not null || IsCatalogued;

    /// <summary>A contributed dataset as the analyst's catalogue lists it: its shares and pseudonyms are at the party
    /// services (the embedded default's or remote ones), so it has no link source here.</summary>
    internal bool IsCatalogued { get; init; }

    /// <summary>The contributing agency's side (null for a join result). Holds the plaintext and never hands it to the
    /// compute parties; the study asks it for pseudonym columns when a join needs them.</summary>
    internal Contributor? Contributor { get; }

    /// <summary>Where a join finds this dataset's pseudonyms: its contributor, or (at a party service) the pseudonym
    /// columns of its share file; null for a join result.</summary>
    internal ILinkSource? LinkSource { get; init; }

    public override string ToString() => $"{Name}: {RowsText} rows, {Table.Columns.Count} columns ({Description})";
}
