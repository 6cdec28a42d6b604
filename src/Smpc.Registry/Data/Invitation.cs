using Smpc.Governance;

namespace Smpc.Registry.Data;

/// <summary>
/// An invitation to join the registry: a person of an organisation, optionally with a role in one study. The link
/// mailed to them carries a random token; only its SHA-256 is stored. It expires, and once accepted it is refused.
/// Invitations stay as history (who invited whom, when accepted).
/// </summary>
public sealed class Invitation
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string Email { get; set; }

    public required string Name { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid? StudyId { get; set; }

    public StudyRole? Role { get; set; }

    /// <summary>The person who sent it (point of contact, coordinator or administrator).</summary>
    public Guid InvitedById { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token in the link.</summary>
    public required string TokenHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? AcceptedAt { get; set; }

    /// <summary>The person created when it was accepted.</summary>
    public Guid? PersonId { get; set; }
}
