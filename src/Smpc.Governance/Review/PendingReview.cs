namespace Smpc.Governance.Review;

/// <summary>A release held for a steward's review (terms with <see cref="DataUse.OutputReview"/>): which study and
/// dataset, the review's id, the request in words, the analyst who asked, since when. The release itself is sealed
/// (<see cref="SealedBox"/>); this names it only.</summary>
public sealed record PendingReview(Guid StudyId, Guid DatasetId, string ReviewId, string Request, string Analyst, DateTime Since);

/// <summary>The contexts the copies of a release held for review are sealed under (<see cref="SealedBox"/>): bound to the
/// review, the recipient and the party, so the registry cannot move a copy to another review, dataset or party.</summary>
public static class ReviewContexts
{
    /// <summary>The context of the analyst's copy from <paramref name="party"/>.</summary>
    public static string Analyst(string reviewId, int party) => $"smpc release review {reviewId}: for the analyst, from party {party}";

    /// <summary>The context of the copy of <paramref name="dataset"/>'s steward from <paramref name="party"/>.</summary>
    public static string Steward(string reviewId, string dataset, int party) => $"smpc release review {reviewId}: for the steward of '{dataset}', from party {party}";
}
