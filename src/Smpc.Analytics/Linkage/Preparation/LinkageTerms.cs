using Smpc.Analytics.Study;

namespace Smpc.Analytics.Linkage;

/// <summary>The data-use terms' rules on linkage, checked by contributors (preparation) and compute parties (join).</summary>
public static class LinkageTerms
{
    /// <summary>
    /// Throws unless <paramref name="terms"/> govern <paramref name="dataset"/>, allow the "join" operation (when
    /// operations are listed), have not expired, and list every key's source columns — or the key column itself —
    /// in LinkageColumns. An empty LinkageColumns list allows no linkage at all.
    /// </summary>
    public static void CheckKeys(DataUseTerms terms, string dataset, IEnumerable<(string Key, IReadOnlyList<string> Sources)> keys)
    {
        if (!string.Equals(terms.Dataset, dataset, StringComparison.Ordinal))
            throw new LinkageException($"The data-use terms given for '{dataset}' govern dataset '{terms.Dataset}'.");
        if (terms.AllowedOperations.Count > 0 && !terms.AllowedOperations.Contains("join", StringComparer.OrdinalIgnoreCase))
            throw new LinkageException($"The data-use terms of '{dataset}' (steward {terms.Steward}) do not allow the operation 'join' (allowed: {string.Join(", ", terms.AllowedOperations)}).");
        if (terms.Expires is { } expires && DateOnly.FromDateTime(DateTime.UtcNow) > expires)
            throw new LinkageException($"The data-use terms of '{dataset}' expired on {expires:yyyy-MM-dd}.");
        var allowed = terms.LinkageColumns.ToHashSet(StringComparer.Ordinal);
        foreach (var (key, sources) in keys)
        {
            var columns = sources.Count > 0 ? sources : [key];
            var refused = columns.Where(c => !allowed.Contains(c)).ToList();
            if (refused.Count > 0 && !allowed.Contains(key))
                throw new LinkageException(allowed.Count == 0
                    ? $"The data-use terms of '{dataset}' (steward {terms.Steward}) allow linkage on no column; key '{key}' uses {string.Join(", ", refused)}."
                    : $"The data-use terms of '{dataset}' (steward {terms.Steward}) do not allow linkage on {string.Join(", ", refused.Select(c => $"'{c}'"))} (key '{key}'); linkage columns allowed: {string.Join(", ", allowed)}.");
        }
    }
}
