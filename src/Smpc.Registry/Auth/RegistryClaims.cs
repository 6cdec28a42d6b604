using System.Security.Claims;
using Smpc.Governance;

namespace Smpc.Registry.Auth;

/// <summary>The claims the registry adds to a signed-in principal (cookie or token) and how to read them.</summary>
public static class RegistryClaims
{
    public const string PersonId = "smpc:person";
    public const string OrganisationId = "smpc:organisation";
    public const string Admin = "smpc:admin";

    public static Actor? ActorOf(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        if (!Guid.TryParse(user.FindFirstValue(PersonId), out var person) || !Guid.TryParse(user.FindFirstValue(OrganisationId), out var org)) return null;
        return new Actor(person, org, user.HasClaim(Admin, "true"));
    }
}
