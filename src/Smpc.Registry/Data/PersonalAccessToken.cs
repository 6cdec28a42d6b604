namespace Smpc.Registry.Data;

/// <summary>A personal access token for the command line and notebooks. Only its SHA-256 is stored; the token itself
/// is shown once, when issued.</summary>
public sealed class PersonalAccessToken
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token text.</summary>
    public required string TokenHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
