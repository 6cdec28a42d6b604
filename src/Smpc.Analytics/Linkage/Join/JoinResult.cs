using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Linkage;

/// <summary>The joined table (secret-shared) and the per-pass match counts released to the analyst.</summary>
public sealed record JoinResult(SecretTable Table, IReadOnlyList<PassMatchCount> MatchCounts)
{
    /// <summary>Total rows of <paramref name="table"/> linked to the base table over all passes (null if any pass count is suppressed).</summary>
    public long? Linked(string table)
    {
        var counts = MatchCounts.Where(c => c.Table == table).ToList();
        return counts.Any(c => c.Count is null) ? null : counts.Sum(c => c.Count!.Value);
    }
}

/// <summary>Rows of <see cref="Table"/> linked to the base table in pass <see cref="Pass"/>; null when suppressed
/// because it was below the minimum cell size (or would reveal one that was).</summary>
public sealed record PassMatchCount(string Pass, string Table, long? Count);
