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
        // Column allow-lists are checked on contributed datasets; a joined dataset's columns were checked when the
        // study layer approved the join (until it lands, joins inherit the contributors' allow-lists unchecked).
        if (d.Terms.Count == 1 && d.Terms[0] is { AllowedColumns.Count: > 0 } t && !t.AllowedColumns.Contains(column))
            throw new QueryException($"The data-use terms of '{t.Dataset}' ({t.Steward}) do not allow column '{column}' in analyses.");
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
