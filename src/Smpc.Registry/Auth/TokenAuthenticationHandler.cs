using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Smpc.Registry.Data;

namespace Smpc.Registry.Auth;

/// <summary>Authenticates <c>Authorization: Bearer smpc_pat_…</c> against the stored token hashes, or an ID token of an
/// organisation's identity provider (<see cref="OrganisationTokens"/>); a revoked or expired token, or one of a
/// locked-out or deactivated account, fails (at once: checked on every request).</summary>
public sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    RegistryDb db, TimeProvider clock, OrganisationTokens organisationTokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        string token = header["Bearer ".Length..].Trim();
        RegistryUser? user;
        if (token.StartsWith(PersonalAccessTokens.Prefix, StringComparison.Ordinal))
        {
            string hash = PersonalAccessTokens.Hash(token);
            var now = clock.GetUtcNow().UtcDateTime;
            var pat = await db.PersonalAccessTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash);
            if (pat is null || pat.RevokedAt is not null || pat.ExpiresAt <= now) return AuthenticateResult.Fail("unknown, revoked or expired token");
            user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == pat.UserId);
        }
        else if (organisationTokens.Looks(token))
        {
            (user, var problem) = await organisationTokens.AuthenticateAsync(token, db, Context.RequestAborted);
            if (user is null) return AuthenticateResult.Fail(problem ?? "not a valid token");
        }
        else return AuthenticateResult.Fail("neither a personal access token nor an identity provider's token");
        if (user is null || (user.LockoutEnd is { } end && end > clock.GetUtcNow())) return AuthenticateResult.Fail("account locked out");
        if (user.DeactivatedAt is not null) return AuthenticateResult.Fail("account deactivated");
        var identity = new ClaimsIdentity(SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id));
        identity.AddClaim(new Claim(ClaimTypes.Name, user.UserName ?? user.Id));
        await RegistryClaimsFactory.AddRegistryClaims(identity, user, db);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
