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

    /// <summary>Signs in a coordinator or steward who has not enrolled an authenticator yet: enrols one from the page's
    /// key and lands signed in.</summary>
    static async Task SignInEnrollingAsync(IPage page, string email, string password)
    {
        await SignInAsync(page, email, password);
        await page.WaitForURLAsync("**/account/two-factor");
        string key = (await page.InnerTextAsync("#shared-key")).Replace(" ", "");
        await page.FillAsync("input[name=Code]", Totp.Code(key, DateTimeOffset.UtcNow));
        await page.ClickAsync("button[type=submit]:has-text('Turn on')");
        await page.Locator("#recovery-codes li").First.WaitForAsync();
    }

    static string Terms(string dataset) => File.ReadAllText(Path.Combine(Browser.RepositoryRoot(), "data", "synthetic", $"{dataset}.terms.json"));

    /// <summary>Issue 12's browser flow: a coordinator creates a study, adds the three agencies' datasets and stewards and
    /// states a plan; the stewards document their terms from "my actions"; the conflict of a multi-agency release with
    /// the bank's internal-use-only terms is shown (and approving is refused while it stands); the coordinator narrows
    /// the plan; the three stewards approve the exact version from "my actions", which then no longer lists the study.</summary>
    [Fact]
    public async Task A_coordinator_creates_a_study_three_stewards_approve_its_terms_and_their_actions_empty_in_chromium()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        string password = server.Report.Demo!.Password!;
        var coordinator = await browser.PageAsync(server);
        await SignInEnrollingAsync(coordinator, Coordinator, password);

        await coordinator.GotoAsync("/");
        await coordinator.ClickAsync("#new-study");
        await coordinator.FillAsync("input[name=Title]", "Housing stability of veterans");
        await coordinator.FillAsync("textarea[name=Purpose]", "Whether benefit levels relate to account balances and survey answers.");
        await coordinator.ClickAsync("button:has-text('Create the study')");
        await coordinator.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(new Uri(url).AbsolutePath, "^/studies/[0-9a-f-]{36}$"));
        string study = new Uri(coordinator.Url).AbsolutePath;
        foreach (var (dataset, org) in new[] { ("veterans", "Veterans' Administration (synthetic)"), ("bank", "Retail bank (synthetic)"), ("survey", "Statistics office (synthetic)") })
        {
            await coordinator.ClickAsync("a:has-text('Add a dataset')");
            await coordinator.FillAsync("input[name=Name]", dataset);
            await coordinator.SelectOptionAsync("select[name=OrganisationId]", new SelectOptionValue { Label = org });
            await coordinator.ClickAsync("button:has-text('Add the dataset')");
            await coordinator.WaitForURLAsync("**" + study);
        }
        var stewards = new[] { ("sam.okafor@va.example", "Sam Okafor", "veterans"), ("riley.chen@bank.example", "Riley Chen", "bank"), ("jordan.kim@stats.example", "Jordan Kim", "survey") };
        foreach (var (_, name, _) in stewards)
        {
            await coordinator.ClickAsync("a:has-text('Add a member')");
            var option = coordinator.Locator("select[name=PersonId] option", new() { HasTextString = name });
            await coordinator.SelectOptionAsync("select[name=PersonId]", (await option.GetAttributeAsync("value"))!);
            await coordinator.SelectOptionAsync("select[name=Role]", "DataSteward");
            await coordinator.ClickAsync("button:has-text('Add the member')");
            await coordinator.WaitForURLAsync("**" + study);
        }
        // Someone outside the list is added by exact email (an unknown one is refused on the form).
        await coordinator.ClickAsync("a:has-text('Add a member')");
        await coordinator.FillAsync("input[name=Email]", "nobody@nowhere.example");
        await coordinator.ClickAsync("button:has-text('Add the member')");
        Assert.Contains("No active person has the email nobody@nowhere.example", await coordinator.InnerTextAsync("#error"));
        await coordinator.FillAsync("input[name=Email]", "taylor.brooks@stats.example");
        await coordinator.SelectOptionAsync("select[name=Role]", "Auditor");
        await coordinator.ClickAsync("button:has-text('Add the member')");
        await coordinator.WaitForURLAsync("**" + study);
        Assert.Contains("Taylor Brooks", await coordinator.InnerTextAsync("main"));
        await coordinator.ClickAsync("a:has-text('Plan')");
        await coordinator.FillAsync("input[name=Audience]", "study team, other agencies");
        foreach (var op in new[] { "count", "mean", "join" }) await coordinator.CheckAsync($"input[name=Operations][value={op}]");
        await coordinator.ClickAsync("button:has-text('Save the plan')");
        await coordinator.WaitForURLAsync("**" + study);

        // Each steward documents the terms from "my actions".
        var pages = new Dictionary<string, IPage>();
        foreach (var (email, _, dataset) in stewards)
        {
            var page = pages[dataset] = await browser.PageAsync(server);
            await SignInEnrollingAsync(page, email, password);
            await page.GotoAsync("/actions");
            await page.ClickAsync($"tr:has-text('Housing stability of veterans') a.action:has-text(\"Document the terms of dataset '{dataset}'\")");
            await page.FillAsync("textarea[name=Json]", Terms(dataset));
            await page.ClickAsync("button:has-text('Save as a new version')");
            await page.WaitForURLAsync("**" + study);
        }

        // The multi-agency release conflicts with the bank's internal-use-only terms: shown, and approval waits.
        await coordinator.ReloadAsync();
        var conflicts = await coordinator.InnerTextAsync("table.conflicts");
        Assert.Contains("bank", conflicts);
        Assert.Contains("other agencies", conflicts);
        await Browser.ScreenshotAsync(coordinator, "study-terms-conflict");
        await pages["bank"].GotoAsync("/actions");
        Assert.Contains("approval waits until the coordinator or you resolve it", await pages["bank"].InnerTextAsync("main"));

        await coordinator.ClickAsync("a:has-text('Plan')");
        await coordinator.FillAsync("input[name=Audience]", "study team");
        await coordinator.ClickAsync("button:has-text('Save the plan')");
        await coordinator.WaitForURLAsync("**" + study);
        Assert.Contains("No conflict between the study and its datasets' terms", await coordinator.InnerTextAsync("main"));

        // The three stewards approve the version they read, from "my actions"; the study leaves their lists.
        foreach (var (_, _, dataset) in stewards)
        {
            var page = pages[dataset];
            await page.GotoAsync("/actions");
            await page.ClickAsync($"tr:has-text('Housing stability of veterans') a.action:has-text(\"of dataset '{dataset}'\")");
            Assert.Contains("You approve exactly this version", await page.InnerTextAsync("main"));
            if (dataset == "bank") await Browser.ScreenshotAsync(page, "study-approve-terms");
            await page.ClickAsync("button:has-text('Approve v1')");
            await page.WaitForURLAsync("**/actions");
            var left = await page.InnerTextAsync("main");
            Assert.False(left.Contains("Housing stability of veterans"), left);
        }
        Assert.Contains("Nothing is waiting on you", await pages["veterans"].InnerTextAsync("main"));   // the VA's steward owes nothing elsewhere either
        await coordinator.ReloadAsync();
        Assert.Equal(3, await coordinator.Locator("td:has-text('yes, ')").CountAsync());            // approved, each dataset
        await Browser.ScreenshotAsync(coordinator, "study-approved-by-three-stewards");
    }

    /// <summary>A release held for review (three parties' sealed copies in the registry) shows in the veterans steward's
    /// "my actions"; the review page shows the request, the analyst and the copies; the steward rejects it with a reason and
    /// the action leaves the list.</summary>
    [Fact]
    public async Task A_steward_reviews_a_held_release_from_my_actions_and_rejects_it_with_a_reason_in_chromium()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        string password = server.Report.Demo!.Password!;
        var studyId = server.Report.Demo!.StudyId;
        const string reviewId = "00112233445566778899aabbccddeeff";
        var key = Smpc.Governance.Review.SealedBox.NewKeyPair();
        const string release = """{"query":"mean of monthly_benefit by service_era","rulesApplied":["MinCellSize"],"table":[{"name":"service_era","text":["Gulf War","Korea"]},{"name":"mean_monthly_benefit","numbers":[1234.5,null]}]}""";
        string Sealed(int party) => Smpc.Governance.Review.SealedBox.Seal(System.Text.Encoding.UTF8.GetBytes(release), key.PublicKey,
            Smpc.Governance.Review.ReviewContexts.Steward(reviewId, "veterans", party));
        await server.WithDbAsync(async (db, _) =>
        {
            var veterans = await db.Datasets.SingleAsync(d => d.StudyId == studyId && d.Name == "veterans");
            var op = await db.People.SingleAsync(p => p.Email == "lee.park@va.example");
            for (int party = 0; party < 3; party++)
                db.ReleaseReviews.Add(new Smpc.Registry.Data.ReleaseReviewRow
                {
                    StudyId = studyId, DatasetId = veterans.Id, ReviewId = reviewId, Party = party, Analyst = "alex.rivera@research.example",
                    Request = "mean of 'monthly_benefit' by 'service_era' on 'veterans'", ForAnalyst = "AQID", ForSteward = Sealed(party), SubmittedBy = op.Id, SubmittedAt = DateTime.UtcNow,
                });
            await db.SaveChangesAsync();
            return 0;
        });
        var page = await browser.PageAsync(server);
        await SignInEnrollingAsync(page, "sam.okafor@va.example", password);
        await page.GotoAsync("/actions");
        await page.ClickAsync("a.action:has-text('Review a release of')");
        await page.WaitForURLAsync("**/reviews");
        var main = await page.InnerTextAsync("main");
        Assert.Contains("mean of 'monthly_benefit' by 'service_era' on 'veterans'", main);
        Assert.Contains("alex.rivera@research.example", main);
        Assert.Contains("pending", main);
        Assert.DoesNotContain("1234.5", await page.ContentAsync());
        // The steward opens the three copies in the browser with their private key: the table to be released is shown.
        await page.FillAsync("#review-key", key.PrivateKey);
        await page.ClickAsync("#open-copies");
        await page.WaitForSelectorAsync("table.release");
        var opened = await page.InnerTextAsync(".opened");
        Assert.Contains("The three compute parties' copies agree", opened);
        Assert.Contains("Gulf War", opened);
        Assert.Contains("1234.5", opened);
        Assert.Contains("Opened 1 release", await page.InnerTextAsync("#open-status"));
        await Browser.ScreenshotAsync(page, "release-review");
        await page.ClickAsync("button:has-text('Reject')");
        Assert.Contains("A rejection needs a reason", await page.InnerTextAsync("#error"));
        await page.FillAsync("input[name=Reason]", "cells too close to the threshold");
        await page.ClickAsync("button:has-text('Reject')");
        await page.WaitForURLAsync("**/reviews");
        main = await page.InnerTextAsync("main");
        Assert.Contains("rejected", main);
        Assert.Contains("cells too close to the threshold", main);
        Assert.Equal(0, await page.Locator("button:has-text('Approve')").CountAsync());
        await page.GotoAsync("/actions");
        Assert.DoesNotContain("Review a release", await page.InnerTextAsync("main"));
    }

    /// <summary>A join's counts held for review open in the steward's browser as the join they are: the inputs, the joined
    /// rows with their rounding, and the matches per pass; the page shows no count before the key opens the copies.</summary>
    [Fact]
    public async Task A_steward_opens_a_held_joins_counts_in_chromium()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        var studyId = server.Report.Demo!.StudyId;
        const string reviewId = "ffeeddccbbaa99887766554433221100";
        var key = Smpc.Governance.Review.SealedBox.NewKeyPair();
        var join = new Smpc.Analytics.Studies.Parties.JoinWire(new Smpc.Analytics.Studies.JoinRequest { Datasets = ["veterans", "bank"], Name = "vb" }, "vb",
            [1600, 2000], [Smpc.Analytics.Studies.LinkageKeyKind.Ssn], "hmac-sha256/64", 1235, 5,
            [new Smpc.Analytics.Linkage.PassMatchCount("ssn", "bank", 1235)], ["balance"], 1);
        var bytes = Smpc.Analytics.Studies.Parties.PartyWire.Encode(join);
        await server.WithDbAsync(async (db, _) =>
        {
            var veterans = await db.Datasets.SingleAsync(d => d.StudyId == studyId && d.Name == "veterans");
            var op = await db.People.SingleAsync(p => p.Email == "lee.park@va.example");
            for (int party = 0; party < 3; party++)
                db.ReleaseReviews.Add(new Smpc.Registry.Data.ReleaseReviewRow
                {
                    StudyId = studyId, DatasetId = veterans.Id, ReviewId = reviewId, Party = party, Analyst = "alex.rivera@research.example",
                    Request = "veterans ⋈ bank as 'vb'", ForAnalyst = "AQID", SubmittedBy = op.Id, SubmittedAt = DateTime.UtcNow,
                    ForSteward = Smpc.Governance.Review.SealedBox.Seal(bytes, key.PublicKey, Smpc.Governance.Review.ReviewContexts.Steward(reviewId, "veterans", party)),
                });
            await db.SaveChangesAsync();
            return 0;
        });
        var page = await browser.PageAsync(server);
        await SignInEnrollingAsync(page, "sam.okafor@va.example", server.Report.Demo!.Password!);
        await page.GotoAsync("/actions");
        await page.ClickAsync("a.action:has-text('Review a release of')");
        await page.WaitForURLAsync("**/reviews");
        Assert.DoesNotContain("1235", await page.InnerTextAsync("main"));
        await page.FillAsync("#review-key", key.PrivateKey);
        await page.ClickAsync("#open-copies");
        await page.WaitForSelectorAsync("table.release");
        var opened = await page.InnerTextAsync(".opened");
        Assert.Contains("The three compute parties' copies agree: join of veterans ⋈ bank into 'vb'", opened);
        Assert.Contains("Joined rows: 1235 (rounded to a multiple of 5)", opened);
        Assert.Contains("ssn", opened);
        Assert.Contains("Opened 1 release", await page.InnerTextAsync("#open-status"));
    }

    static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/signin");
        await page.FillAsync("input[name=Email]", email);
        await page.FillAsync("input[name=Password]", password);
        await page.ClickAsync("button:has-text('Sign in')");
    }
}
