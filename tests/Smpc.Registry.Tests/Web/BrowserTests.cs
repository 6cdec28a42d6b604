using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Smpc.Registry.Api;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// The registry in real headless Chromium (<see cref="Browser"/>), as its people use it: a coordinator held at
/// two-factor enrolment, enrolling with a code computed from the page's key and signing in again with password and
/// code; a passkey through Chromium's virtual authenticator; a point of contact inviting a person from the organisation
/// page, the invitation accepted from the link in the pickup-folder mail, and the account deactivated. Screenshots are kept in
/// <c>out/test-artifacts/registry/</c>.
/// </summary>
public sealed class BrowserTests(Browser browser) : IClassFixture<Browser>
{
    const string Coordinator = "pat.quinn@research.example";

    [Fact]
    public async Task A_coordinator_enrols_an_authenticator_and_signs_in_with_password_and_code_in_chromium()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        string password = server.Report.Demo!.Password!;
        var page = await browser.PageAsync(server);

        await SignInAsync(page, Coordinator, password);
        await page.WaitForURLAsync("**/account/two-factor");
        Assert.Contains("enrol an authenticator app", await page.InnerTextAsync("main"));
        string key = (await page.InnerTextAsync("#shared-key")).Replace(" ", "");
        Assert.StartsWith("otpauth://totp/", await page.InnerTextAsync("#authenticator-uri"));
        await Browser.ScreenshotAsync(page, "two-factor-enrolment");
        await page.FillAsync("input[name=Code]", Totp.Code(key, DateTimeOffset.UtcNow));
        await page.ClickAsync("button[type=submit]:has-text('Turn on')");
        Assert.Equal(10, await page.Locator("#recovery-codes li").CountAsync());
        await Browser.ScreenshotAsync(page, "two-factor-recovery-codes");

        await page.GotoAsync("/actions");
        Assert.EndsWith("/actions", page.Url);
        await page.ClickAsync("header button:has-text('Sign out')");
        await page.WaitForURLAsync("**/account/signin");

        await SignInAsync(page, Coordinator, password);
        await page.WaitForURLAsync("**/account/signin/two-factor**");
        await Browser.ScreenshotAsync(page, "sign-in-code");
        await page.FillAsync("input[name=Code]", Totp.Code(key, DateTimeOffset.UtcNow));
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        Assert.Contains("Veterans", await page.InnerTextAsync("main"));
        await page.GotoAsync("/actions");
        Assert.Contains("Sign out " + Coordinator, await page.InnerTextAsync("header"));
        await Browser.ScreenshotAsync(page, "signed-in-with-two-factor");
    }

    [Fact]
    public async Task A_point_of_contact_invites_a_person_who_accepts_from_the_mailed_link_and_is_later_deactivated_in_chromium()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        var contact = await browser.PageAsync(server);
        await SignInAsync(contact, "morgan.ellis@bank.example", server.Report.Demo!.Password!);
        await contact.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await contact.ClickAsync("header a:has-text('My organisation')");
        await contact.FillAsync("input[name=Name]", "Drew New");
        await contact.FillAsync("input[name=Email]", "drew.new@bank.example");
        await contact.ClickAsync("button:has-text('Send invitation')");
        Assert.Equal("Invitation sent to drew.new@bank.example.", await contact.InnerTextAsync("#people-message"));
        var link = PickupMail.LinkIn(PickupMail.To(server, "drew.new@bank.example"));

        var page = await browser.PageAsync(server);
        await page.GotoAsync(link.PathAndQuery);
        Assert.Contains("Welcome, Drew New", await page.InnerTextAsync("main"));
        await Browser.ScreenshotAsync(page, "invitation");
        await page.FillAsync("input[name=Password]", "drew's chosen password");
        await page.ClickAsync("button:has-text('Create my account')");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        Assert.Contains("Sign out drew.new@bank.example", await page.InnerTextAsync("header"));
        await Browser.ScreenshotAsync(page, "invitation-accepted");

        var again = await browser.PageAsync(server);
        var reused = await again.GotoAsync(link.PathAndQuery);
        Assert.Equal(410, reused!.Status);
        Assert.Contains("already been used", await again.InnerTextAsync("main"));

        await contact.ReloadAsync();
        await contact.ClickAsync("#people tr:has-text('drew.new@bank.example') button:has-text('Deactivate')");
        Assert.Equal("Drew New's account is deactivated.", await contact.InnerTextAsync("#people-message"));
        await Browser.ScreenshotAsync(contact, "organisation-people");
        var refused = await page.GotoAsync("/actions");
        Assert.Equal(403, refused!.Status);
    }

    [Fact]
    public async Task A_passkey_is_registered_and_signs_in_through_chromiums_virtual_authenticator()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        const string analyst = "alex.rivera@research.example";
        var page = await browser.PageAsync(server);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        var authenticator = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true, ["hasUserVerification"] = true,
                ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
        string authenticatorId = authenticator!.Value.GetProperty("authenticatorId").GetString()!;

        await SignInAsync(page, analyst, server.Report.Demo!.Password!);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await page.GotoAsync("/account/passkeys");
        await page.FillAsync("input[name=Name]", "laptop");
        await page.ClickAsync("button:has-text('Add a passkey')");
        await page.WaitForSelectorAsync("#passkey-message");
        string added = await page.InnerTextAsync("#passkey-message");
        Assert.True(added == "Passkey 'laptop' added.", added);
        Assert.Contains("laptop", await page.InnerTextAsync("#passkeys"));
        await Browser.ScreenshotAsync(page, "passkey-added");
        var credentials = await cdp.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = authenticatorId });
        Assert.Equal(1, credentials!.Value.GetProperty("credentials").GetArrayLength());
        Assert.Equal(1, await server.WithDbAsync((db, _) => db.UserPasskeys.CountAsync()));

        await page.ClickAsync("header button:has-text('Sign out')");
        await page.WaitForURLAsync("**/account/signin");
        Assert.DoesNotContain("Sign out", await page.InnerTextAsync("header"));
        await page.ClickAsync("button:has-text('Sign in with a passkey')");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        Assert.Contains("Sign out " + analyst, await page.InnerTextAsync("header"));
        await Browser.ScreenshotAsync(page, "signed-in-with-passkey");
    }

    static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/signin");
        await page.FillAsync("input[name=Email]", email);
        await page.FillAsync("input[name=Password]", password);
        await page.ClickAsync("button:has-text('Sign in')");
    }
}
