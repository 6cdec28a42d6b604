using Smpc.Analytics.Study;

namespace Smpc.Analytics.Interactive.Api;

/// <summary>Checks a query against the data-use terms of every dataset it touches; errors name the rule and steward.
/// (The study layer's policy engine replaces this minimal check.)</summary>
internal static class Policy
{
    public static void CheckOperation(StudyDataset d, string operation)
    {
        foreach (var t in d.Terms)
        {
            if (t.Expires is { } e && DateOnly.FromDateTime(DateTime.UtcNow) > e)
                throw new QueryException($"The data-use terms of '{t.Dataset}' ({t.Steward}) expired on {e:yyyy-MM-dd}.");
            if (t.AllowedOperations.Count > 0 && !t.AllowedOperations.Contains(operation, StringComparer.OrdinalIgnoreCase))
                throw new QueryException($"The data-use terms of '{t.Dataset}' ({t.Steward}) do not allow '{operation}'; allowed: {string.Join(", ", t.AllowedOperations)}.");
            if (t.Access == AccessLevel.MetadataOnly)
                throw new QueryException($"The data-use terms of '{t.Dataset}' ({t.Steward}) allow metadata only; no statistic may be released.");
        }
    }

    public static void CheckColumn(StudyDataset d, string column)
    {
        if (!d.Table.Has(column))
            throw new QueryException($"Unknown column '{column}' in dataset '{d.Name}'. Columns: {string.Join(", ", d.Table.Columns.Select(c => c.Name))}.");
        // Each column is checked against the allow-list of the dataset it was contributed in (joins keep the origin).
        if (d.Columns.TryGetValue(column, out var origin) && origin.Terms.AllowedColumns is { Count: > 0 } allowed && !allowed.Contains(origin.Column))
            throw new QueryException($"The data-use terms of '{origin.Dataset}' ({origin.Terms.Steward}) do not allow column '{origin.Column}' in analyses.");
    }

    public static void CheckLinkage(StudyDataset d, string key)
    {
        if (!d.Table.Has(key))
            throw new QueryException($"Unknown column '{key}' in dataset '{d.Name}'. Columns: {string.Join(", ", d.Table.Columns.Select(c => c.Name))}.");
        foreach (var t in d.Terms)
            if (t.LinkageColumns.Count > 0 && !t.LinkageColumns.Contains(key))
                throw new QueryException($"The data-use terms of '{t.Dataset}' ({t.Steward}) do not allow '{key}' as a linkage key; allowed: {string.Join(", ", t.LinkageColumns)}.");
    }
}
