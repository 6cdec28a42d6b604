using Smpc.Analytics.Columnar;
using Smpc.Analytics.Study;

namespace Smpc.Analytics.Interactive.Api;

/// <summary>A secret dataset of a study: contributed by a data steward, or produced by a join. Its terms are the
/// data-use terms of every contributed dataset its rows came from; <see cref="Columns"/> says which contributed
/// column (and so which terms) each of its columns came from.</summary>
public sealed record StudyDataset(string Name, SecretTable Table, IReadOnlyList<DataUseTerms> Terms, string Origin,
                                  IReadOnlyDictionary<string, ColumnOrigin> Columns)
{
    /// <summary>A contributed dataset: every column is its own.</summary>
    public static StudyDataset Contributed(SecretTable table, DataUseTerms terms, string origin) =>
        new(table.Name, table, [terms], origin, table.Columns.ToDictionary(c => c.Name, c => new ColumnOrigin(table.Name, c.Name, terms)));

    public int RowCount => Table.RowCount;
    public TableSchema Schema => Table.Schema;
}

/// <summary>The contributed dataset and column a column came from, with that dataset's terms.</summary>
public sealed record ColumnOrigin(string Dataset, string Column, DataUseTerms Terms);
