namespace Smpc.Governance;

/// <summary>A dataset an organisation contributes to a study. The registry holds its terms, approvals and upload
/// receipts (hashes), never its rows.</summary>
public sealed class Dataset
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid StudyId { get; set; }

    /// <summary>Name as in the terms and schema files (e.g. <c>bank</c>).</summary>
    public required string Name { get; set; }

    public Guid OrganisationId { get; set; }

    public Organisation Organisation { get; set; } = null!;

    public DateTime AddedAt { get; set; }

    public List<TermsVersion> TermsVersions { get; set; } = [];

    public List<TermsApproval> Approvals { get; set; } = [];

    public List<UploadReceipt> Uploads { get; set; } = [];

    /// <summary>The newest terms version, or null when none is documented.</summary>
    public TermsVersion? CurrentTerms => TermsVersions.Count == 0 ? null : TermsVersions.MaxBy(v => v.Version);

    /// <summary>The approval of the current terms by a steward of the owning organisation, if any and not voided.</summary>
    public TermsApproval? CurrentApproval =>
        CurrentTerms is { } t ? Approvals.FirstOrDefault(a => a.VoidedAt is null && a.TermsHash == t.Hash) : null;

    public override string ToString() => Name;
}
