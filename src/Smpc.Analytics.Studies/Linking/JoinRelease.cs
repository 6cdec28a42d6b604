using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Studies;

/// <summary>
/// The result of a join (<c>#!secure-join</c>, <see cref="SecureStudy.Join(JoinRequest)"/>): a new secret dataset of
/// the study — nothing about its rows went to the analyst but their number — and what the linkage released: the
/// joined row count and the per-pass match counts, rounded and suppressed under the inputs' terms like any other count. The compute parties saw each input's row count and,
/// per pass, the shuffled pseudonyms (hence intersection sizes and duplicate patterns); see <see cref="OperationCost.Reveals"/>.
/// </summary>
public sealed record JoinRelease : StudyEvent
{
    public required JoinRequest Request { get; init; }

    /// <summary>Name of the joined dataset.</summary>
    public required string Dataset { get; init; }

    /// <summary>Rows of each input, in <see cref="JoinRequest.Datasets"/> order.</summary>
    public required IReadOnlyList<int> InputRows { get; init; }

    /// <summary>The passes as run (the 'demographic' pass resolved to a concrete key).</summary>
    public required IReadOnlyList<LinkageKeyKind> Passes { get; init; }

    /// <summary>The pseudonymiser's scheme, e.g. "hmac-sha256/64".</summary>
    public required string Scheme { get; init; }

    /// <summary>Rows of the joined dataset as released to the analyst: rounded to a multiple of <see cref="RoundingBase"/> (the
    /// largest of the inputs' terms); null when below their minimum cell size. The compute parties know the exact length.</summary>
    public required int? JoinedRows { get; init; }

    /// <summary>The rounding base of the released sizes (<see cref="JoinedRows"/>, <see cref="MatchCounts"/>); 1: exact.</summary>
    public int RoundingBase { get; init; } = 1;

    /// <summary>Rows of each other dataset linked to the base per pass, rounded like <see cref="JoinedRows"/> (null where suppressed
    /// by the minimum cell size).</summary>
    public required IReadOnlyList<PassMatchCount> MatchCounts { get; init; }

    /// <summary>Columns of the joined dataset.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>Time the contributors spent preparing pseudonym columns (normalise, pseudonymise, share) for this join;
    /// part of <see cref="StudyEvent.Cost"/>.</summary>
    public required TimeSpan Preparation { get; init; }

    public IReadOnlyList<string> Inputs => Request.Datasets;

    public override string Summary =>
        $"{Dataset} = {string.Join(" ⋈ ", Inputs)} ({Request.Kind.ToString().ToLowerInvariant()} join; passes {string.Join(", ", Passes.Select(p => p.Name()))}; {Scheme}): {RowsText}";

    /// <summary>"3,515 rows (rounded to a multiple of 5)", or that the count is suppressed.</summary>
    public string RowsText => JoinedRows is { } n ? $"{n:N0} rows{(RoundingBase > 1 ? $" (rounded to a multiple of {RoundingBase})" : "")}" : "row count suppressed (below the minimum cell size)";

    public override string ToString() => $"{Summary}; {Cost.Summary}";
}
