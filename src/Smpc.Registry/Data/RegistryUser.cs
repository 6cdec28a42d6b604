using Microsoft.AspNetCore.Identity;

namespace Smpc.Registry.Data;

/// <summary>A sign-in account (ASP.NET Core Identity) for one <see cref="Smpc.Governance.Person"/>.</summary>
public sealed class RegistryUser : IdentityUser
{
    public Guid PersonId { get; set; }

    /// <summary>Registry administrators manage organisations and accounts; they get no study rights from it.</summary>
    public bool IsAdmin { get; set; }

    /// <summary>When an administrator or the organisation's point of contact deactivated the account: it can no longer
    /// sign in, its sessions and tokens stop working, and it stays in the history.</summary>
    public DateTime? DeactivatedAt { get; set; }
}
