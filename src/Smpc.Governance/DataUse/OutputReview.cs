namespace Smpc.Governance.DataUse;

/// <summary>
/// Format 2: output checking (the "safe outputs" of the Five Safes). A release on the dataset is not returned to the
/// analyst in the clear: each compute party seals it to the analyst's key and to <see cref="ReviewerKey"/>, the registry
/// holds the sealed copies as a pending review, and the analyst can open the release only after a data steward of the
/// dataset's organisation approved it there (a rejected release is never delivered). The steward's public key is part
/// of the terms, so the compute parties take it from the terms they hold, never from the registry, and the registry
/// never sees a released value (<see cref="Review.SealedBox"/>).
/// </summary>
public sealed record OutputReview
{
    /// <summary>The reviewing steward's public key: a P-256 key as base64 SubjectPublicKeyInfo
    /// (<see cref="Review.SealedBox.NewKeyPair"/>). The matching private key stays with the steward.</summary>
    public string? ReviewerKey { get; init; }

    /// <summary>Operations whose releases need review (names of <see cref="DataUseTerms.KnownOperations"/>); null: every
    /// release on the dataset.</summary>
    public IReadOnlyList<string>? Operations { get; init; }

    /// <summary>Whether a release whose query does <paramref name="operations"/> needs the steward's review.</summary>
    public bool Requires(IEnumerable<string> operations) =>
        Operations is null || operations.Any(o => Operations.Contains(o, StringComparer.OrdinalIgnoreCase));

    /// <summary>The problems of this member, each under its name in a terms file.</summary>
    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(ReviewerKey))
            yield return "`outputReview.reviewerKey` is empty; allowed: the reviewing steward's P-256 public key, base64 SubjectPublicKeyInfo";
        else if (!Review.SealedBox.IsPublicKey(ReviewerKey))
            yield return "`outputReview.reviewerKey` is not a P-256 public key; allowed: base64 SubjectPublicKeyInfo of a P-256 key";
        if (Operations is not null)
            for (int i = 0; i < Operations.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(Operations[i])) yield return $"`outputReview.operations[{i}]` is empty; allowed: a non-empty name";
                else if (!DataUseTerms.KnownOperations.Contains(Operations[i], StringComparer.OrdinalIgnoreCase))
                    yield return $"`outputReview.operations` lists unknown operation '{Operations[i]}'; allowed: {string.Join(", ", DataUseTerms.KnownOperations)}";
            }
    }
}
