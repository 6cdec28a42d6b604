using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Smpc.Registry.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect provider for the tests, standing in for an agency's own: OpenIddict's server on Kestrel on
/// 127.0.0.1 (a free port; plain HTTP is allowed on loopback only), discovery, JWKS, an authorization endpoint and a
/// token endpoint, authorization code flow with PKCE required, one confidential client (the registry) registered with
/// its redirect URI. Who is signed in at the provider is set by the test (<see cref="SignedIn"/>): the agency's own
/// login screen is not what is tested; the protocol between provider and registry is, over HTTP, without mocks.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    readonly WebApplication app;
    readonly SqliteConnection store;

    public Uri Authority { get; }

    /// <summary>The provider's user for the next authorization request: subject, email, whether the email is verified.</summary>
    public (string Subject, string Email, bool Verified)? SignedIn { get; set; }

    OidcProvider(WebApplication app, SqliteConnection store, Uri authority)
    {
        this.app = app;
        this.store = store;
        Authority = authority;
    }

    public sealed class Store(DbContextOptions<Store> options) : DbContext(options);

    /// <param name="commandLineRedirect">When set, the command line is registered too: public client <c>smpc-cli</c>, PKCE,
    /// this loopback redirect (as an agency registers <c>smpc registry login</c>).</param>
    public static async Task<OidcProvider> StartAsync(string clientId, string clientSecret, Uri redirectUri, Uri? commandLineRedirect = null)
    {
        var store = new SqliteConnection("Data Source=:memory:");
        store.Open();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<Store>(o => { o.UseSqlite(store); o.UseOpenIddict(); });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<Store>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        var app = builder.Build();
        OidcProvider? provider = null;
        app.MapMethods("/connect/authorize", ["GET", "POST"], (HttpContext ctx) =>
        {
            var request = ctx.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
            if (provider!.SignedIn is not { } user) return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            var identity = new ClaimsIdentity("agency-provider", Claims.Name, Claims.Role);
            identity.AddClaim(new Claim(Claims.Subject, user.Subject));
            identity.AddClaim(new Claim(Claims.Email, user.Email));
            identity.AddClaim(new Claim(Claims.EmailVerified, user.Verified ? "true" : "false", ClaimValueTypes.Boolean));
            identity.AddClaim(new Claim(Claims.Name, user.Email));
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapPost("/connect/token", async (HttpContext ctx) =>
        {
            var result = await ctx.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(result.Principal!, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Store>().Database.EnsureCreatedAsync();
            await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = clientId, ClientSecret = clientSecret, ClientType = ClientTypes.Confidential, DisplayName = "Study registry",
                RedirectUris = { redirectUri },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                    Permissions.ResponseTypes.Code, Permissions.Scopes.Email, Permissions.Scopes.Profile,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            });
        }
        if (commandLineRedirect is not null)
            using (var scope = app.Services.CreateScope())
                await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
                {
                    ClientId = "smpc-cli", ClientType = ClientTypes.Public, DisplayName = "smpc command line",
                    RedirectUris = { commandLineRedirect },
                    Permissions =
                    {
                        Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                        Permissions.ResponseTypes.Code, Permissions.Scopes.Email, Permissions.Scopes.Profile,
                    },
                    Requirements = { Requirements.Features.ProofKeyForCodeExchange },
                });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider = new OidcProvider(app, store, new Uri(address + "/"));
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        store.Dispose();
    }
}
