namespace Smpc.Registry.Data;

/// <summary>
/// One compute party's copy of a release held for a steward's review (terms with <c>outputReview</c>), for one dataset:
/// the release sealed to the analyst's key and sealed to the steward's key (Smpc.Governance.Review.SealedBox). The
/// registry cannot open either. The three parties' rows for a review and dataset share its status: pending until a
/// steward of the dataset's organisation approves or rejects it (with a reason); the analyst receives the copies
/// sealed to them only when every dataset of the review is approved.
/// </summary>
public sealed class ReleaseReviewRow
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid StudyId { get; set; }
    public Guid DatasetId { get; set; }
    /// <summary>The review's id, the same at the three parties (hex).</summary>
    public required string ReviewId { get; set; }
    public int Party { get; set; }
    /// <summary>The analyst's account (from the analyst's certificate at the party), who alone may fetch the release.</summary>
    public required string Analyst { get; set; }
    /// <summary>The request in words (no values).</summary>
    public required string Request { get; set; }
    public required string ForAnalyst { get; set; }
    public required string ForSteward { get; set; }
    /// <summary>The compute operator who posted this copy.</summary>
    public Guid SubmittedBy { get; set; }
    public DateTime SubmittedAt { get; set; }
    /// <summary>pending, approved or rejected.</summary>
    public string Status { get; set; } = Pending;
    public Guid? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? Reason { get; set; }

    public const string Pending = "pending", Approved = "approved", Rejected = "rejected";
}
