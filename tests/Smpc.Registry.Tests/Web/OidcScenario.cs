using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Smpc.Registry.Api;
using Smpc.Registry.Hosting;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// Sign-in through the bank's own identity provider: a real OpenID Connect provider (<see cref="OidcProvider"/>,
/// OpenIddict) on loopback, configured for the bank by the administrator through the API; the authorization code flow
/// with PKCE followed hop by hop over HTTP as a browser would; the account linked by verified email within the bank
/// only. Run on each database (<see cref="SqliteOidcTests"/>, <see cref="PostgresOidcTests"/>).
/// </summary>
internal static class OidcScenario
{
    public static async Task RunAsync(RegistryServer server, LogSink log)
    {
        const string secret = "bank-client-secret-0123456789";
        var admin = server.Client().WithToken(await Http.TokenAsync(server, RegistrySeeder.AdminEmail));
        var bank = await server.WithDbAsync((db, _) => db.Organisations.Where(o => o.Slug == "bank").Select(o => o.Id).FirstAsync());
        await using var provider = await OidcProvider.StartAsync("smpc-registry", secret, new Uri(server.BaseAddress, "/signin-oidc/bank"));

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/organisations/{bank}/sign-in",
            new OrganisationSignInRequest("Bank", "http://idp.example.com/", "smpc-registry", secret))).StatusCode);
        var configured = await (await admin.PutAsJsonAsync($"/api/organisations/{bank}/sign-in",
            new OrganisationSignInRequest("Retail bank sign-in", provider.Authority.ToString(), "smpc-registry", secret))).ReadAsync<OrganisationSignInResponse>();
        Assert.Equal("/signin-oidc/bank", configured.CallbackPath);
        var stored = await server.WithDbAsync((db, _) => db.OrganisationSignIns.FirstAsync());
        Assert.DoesNotContain(secret, stored.ProtectedClientSecret!);
        Assert.Contains("Sign in with Retail bank sign-in", await server.Client().GetStringAsync("/account/signin"));

        // The bank's point of contact: linked by verified email, signed in.
        provider.SignedIn = ("bank-0001", "morgan.ellis@bank.example", true);
        var contact = server.Client();
        var (end, hops, _) = await FollowAsync(contact, "/account/external?organisation=bank&ReturnUrl=%2Factions");
        Assert.Contains(hops, h => h.Host == provider.Authority.Host && h.Port == provider.Authority.Port && h.AbsolutePath == "/connect/authorize"
            && h.Query.Contains("code_challenge=") && h.Query.Contains("code_challenge_method=S256"));
        Assert.Equal("/actions", end.AbsolutePath);
        Assert.Equal("Morgan Ellis", (await (await contact.GetAsync("/api/me")).ReadAsync<MeResponse>()).Name);

        // Later sign-ins find the link by the provider's subject, whatever email it sends then.
        provider.SignedIn = ("bank-0001", "m.ellis@bank.example", true);
        var again = server.Client();
        Assert.Equal("/", (await FollowAsync(again, "/account/external?organisation=bank")).End.AbsolutePath);
        Assert.Equal("Morgan Ellis", (await (await again.GetAsync("/api/me")).ReadAsync<MeResponse>()).Name);

        // Refused: an unverified email; a person of another organisation; nobody is signed in after either.
        provider.SignedIn = ("bank-0002", "avery.shah@stats.example", true);
        var outsider = server.Client();
        var refusedOther = await FollowAsync(outsider, "/account/external?organisation=bank");
        Assert.Equal(HttpStatusCode.Forbidden, refusedOther.Last.StatusCode);
        Assert.Contains("No account of Retail bank sign-in has the email avery.shah@stats.example", await refusedOther.Last.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await outsider.GetAsync("/api/me")).StatusCode);
        provider.SignedIn = ("bank-0003", "riley.chen@bank.example", false);
        var unverified = await FollowAsync(server.Client(), "/account/external?organisation=bank");
        Assert.Contains("did not give a verified email", await unverified.Last.Content.ReadAsStringAsync());

        // A data steward still gives the authenticator code after the provider.
        string key = await server.WithDbAsync(async (db, users) => await Http.EnrolTotpAsync(users, await db.Users.FirstAsync(u => u.Email == "riley.chen@bank.example")));
        provider.SignedIn = ("bank-0004", "riley.chen@bank.example", true);
        var steward = server.Client();
        Assert.Equal("/account/signin/two-factor", (await FollowAsync(steward, "/account/external?organisation=bank")).End.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, (await steward.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(steward, "/account/signin/two-factor", new() { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow) })).StatusCode);
        Assert.Equal("Riley Chen", (await (await steward.GetAsync("/api/me")).ReadAsync<MeResponse>()).Name);

        // The log has the links, by id, and neither the client secret nor any code or token of the flow.
        Assert.Contains(log.Lines, l => l.Contains("linked to the identity provider"));
        Assert.DoesNotContain(log.Lines, l => l.Contains(secret) || l.Contains("code=") || l.Contains("id_token") || l.Contains("eyJ"));
    }

    /// <summary>Follows redirects across the registry and the provider as a browser would; the last URL, every URL
    /// visited, and the last response.</summary>
    static async Task<(Uri End, List<Uri> Hops, HttpResponseMessage Last)> FollowAsync(HttpClient client, string start)
    {
        var url = new Uri(client.BaseAddress!, start);
        var hops = new List<Uri> { url };
        for (int i = 0; i < 12; i++)
        {
            var response = await client.GetAsync(url);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther)) return (url, hops, response);
            url = new Uri(url, response.Headers.Location!);
            hops.Add(url);
        }
        throw new InvalidOperationException("too many redirects: " + string.Join(" → ", hops));
    }

}

public sealed class SqliteOidcTests
{
    [Fact]
    public async Task People_sign_in_through_their_organisations_openid_connect_provider_on_sqlite()
    {
        var log = new LogSink();
        await using var server = await RegistryServer.StartAsync(demo: true, configure: o => o with { LogSink = log });
        await OidcScenario.RunAsync(server, log);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresOidcTests(PostgresServer postgres)
{
    [Fact]
    public async Task People_sign_in_through_their_organisations_openid_connect_provider_on_postgresql()
    {
        var log = new LogSink();
        await using var server = await RegistryServer.StartAsync(connection: await postgres.CreateDatabaseAsync("oidc"), demo: true, configure: o => o with { LogSink = log });
        await OidcScenario.RunAsync(server, log);
    }
}
