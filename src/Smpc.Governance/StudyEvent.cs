namespace Smpc.Governance;

/// <summary>One line of a study's history: who did what, when (stage changes, terms versions with their diff,
/// approvals, voided approvals, commitments, receipts, attestations).</summary>
public sealed class StudyEvent
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid StudyId { get; set; }

    public DateTime At { get; set; }

    public Guid? ActorId { get; set; }

    public required string Kind { get; set; }

    public required string Text { get; set; }
}
