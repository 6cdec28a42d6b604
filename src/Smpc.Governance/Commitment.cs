namespace Smpc.Governance;

/// <summary>An organisation's documented commitment to a study, recorded by its point of contact: its role, the
/// deliverables it owes and by when.</summary>
public sealed class Commitment
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid StudyId { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Role { get; set; }

    public required string Deliverables { get; set; }

    public DateOnly? DueBy { get; set; }

    public Guid RecordedById { get; set; }

    public DateTime RecordedAt { get; set; }
}
