using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Smpc.Registry.Api;
using Smpc.Registry.Hosting;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>One registry on SQLite behind real Kestrel on loopback, shared by the tests of this class.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public RegistryServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RegistryServer.StartAsync(demo: true, maxFailedSignIns: 3);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Health, the OpenAPI document, 401 without a credential, sign-in with lockout, tokens, headers, CSRF.</summary>
public sealed class HttpTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    RegistryServer Server => fixture.Server;

    [Fact]
    public async Task Health_answers_200_when_the_database_answers()
    {
        var response = await Server.Client().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/api/me")]
    [InlineData("GET", "/api/studies")]
    [InlineData("GET", "/api/actions")]
    [InlineData("POST", "/api/studies")]
    [InlineData("POST", "/api/organisations")]
    [InlineData("GET", "/api/studies/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/api/")]
    [InlineData("DELETE", "/api/no-such-endpoint")]
    public async Task The_api_answers_401_without_a_credential_and_with_a_bad_one(string method, string path)
    {
        var anonymous = await Server.Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var forged = await Server.Client().WithToken("smpc_pat_" + new string('A', 43))
            .SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_every_api_path()
    {
        var doc = await Server.Client().GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/me", "/api/studies", "/api/actions", "/api/studies/{studyId}/advance", "/api/studies/{studyId}/datasets/{datasetId}/approvals", "/api/tokens" })
            Assert.Contains($"\"{path}\"", doc);
    }

    [Fact]
    public async Task Pages_send_an_anonymous_visitor_to_sign_in()
    {
        var response = await Server.Client().GetAsync("/actions");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Sign_in_locks_the_account_after_three_wrong_passwords_even_for_the_right_one()
    {
        var demo = Server.Report.Demo!;
        const string email = "lee.park@va.example";
        var client = Server.Client();
        for (int i = 0; i < 3; i++)
        {
            var wrong = await Http.SignInAsync(client, email, "not the password");
            Assert.Contains(wrong.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Locked });
        }
        var locked = await Http.SignInAsync(client, email, demo.Password!);
        Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        var lockoutEnd = await Server.WithDbAsync((db, _) => db.Users.Where(u => u.Email == email).Select(u => u.LockoutEnd).FirstAsync());
        Assert.True(lockoutEnd > DateTimeOffset.UtcNow.AddMinutes(10));
    }

    [Fact]
    public async Task A_person_signs_in_sees_their_actions_and_signs_out()
    {
        var client = Server.Client();
        string key = await Server.WithDbAsync(async (db, users) => await Http.EnrolTotpAsync(users, await db.Users.FirstAsync(u => u.Email == "riley.chen@bank.example")));
        var signIn = await Forms.SignInWithCodeAsync(client, "riley.chen@bank.example", Server.Report.Demo!.Password!, key);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("HttpOnly", string.Join(";", signIn.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", string.Join(";", signIn.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        var me = await (await client.GetAsync("/api/me")).ReadAsync<MeResponse>();
        Assert.Equal("Retail bank (synthetic)", me.Organisation.Name);
        var page = await client.GetStringAsync("/actions");
        Assert.Contains("Approve terms v1 (sha256 ", page);
        var study = await client.GetStringAsync($"/studies/{Server.Report.Demo.StudyId}");
        Assert.Contains("steward of &#x27;bank&#x27; has not approved terms v1", study);

        var signOutPage = await client.GetStringAsync("/account/signout");
        var token = System.Text.RegularExpressions.Regex.Match(signOutPage, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        await client.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused()
    {
        var response = await Server.Client().PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "riley.chen@bank.example", ["Password"] = Server.Report.Demo!.Password!,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_personal_access_token_is_shown_once_and_stored_only_as_a_hash()
    {
        var client = Server.Client();
        string key = await Server.WithDbAsync(async (db, users) => await Http.EnrolTotpAsync(users, await db.Users.FirstAsync(u => u.Email == "jordan.kim@stats.example")));
        await Forms.SignInWithCodeAsync(client, "jordan.kim@stats.example", Server.Report.Demo!.Password!, key);
        var issued = await (await client.PostAsJsonAsync("/api/tokens", new CreateTokenRequest("notebook", 7))).ReadAsync<CreateTokenResponse>();
        Assert.StartsWith("smpc_pat_", issued.Token);
        var me = await (await Server.Client().WithToken(issued.Token).GetAsync("/api/me")).ReadAsync<MeResponse>();
        Assert.Equal("Jordan Kim", me.Name);
        var stored = await Server.WithDbAsync((db, _) => db.PersonalAccessTokens.Select(t => t.TokenHash).ToListAsync());
        Assert.DoesNotContain(issued.Token, stored);
        Assert.Contains(Smpc.Registry.Auth.PersonalAccessTokens.Hash(issued.Token), stored);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        foreach (var path in new[] { "/health", "/account/signin", "/api/me" })
        {
            var response = await Server.Client().GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        }
    }

    [Fact]
    public void The_registry_refuses_to_listen_beyond_loopback()
    {
        var e = Assert.Throws<ArgumentException>(() => RegistryApp.Build(new RegistryOptions { Urls = "http://0.0.0.0:0", DataDirectory = Path.GetTempPath() }));
        Assert.Contains("loopback only", e.Message);
    }
}
