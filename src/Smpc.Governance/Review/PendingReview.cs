namespace Smpc.Governance.Review;

/// <summary>A release held for a steward's review (terms with <see cref="DataUse.OutputReview"/>): which study and
/// dataset, the review's id, the request in words, the analyst who asked, since when. The release itself is sealed
/// (<see cref="SealedBox"/>); this names it only.</summary>
public sealed record PendingReview(Guid StudyId, Guid DatasetId, string ReviewId, string Request, string Analyst, DateTime Since);
