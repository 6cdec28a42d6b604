using Smpc.Analytics.Columnar;
using Smpc.Analytics.Study;

namespace Smpc.Analytics.Interactive.Api;

/// <summary>A secret dataset of a study: contributed by a data steward, or produced by a join. Its terms are the
/// data-use terms of every contributed dataset its rows came from.</summary>
public sealed record StudyDataset(string Name, SecretTable Table, IReadOnlyList<DataUseTerms> Terms, string Origin)
{
    public int RowCount => Table.RowCount;
    public TableSchema Schema => Table.Schema;
}
