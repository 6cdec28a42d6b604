using Microsoft.AspNetCore.Identity;

namespace Smpc.Registry.Data;

/// <summary>A sign-in account (ASP.NET Core Identity) for one <see cref="Smpc.Governance.Person"/>.</summary>
public sealed class RegistryUser : IdentityUser
{
    public Guid PersonId { get; set; }

    /// <summary>Registry administrators manage organisations and accounts; they get no study rights from it.</summary>
    public bool IsAdmin { get; set; }
}
