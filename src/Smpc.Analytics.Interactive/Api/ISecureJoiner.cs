using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Interactive.Api;

/// <summary>
/// The seam between the notebook layer and the linkage layer: links two secret tables on a key column and
/// returns the joined secret table (payload columns stay shared) and the public facts of the join.
/// </summary>
public interface ISecureJoiner
{
    /// <summary>Inner join of <paramref name="left"/> and <paramref name="right"/> on <paramref name="key"/>.
    /// Throws <see cref="QueryException"/> naming the problem for bad input.</summary>
    JoinOutcome Join(SecretTable left, SecretTable right, string key, string resultName);
}

/// <summary>A joined secret table and what the join revealed to the compute parties (row counts only).</summary>
public sealed record JoinOutcome(SecretTable Table, int LeftRows, int RightRows, int MatchedRows, string Method);
