namespace Smpc.Governance;

/// <summary>A compute party's attestation that it destroyed its shares of the study's data.</summary>
public sealed class DestructionAttestation
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid StudyId { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid AttestedById { get; set; }

    public DateTime AttestedAt { get; set; }
}
