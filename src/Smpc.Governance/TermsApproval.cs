namespace Smpc.Governance;

/// <summary>A steward's approval of one exact terms version, bound to its canonical hash. Voided (not deleted) when
/// the terms change, so the history keeps who approved what.</summary>
public sealed class TermsApproval
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid DatasetId { get; set; }

    public int TermsVersion { get; set; }

    public required string TermsHash { get; set; }

    public Guid ApprovedById { get; set; }

    public DateTime ApprovedAt { get; set; }

    public DateTime? VoidedAt { get; set; }

    public string? VoidedBecause { get; set; }
}
