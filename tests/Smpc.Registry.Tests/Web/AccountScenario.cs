using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Smpc.Registry.Api;
using Smpc.Registry.Auth;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// Accounts on the demo, as their people use them over HTTP: two-factor required of the coordinator and enrolled
/// through the page (codes computed by <see cref="Totp"/>), recovery codes used once; deactivation by the bank's point
/// of contact stopping the steward's session, token and sign-in at once; invitations and password resets through the
/// mails in the pickup folder, with used and expired links refused; and no secret in the log. Run on each database
/// (<see cref="SqliteAccountTests"/>, <see cref="PostgresAccountTests"/>).
/// </summary>
internal static partial class AccountScenario
{
    [GeneratedRegex("id=\"shared-key\">([a-z0-9 ]+)<")]
    private static partial Regex SharedKey();

    [GeneratedRegex("<li><code>([A-Za-z0-9-]+)</code></li>")]
    private static partial Regex RecoveryCode();

    const string Coordinator = "pat.quinn@research.example", Analyst = "alex.rivera@research.example", BankContact = "morgan.ellis@bank.example",
        BankSteward = "riley.chen@bank.example", VaSteward = "sam.okafor@va.example";

    public static async Task RunAsync(RegistryServer server, LogSink log)
    {
        string password = server.Report.Demo!.Password!;
        var secrets = new List<string> { password };

        // Two-factor: the coordinator signs in with the password alone (nothing enrolled yet) and is held at enrolment.
        var pat = server.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await Http.SignInAsync(pat, Coordinator, password)).StatusCode);
        var held = await pat.GetAsync("/actions");
        Assert.Equal(HttpStatusCode.Redirect, held.StatusCode);
        Assert.Equal(TwoFactorPolicy.EnrolmentPath, held.Headers.Location!.OriginalString);
        string patToken = await server.WithDbAsync(async (db, _) =>
        {
            var t = PersonalAccessTokens.Issue(db, await db.Users.FirstAsync(u => u.Email == Coordinator), "cli", DateTime.UtcNow, TimeSpan.FromDays(1));
            await db.SaveChangesAsync();
            return t;
        });
        secrets.Add(patToken);
        var refused = await server.Client().WithToken(patToken).GetAsync("/api/studies");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("two-factor", await refused.Content.ReadAsStringAsync());
        string analystToken = await server.WithDbAsync(async (db, _) =>
        {
            var t = PersonalAccessTokens.Issue(db, await db.Users.FirstAsync(u => u.Email == Analyst), "cli", DateTime.UtcNow, TimeSpan.FromDays(1));
            await db.SaveChangesAsync();
            return t;
        });
        Assert.Equal(HttpStatusCode.OK, (await server.Client().WithToken(analystToken).GetAsync("/api/studies")).StatusCode);

        var enrolment = await pat.GetStringAsync(TwoFactorPolicy.EnrolmentPath);
        string key = SharedKey().Match(enrolment).Groups[1].Value.Replace(" ", "");
        Assert.True(key.Length >= 16, "no shared key on the enrolment page");
        secrets.Add(key);
        var wrongCode = await Forms.PostAsync(pat, TwoFactorPolicy.EnrolmentPath, new() { ["Code"] = OtherThan(Totp.Code(key, DateTimeOffset.UtcNow)) });
        Assert.Equal(HttpStatusCode.BadRequest, wrongCode.StatusCode);
        var enrolled = await Forms.PostAsync(pat, TwoFactorPolicy.EnrolmentPath, new() { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        var recovery = RecoveryCode().Matches(await enrolled.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, recovery.Count);
        secrets.AddRange(recovery);
        Assert.Equal(HttpStatusCode.OK, (await pat.GetAsync("/actions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client().WithToken(patToken).GetAsync("/api/studies")).StatusCode);

        // Sign-in now asks for the code; a wrong one is refused; a recovery code works once.
        var again = server.Client();
        var first = await Http.SignInAsync(again, Coordinator, password);
        Assert.StartsWith("/account/signin/two-factor", first.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await again.GetAsync("/actions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Forms.PostAsync(again, "/account/signin/two-factor", new() { ["Code"] = OtherThan(Totp.Code(key, DateTimeOffset.UtcNow)) })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(again, "/account/signin/two-factor", new() { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/actions")).StatusCode);
        foreach (var expected in new[] { HttpStatusCode.Redirect, HttpStatusCode.Unauthorized })
        {
            var c = server.Client();
            await Http.SignInAsync(c, Coordinator, password);
            Assert.Equal(expected, (await Forms.PostAsync(c, "/account/signin/two-factor", new() { ["RecoveryCode"] = recovery[0] })).StatusCode);
        }

        // Deactivation: the bank's point of contact deactivates the bank's steward; session, token and sign-in stop.
        var contact = server.Client().WithToken(await Http.TokenAsync(server, BankContact));
        string stewardToken = await Http.TokenAsync(server, BankSteward);
        string stewardKey = await server.WithDbAsync(async (db, users) => (await users.GetAuthenticatorKeyAsync(await db.Users.FirstAsync(u => u.Email == BankSteward)))!);
        var stewardSession = server.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInWithCodeAsync(stewardSession, BankSteward, password, stewardKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stewardSession.GetAsync("/actions")).StatusCode);
        var me = await (await contact.GetAsync("/api/me")).ReadAsync<MeResponse>();
        var bankPeople = await (await contact.GetAsync($"/api/organisations/{me.Organisation.Id}/people")).ReadAsync<List<AccountResponse>>();
        var steward = bankPeople.Single(p => p.Email == BankSteward);
        Assert.True(steward.Active && steward.TwoFactor);
        var vaStewardId = await server.WithDbAsync((db, _) => db.People.Where(p => p.Email == VaSteward).Select(p => new { p.Id, p.OrganisationId }).FirstAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await contact.PostAsync($"/api/organisations/{vaStewardId.OrganisationId}/people/{vaStewardId.Id}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await contact.PostAsync($"/api/organisations/{me.Organisation.Id}/people/{vaStewardId.Id}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await contact.PostAsync($"/api/organisations/{me.Organisation.Id}/people/{steward.PersonId}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await contact.PostAsync($"/api/organisations/{me.Organisation.Id}/people/{steward.PersonId}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stewardSession.GetAsync("/actions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client().WithToken(stewardToken).GetAsync("/api/me")).StatusCode);
        var signInAgain = await Http.SignInAsync(server.Client(), BankSteward, password);
        Assert.Equal(HttpStatusCode.Unauthorized, signInAgain.StatusCode);
        Assert.Contains("may not sign in", await signInAgain.Content.ReadAsStringAsync());
        var study = await (await server.Client().WithToken(patToken).GetAsync($"/api/studies/{server.Report.Demo!.StudyId}")).ReadAsync<StudyResponse>();
        Assert.Contains(study.Members, m => m.Name == "Riley Chen");
        Assert.False((await (await contact.GetAsync($"/api/organisations/{me.Organisation.Id}/people")).ReadAsync<List<AccountResponse>>()).Single(p => p.Email == BankSteward).Active);

        // Invitation into the bank by its point of contact: the mailed link creates the account once.
        var invited = await contact.PostAsJsonAsync($"/api/organisations/{me.Organisation.Id}/invitations", new InviteRequest("Quinn.New@Bank.example", "Quinn New"));
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        Assert.DoesNotContain("token", await invited.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var link = PickupMail.LinkIn(PickupMail.To(server, "quinn.new@bank.example"));
        Assert.Equal(server.BaseAddress.Authority, link.Authority);
        secrets.Add(link.Query);
        var invitee = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await invitee.GetAsync(link.PathAndQuery)).StatusCode);
        var accepted = await Forms.PostAsync(invitee, link.PathAndQuery, new() { ["Password"] = "a new password of mine", ["Token"] = Query(link, "token") });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains("Sign out quinn.new@bank.example", await (await invitee.GetAsync("/")).Content.ReadAsStringAsync());
        var reused = await server.Client().GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, reused.StatusCode);
        Assert.Contains("already been used", await reused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await contact.PostAsJsonAsync($"/api/organisations/{me.Organisation.Id}/invitations", new InviteRequest("quinn.new@bank.example", "Again"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await contact.PostAsJsonAsync($"/api/organisations/{me.Organisation.Id}/invitations", new InviteRequest("not an address", "X"))).StatusCode);

        // Invitation into the study by its coordinator, with a role; an expired one is refused and creates nothing.
        var coordinatorApi = server.Client().WithToken(patToken);
        var studyPath = $"/api/studies/{server.Report.Demo!.StudyId}";
        Assert.Equal(HttpStatusCode.Created, (await coordinatorApi.PostAsJsonAsync($"{studyPath}/invitations",
            new StudyInviteRequest("robin.auditor@stats.example", "Robin Auditor", study.Datasets.Single(d => d.Name == "survey").OrganisationId, Smpc.Governance.StudyRole.Auditor))).StatusCode);
        var studyLink = PickupMail.LinkIn(PickupMail.To(server, "robin.auditor@stats.example"));
        secrets.Add(studyLink.Query);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(server.Client(), studyLink.PathAndQuery, new() { ["Password"] = "robin's own password", ["Token"] = Query(studyLink, "token") })).StatusCode);
        study = await (await coordinatorApi.GetAsync(studyPath)).ReadAsync<StudyResponse>();
        Assert.Contains(study.Members, m => m.Name == "Robin Auditor" && m.Role == Smpc.Governance.StudyRole.Auditor);

        Assert.Equal(HttpStatusCode.Created, (await coordinatorApi.PostAsJsonAsync($"{studyPath}/invitations",
            new StudyInviteRequest("late.comer@research.example", "Late Comer", me.Organisation.Id, Smpc.Governance.StudyRole.Analyst))).StatusCode);
        var lateLink = PickupMail.LinkIn(PickupMail.To(server, "late.comer@research.example"));
        await server.WithDbAsync(async (db, _) => await db.Invitations.Where(i => i.Email == "late.comer@research.example")
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        var late = await Forms.PostAsync(server.Client(), "/account/signin", new() { ["Token"] = Query(lateLink, "token"), ["Password"] = "too late for this one" }, lateLink.PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Contains("expired", await late.Content.ReadAsStringAsync());
        Assert.False(await server.WithDbAsync((db, _) => db.People.AnyAsync(p => p.Email == "late.comer@research.example")));

        // Password reset by mail: works once; an unknown address gets the same answer and no mail.
        int mails = PickupMail.Files(server).Length;
        Assert.Equal(HttpStatusCode.OK, (await Forms.PostAsync(server.Client(), "/account/forgot", new() { ["Email"] = "nobody@nowhere.example" })).StatusCode);
        Assert.Equal(mails, PickupMail.Files(server).Length);
        Assert.Equal(HttpStatusCode.OK, (await Forms.PostAsync(server.Client(), "/account/forgot", new() { ["Email"] = Analyst })).StatusCode);
        var reset = PickupMail.LinkIn(PickupMail.To(server, Analyst));
        secrets.Add(Query(reset, "token"));
        var fields = new Dictionary<string, string> { ["Email"] = Query(reset, "email"), ["Token"] = Query(reset, "token"), ["Password"] = "analyst's new password" };
        var done = await Forms.PostAsync(server.Client(), reset.PathAndQuery, new(fields));
        Assert.Contains("Your password is changed", await done.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Gone, (await Forms.PostAsync(server.Client(), reset.PathAndQuery, new(fields) { ["Password"] = "and another new one" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Http.SignInAsync(server.Client(), Analyst, "analyst's new password")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.SignInAsync(server.Client(), Analyst, "and another new one")).StatusCode);

        // Passkeys are stored by the database (Identity's passkeys table, its data as JSON) and found by credential id.
        var credentialId = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await server.WithDbAsync(async (db, users) =>
        {
            var user = await db.Users.FirstAsync(u => u.Email == Analyst);
            var stored = await users.AddOrUpdatePasskeyAsync(user, new Microsoft.AspNetCore.Identity.UserPasskeyInfo(credentialId, [1, 2, 3], DateTimeOffset.UtcNow, 7,
                ["internal"], true, true, false, [4, 5], [6]) { Name = "laptop" });
            Assert.True(stored.Succeeded);
            return 0;
        });
        await server.WithDbAsync(async (db, users) =>
        {
            var owner = await users.FindByPasskeyIdAsync(credentialId);
            Assert.Equal(Analyst, owner!.Email);
            var passkey = Assert.Single(await users.GetPasskeysAsync(owner));
            Assert.Equal(("laptop", 7u), (passkey.Name, passkey.SignCount));
            Assert.Equal([1, 2, 3], passkey.PublicKey);
            return 0;
        });

        // The log has the account events, by id, and none of the secrets.
        var lines = log.Lines;
        Assert.Contains(lines, l => l.Contains("deactivated by person"));
        Assert.Contains(lines, l => l.Contains("Invitation") && l.Contains("accepted"));
        Assert.Contains(lines, l => l.Contains("Password reset link mailed"));
        foreach (var secret in secrets.Where(s => s.Length >= 8))
            Assert.DoesNotContain(lines, l => l.Contains(secret.TrimStart('?')) || l.Contains(Uri.EscapeDataString(secret.TrimStart('?'))));
        Assert.DoesNotContain(lines, l => l.Contains("smpc_pat_") || l.Contains("token="));
    }

    static string OtherThan(string code) => ((int.Parse(code) + 1) % 1_000_000).ToString("D6");

    static string Query(Uri link, string name) =>
        System.Web.HttpUtility.ParseQueryString(link.Query)[name] ?? throw new InvalidOperationException($"no {name} in {link}");
}

public sealed class SqliteAccountTests
{
    [Fact]
    public async Task Two_factor_deactivation_invitations_and_resets_work_as_their_users_would_use_them_on_sqlite()
    {
        var log = new LogSink();
        await using var server = await RegistryServer.StartAsync(demo: true, maxFailedSignIns: 10, configure: o => o with { LogSink = log });
        await AccountScenario.RunAsync(server, log);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountTests(PostgresServer postgres)
{
    [Fact]
    public async Task Two_factor_deactivation_invitations_and_resets_work_as_their_users_would_use_them_on_postgresql()
    {
        var log = new LogSink();
        await using var server = await RegistryServer.StartAsync(connection: await postgres.CreateDatabaseAsync("accounts"), demo: true, maxFailedSignIns: 10,
            configure: o => o with { LogSink = log });
        await AccountScenario.RunAsync(server, log);
    }
}
