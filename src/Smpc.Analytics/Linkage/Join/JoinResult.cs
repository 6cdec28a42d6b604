using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Linkage;

/// <summary>The joined table (secret-shared) and the sizes released to the analyst: per-pass match counts and the joined
/// row count, rounded to <see cref="RoundingBase"/> and suppressed below the minimum cell size (Linkage/Join/MatchCountRelease.cs).</summary>
public sealed record JoinResult(SecretTable Table, IReadOnlyList<PassMatchCount> MatchCounts)
{
    /// <summary>The joined table's row count as released to the analyst: rounded to a multiple of <see cref="RoundingBase"/>;
    /// null when below the minimum cell size. (<see cref="SecretTable.RowCount"/> is the exact length the compute parties hold.)</summary>
    public long? ReleasedRows { get; init; }

    /// <summary>The rounding base of the released sizes (1: exact).</summary>
    public int RoundingBase { get; init; } = 1;

    /// <summary>Rows of <paramref name="table"/> linked to the base table over all passes: the sum of the released (rounded)
    /// per-pass counts; null if any pass count is suppressed.</summary>
    public long? Linked(string table)
    {
        var counts = MatchCounts.Where(c => c.Table == table).ToList();
        return counts.Any(c => c.Count is null) ? null : counts.Sum(c => c.Count!.Value);
    }
}

/// <summary>Rows of <see cref="Table"/> linked to the base table in pass <see cref="Pass"/>; null when suppressed
/// because it was below the minimum cell size (or would reveal one that was).</summary>
public sealed record PassMatchCount(string Pass, string Table, long? Count);
