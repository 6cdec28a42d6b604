using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Smpc.Registry.Data;

namespace Smpc.Registry.Auth;

/// <summary>
/// Sign-in through an organisation's own OpenID Connect provider (<see cref="OrganisationSignIn"/>): one
/// authentication scheme per organisation, <c>oidc-{slug}</c>, added at start and whenever an administrator configures
/// one; authorization code flow with PKCE, callback <c>/signin-oidc/{slug}</c>, the result kept in Identity's external
/// cookie for <c>/account/external</c> to link by verified email and organisation. The client secret is kept protected
/// with the data-protection keys and unprotected only into the handler's options.
/// </summary>
public sealed class OrganisationOidc(IServiceScopeFactory scopes, IDataProtectionProvider protection) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public const string Prefix = "oidc-";

    IDataProtector Protector => protection.CreateProtector("Smpc.Registry.OrganisationSignIn.ClientSecret");

    public string Protect(string secret) => Protector.Protect(secret);

    public static string SchemeOf(string slug) => Prefix + slug;

    /// <summary>Adds (or refreshes) the scheme of every configured organisation.</summary>
    public static async Task RegisterAllAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var configured = await (from s in db.OrganisationSignIns join o in db.Organisations on s.OrganisationId equals o.Id select new { o.Slug, s.DisplayName }).ToListAsync();
        foreach (var c in configured) Register(services, c.Slug, c.DisplayName);
    }

    public static void Register(IServiceProvider services, string slug, string displayName)
    {
        var schemes = services.GetRequiredService<IAuthenticationSchemeProvider>();
        string name = SchemeOf(slug);
        schemes.RemoveScheme(name);
        services.GetRequiredService<IOptionsMonitorCache<OpenIdConnectOptions>>().TryRemove(name);
        schemes.AddScheme(new AuthenticationScheme(name, displayName, typeof(OpenIdConnectHandler)));
    }

    public void Configure(OpenIdConnectOptions options) { }

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name is null || !name.StartsWith(Prefix, StringComparison.Ordinal)) return;
        string slug = name[Prefix.Length..];
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var config = (from s in db.OrganisationSignIns join o in db.Organisations on s.OrganisationId equals o.Id where o.Slug == slug select s).AsNoTracking().FirstOrDefault();
        if (config is null) return;
        bool loopback = IsLoopback(config.Authority);
        options.Authority = config.Authority;
        options.ClientId = config.ClientId;
        options.ClientSecret = config.ProtectedClientSecret is null ? null : Protector.Unprotect(config.ProtectedClientSecret);
        options.ResponseType = "code";
        options.ResponseMode = "query";
        options.UsePkce = true;
        options.Scope.Clear();
        foreach (var s in new[] { "openid", "email", "profile" }) options.Scope.Add(s);
        options.CallbackPath = $"/signin-oidc/{slug}";
        options.SignInScheme = IdentityConstants.ExternalScheme;
        options.MapInboundClaims = false;
        options.SaveTokens = false;
        options.RequireHttpsMetadata = !loopback;
        if (loopback)
        {
            // Plain HTTP is accepted for a provider on this machine only; its cookies cannot then be Secure.
            options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
    }

    /// <summary>An authority must be HTTPS, or HTTP on loopback (a provider on this machine, as in the tests).</summary>
    public static bool IsAcceptableAuthority(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || (u.Scheme == Uri.UriSchemeHttp && IsLoopback(authority)));

    internal static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.IsLoopback || (IPAddress.TryParse(u.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));
}
