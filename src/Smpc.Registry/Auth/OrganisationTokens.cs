using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Smpc.Registry.Data;
using Smpc.Registry.Hosting;

namespace Smpc.Registry.Auth;

/// <summary>
/// OpenID Connect tokens as API credentials, for the command line and notebooks (<c>smpc registry login</c>): an ID token
/// issued by an organisation's own provider (<see cref="OrganisationSignIn"/>) — signed with a key of the provider's
/// JWKS (read from its discovery document, cached, refreshed on an unknown key), issued by that provider, for the
/// registry's client there or the command-line client (<see cref="RegistryOptions.CommandLineClientId"/>), not expired —
/// authenticates the person it is linked to: the account linked to that provider's subject (by an earlier sign-in in the
/// browser), or else the account of that organisation with the token's verified email, which is then linked, as the
/// browser sign-in links it. Nobody of another organisation can be reached through a provider.
/// </summary>
public sealed class OrganisationTokens(RegistryOptions options)
{
    readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _providers = new(StringComparer.Ordinal);
    readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>Whether <paramref name="token"/> has the shape of a JWT (three base64url parts).</summary>
    public bool Looks(string token) => _handler.CanReadToken(token);

    /// <summary>The account <paramref name="token"/> proves, or the reason it proves none.</summary>
    public async Task<(RegistryUser? User, string? Problem)> AuthenticateAsync(string token, RegistryDb db, CancellationToken ct)
    {
        JsonWebToken unverified;
        try { unverified = _handler.ReadJsonWebToken(token); }
        catch (ArgumentException) { return (null, "not a token"); }
        string issuer = unverified.Issuer ?? "";
        var configured = await (from s in db.OrganisationSignIns join o in db.Organisations on s.OrganisationId equals o.Id
                                select new { s.Authority, s.ClientId, s.DisplayName, o.Slug, OrganisationId = o.Id }).AsNoTracking().ToListAsync(ct);
        var provider = configured.FirstOrDefault(c => Same(c.Authority, issuer));
        if (provider is null) return (null, "the token's issuer is no organisation's identity provider");
        var manager = _providers.GetOrAdd(provider.Authority.TrimEnd('/'), authority => new ConfigurationManager<OpenIdConnectConfiguration>(
            authority + "/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = !OrganisationOidc.IsLoopback(authority) }));
        OpenIdConnectConfiguration discovery;
        try { discovery = await manager.GetConfigurationAsync(ct); }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException) { return (null, $"{provider.DisplayName} cannot be reached to check the token"); }
        Task<TokenValidationResult> Validate(OpenIdConnectConfiguration d) => _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = d.Issuer,
            ValidAudiences = [provider.ClientId, options.CommandLineClientId],
            IssuerSigningKeys = d.SigningKeys,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(1),
        });
        var result = await Validate(discovery);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            manager.RequestRefresh();            // the provider may have rotated its keys
            result = await Validate(await manager.GetConfigurationAsync(ct));
        }
        if (!result.IsValid) return (null, $"the token of {provider.DisplayName} is not valid: {result.Exception?.Message}");
        string? subject = result.ClaimsIdentity.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(subject)) return (null, "the token names no subject");
        string scheme = OrganisationOidc.SchemeOf(provider.Slug);
        var login = await db.UserLogins.AsNoTracking().FirstOrDefaultAsync(l => l.LoginProvider == scheme && l.ProviderKey == subject, ct);
        if (login is not null) return (await db.Users.FirstOrDefaultAsync(u => u.Id == login.UserId, ct), null);
        string? email = result.ClaimsIdentity.FindFirst("email")?.Value?.Trim().ToLowerInvariant();
        bool verified = string.Equals(result.ClaimsIdentity.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        if (email is null || !verified) return (null, $"{provider.DisplayName} gave no verified email, and its subject is linked to no account");
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Email == email && p.OrganisationId == provider.OrganisationId, ct);
        var user = person is null ? null : await db.Users.FirstOrDefaultAsync(u => u.PersonId == person.Id, ct);
        if (user is null) return (null, $"no account of {provider.DisplayName}'s organisation has the email {email}");
        db.UserLogins.Add(new IdentityUserLogin<string> { LoginProvider = scheme, ProviderKey = subject, ProviderDisplayName = provider.DisplayName, UserId = user.Id });
        await db.SaveChangesAsync(ct);
        return (user, null);
    }

    static bool Same(string authority, string issuer) =>
        string.Equals(authority.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal);
}
