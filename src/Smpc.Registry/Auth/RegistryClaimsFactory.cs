using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Smpc.Registry.Data;

namespace Smpc.Registry.Auth;

/// <summary>Adds the person, organisation and admin claims to Identity's sign-in principal.</summary>
public sealed class RegistryClaimsFactory(UserManager<RegistryUser> users, IOptions<IdentityOptions> options, RegistryDb db)
    : UserClaimsPrincipalFactory<RegistryUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(RegistryUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        await AddRegistryClaims(identity, user, db);
        return identity;
    }

    internal static async Task AddRegistryClaims(ClaimsIdentity identity, RegistryUser user, RegistryDb db)
    {
        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == user.PersonId);
        identity.AddClaim(new Claim(RegistryClaims.PersonId, person.Id.ToString()));
        identity.AddClaim(new Claim(RegistryClaims.OrganisationId, person.OrganisationId.ToString()));
        if (user.IsAdmin) identity.AddClaim(new Claim(RegistryClaims.Admin, "true"));
    }
}
