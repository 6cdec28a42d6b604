using Smpc.Governance.DataUse;

namespace Smpc.Governance;

/// <summary>One version of a dataset's data-use terms: the canonical JSON of <see cref="DataUseTerms"/> and its
/// SHA-256, which approvals and upload receipts bind to.</summary>
public sealed class TermsVersion
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid DatasetId { get; set; }

    /// <summary>1, 2, … per dataset.</summary>
    public int Version { get; set; }

    /// <summary>Canonical JSON (<see cref="TermsDocument.Canonical"/>).</summary>
    public required string CanonicalJson { get; set; }

    /// <summary>Lower-case hex SHA-256 of <see cref="CanonicalJson"/> in UTF-8.</summary>
    public required string Hash { get; set; }

    public Guid DocumentedById { get; set; }

    public DateTime DocumentedAt { get; set; }

    public DataUseTerms Terms => TermsDocument.Parse(CanonicalJson);

    /// <summary>"v2 (sha256 1a2b3c4d5e6f…)": how messages name a version.</summary>
    public string Label => $"v{Version} (sha256 {Hash[..12]}…)";
}
