namespace Smpc.Analytics.Linkage;

/// <summary>
/// A dataset's rules on linkage, as plain values handed down from its data-use terms (Smpc.Governance's
/// <c>DataUseTerms.LinkageRules()</c>): checked by contributors (preparation) and compute parties (join), and the
/// smallest count and the rounding a join releases under.
/// </summary>
public sealed record LinkageRules
{
    /// <summary>Dataset the rules govern.</summary>
    public required string Dataset { get; init; }

    /// <summary>Data steward named in refusals.</summary>
    public required string Steward { get; init; }

    /// <summary>Operations the terms allow (empty: not listed, so the "join" operation is not restricted).</summary>
    public IReadOnlyList<string> AllowedOperations { get; init; } = [];

    /// <summary>Columns that may be used as linkage keys; empty allows no linkage.</summary>
    public IReadOnlyList<string> LinkageColumns { get; init; } = [];

    /// <summary>Last day the data may be used (UTC); null: no expiry.</summary>
    public DateOnly? Expires { get; init; }

    /// <summary>Smallest count released about the dataset.</summary>
    public int MinCellSize { get; init; } = 11;

    /// <summary>Released counts are rounded to a multiple of this.</summary>
    public int RoundingBase { get; init; } = 1;

    /// <summary>
    /// Throws unless the rules govern <paramref name="dataset"/>, allow the "join" operation (when operations are
    /// listed), have not expired, and list every key's source columns — or the key column itself — in LinkageColumns.
    /// An empty LinkageColumns list allows no linkage at all.
    /// </summary>
    public void CheckKeys(string dataset, IEnumerable<(string Key, IReadOnlyList<string> Sources)> keys)
    {
        if (!string.Equals(Dataset, dataset, StringComparison.Ordinal))
            throw new LinkageException($"The data-use terms given for '{dataset}' govern dataset '{Dataset}'.");
        if (AllowedOperations.Count > 0 && !AllowedOperations.Contains("join", StringComparer.OrdinalIgnoreCase))
            throw new LinkageException($"The data-use terms of '{dataset}' (steward {Steward}) do not allow the operation 'join' (allowed: {string.Join(", ", AllowedOperations)}).");
        if (Expires is { } expires && DateOnly.FromDateTime(DateTime.UtcNow) > expires)
            throw new LinkageException($"The data-use terms of '{dataset}' expired on {expires:yyyy-MM-dd}.");
        var allowed = LinkageColumns.ToHashSet(StringComparer.Ordinal);
        foreach (var (key, sources) in keys)
        {
            var columns = sources.Count > 0 ? sources : [key];
            var refused = columns.Where(c => !allowed.Contains(c)).ToList();
            if (refused.Count > 0 && !allowed.Contains(key))
                throw new LinkageException(allowed.Count == 0
                    ? $"The data-use terms of '{dataset}' (steward {Steward}) allow linkage on no column; key '{key}' uses {string.Join(", ", refused)}."
                    : $"The data-use terms of '{dataset}' (steward {Steward}) do not allow linkage on {string.Join(", ", refused.Select(c => $"'{c}'"))} (key '{key}'); linkage columns allowed: {string.Join(", ", allowed)}.");
        }
    }
}
