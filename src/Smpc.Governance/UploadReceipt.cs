namespace Smpc.Governance;

/// <summary>A contributor's receipt that a dataset's shares reached the compute parties under one terms version:
/// the SHA-256 of the share manifest, never the data.</summary>
public sealed class UploadReceipt
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid DatasetId { get; set; }

    public required string TermsHash { get; set; }

    /// <summary>Lower-case hex SHA-256 of the share files' manifest, as the contributor's tool printed it.</summary>
    public required string ManifestSha256 { get; set; }

    public Guid RecordedById { get; set; }

    public DateTime RecordedAt { get; set; }
}
