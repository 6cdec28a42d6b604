using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Smpc.Registry.Api;
using Smpc.Registry.Hosting;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// OpenID Connect tokens for the command line (issue 12, point 7): `smpc registry login` signs a person in through their
/// organisation's own provider (a real OpenIddict provider on loopback; authorization code with PKCE to a loopback
/// redirect, followed here hop by hop as a browser would), and the ID token it gets is a credential of the JSON API and
/// of `smpc registry studies`. The registry checks the token itself against the provider's keys: a token altered by one
/// character, a token for someone of another organisation, and a token of an issuer no organisation uses are refused.
/// </summary>
public sealed class OidcTokenTests
{
    [Fact]
    public async Task The_command_line_signs_in_through_the_organisations_provider_and_its_token_reaches_the_api()
    {
        const string secret = "bank-client-secret-0123456789";
        await using var server = await RegistryServer.StartAsync(demo: true);
        int port = FreePort();
        await using var provider = await OidcProvider.StartAsync("smpc-registry", secret, new Uri(server.BaseAddress, "/signin-oidc/bank"),
                                                                 new Uri($"http://127.0.0.1:{port}/callback"));
        var admin = server.Client().WithToken(await Http.TokenAsync(server, RegistrySeeder.AdminEmail));
        var bank = await server.WithDbAsync((db, _) => db.Organisations.Where(o => o.Slug == "bank").Select(o => o.Id).FirstAsync());
        (await admin.PutAsJsonAsync($"/api/organisations/{bank}/sign-in",
            new OrganisationSignInRequest("Retail bank sign-in", provider.Authority.ToString(), "smpc-registry", secret))).EnsureSuccessStatusCode();

        string token = await LoginAsync(server, provider, port, ("bank-0001", "morgan.ellis@bank.example", true));
        using var api = new HttpClient { BaseAddress = server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/me");
        Assert.Equal("morgan.ellis@bank.example", me.GetProperty("email").GetString());
        var studies = AuditCommandLineTests.Smpc("registry", "studies", "--registry", server.BaseAddress.ToString(), "--token", token);
        Assert.True(studies.Code == 0, studies.Out + studies.Err);
        Assert.Contains("Veterans", studies.Out);

        // One character of the signature changed: refused.
        var altered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(server, altered, "/api/me")).StatusCode);
        // A token of the bank's provider for a person of another organisation reaches nobody.
        string other = await LoginAsync(server, provider, port, ("bank-0099", "avery.shah@stats.example", true));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(server, other, "/api/me")).StatusCode);
        // An unverified email links nobody either.
        string unverified = await LoginAsync(server, provider, port, ("bank-0098", "riley.chen@bank.example", false));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(server, unverified, "/api/me")).StatusCode);
        // Once no organisation names the provider (its configuration removed), its tokens are refused, even a linked person's.
        await server.WithDbAsync(async (db, _) => { db.OrganisationSignIns.RemoveRange(db.OrganisationSignIns); return await db.SaveChangesAsync(); });
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(server, token, "/api/me")).StatusCode);
    }

    static async Task<HttpResponseMessage> Get(RegistryServer server, string token, string path)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(path);
    }

    /// <summary>Runs `smpc registry login --print` and plays the browser: the authorization URL it prints, signed in at the
    /// provider as <paramref name="who"/>, redirected to its loopback listener. Returns the ID token it prints.</summary>
    static async Task<string> LoginAsync(RegistryServer server, OidcProvider provider, int port, (string, string, bool) who)
    {
        provider.SignedIn = who;
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { CommandLineTests.FindCli(), "registry", "login", "--registry", server.BaseAddress.ToString(), "--organisation", "bank",
                                  "--port", port.ToString(), "--print", "--timeout", "120" })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            string? url = null;
            while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
                if (line.StartsWith("http", StringComparison.Ordinal)) { url = line; break; }
            Assert.NotNull(url);
            Assert.Contains("code_challenge_method=S256", url);
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            var hop = new Uri(url);
            for (int i = 0; i < 5 && hop.Port != port; i++)
            {
                using var response = await browser.GetAsync(hop, timeout.Token);
                Assert.True(response.Headers.Location is not null, $"{hop} answered {(int)response.StatusCode} without a redirect");
                hop = new Uri(hop, response.Headers.Location!);
            }
            Assert.Equal(port, hop.Port);
            using (var back = await browser.GetAsync(hop, timeout.Token))
                Assert.Contains("Signed in", await back.Content.ReadAsStringAsync(timeout.Token));
            string stdout = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, stdout + await process.StandardError.ReadToEndAsync());
            return stdout.Trim();
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
