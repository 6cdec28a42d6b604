using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Smpc.Registry.Api;
using Smpc.Registry.Mail;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>Mail by SMTP when <c>DIR/smtp.json</c> says so, over a real socket to <see cref="SmtpSink"/>; an invitation
/// whose mail cannot be sent is not recorded; a malformed settings file is refused with its name.</summary>
public sealed class MailTests
{
    [Fact]
    public async Task Settings_from_smtp_json_send_the_invitation_by_smtp()
    {
        await using var sink = new SmtpSink();
        await using var server = await RegistryServer.StartAsync(demo: true, configure: o =>
        {
            Directory.CreateDirectory(o.DataDirectory);
            File.WriteAllText(Path.Combine(o.DataDirectory, "smtp.json"), $$"""{"from": "registry@agency.example", "smtpHost": "127.0.0.1", "smtpPort": {{sink.Port}}, "smtpTls": false}""");
            return o;
        });
        var (contact, bank) = await ContactAsync(server);
        Assert.Equal(HttpStatusCode.Created, (await contact.PostAsJsonAsync($"/api/organisations/{bank}/invitations", new InviteRequest("by.smtp@bank.example", "By Smtp"))).StatusCode);
        string message = Assert.Single(sink.Messages);
        Assert.Contains("To: by.smtp@bank.example", message);
        Assert.Contains("From: registry@agency.example", message);
        Assert.Contains("/account/invitation?token", message);
        Assert.Empty(PickupMail.Files(server));
    }

    [Fact]
    public async Task An_invitation_whose_mail_cannot_be_sent_is_not_recorded()
    {
        int closedPort;
        using (var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0)) { l.Start(); closedPort = ((IPEndPoint)l.LocalEndpoint).Port; }
        await using var server = await RegistryServer.StartAsync(demo: true, configure: o => o with
        {
            Mail = new MailSettings { SmtpHost = "127.0.0.1", SmtpPort = closedPort, SmtpTls = false },
        });
        var (contact, bank) = await ContactAsync(server);
        var response = await contact.PostAsJsonAsync($"/api/organisations/{bank}/invitations", new InviteRequest("lost@bank.example", "Lost"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("nothing was recorded", await response.Content.ReadAsStringAsync());
        Assert.False(await server.WithDbAsync((db, _) => db.Invitations.AnyAsync()));
    }

    [Fact]
    public async Task A_reset_link_past_its_lifetime_is_refused_and_the_password_unchanged()
    {
        await using var server = await RegistryServer.StartAsync(demo: true, configure: o => o with { ResetLinkLifetime = TimeSpan.FromSeconds(1) });
        const string email = "alex.rivera@research.example";
        Assert.Equal(HttpStatusCode.OK, (await Forms.PostAsync(server.Client(), "/account/forgot", new() { ["Email"] = email })).StatusCode);
        var link = PickupMail.LinkIn(PickupMail.To(server, email));
        Assert.Contains("1 seconds", PickupMail.To(server, email));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        var late = await Forms.PostAsync(server.Client(), link.PathAndQuery, new() { ["Email"] = query["email"]!, ["Token"] = query["token"]!, ["Password"] = "a password too late" });
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Contains("expired or has been used", await late.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await Http.SignInAsync(server.Client(), email, server.Report.Demo!.Password!)).StatusCode);
    }

    [Fact]
    public async Task Mailed_links_use_the_public_url_not_the_requests_host_header()
    {
        await using var server = await RegistryServer.StartAsync(demo: true, configure: o => o with { PublicUrl = "https://registry.agency.example/" });
        var (contact, bank) = await ContactAsync(server);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/organisations/{bank}/invitations") { Content = JsonContent.Create(new InviteRequest("via.proxy@bank.example", "Via Proxy")) };
        request.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.Created, (await contact.SendAsync(request)).StatusCode);
        var link = PickupMail.LinkIn(PickupMail.To(server, "via.proxy@bank.example"));
        Assert.Equal("https://registry.agency.example", link.GetLeftPart(UriPartial.Authority));
        Assert.Throws<ArgumentException>(() => Smpc.Registry.Hosting.RegistryApp.Build(new Smpc.Registry.Hosting.RegistryOptions { PublicUrl = "registry.agency.example", DataDirectory = server.DataDirectory }));
    }

    [Fact]
    public void A_malformed_smtp_json_is_refused_with_its_name()
    {
        string dir = Path.Combine(Path.GetTempPath(), "smpc-mail-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "smtp.json"), "{ not json");
            var e = Assert.Throws<ArgumentException>(() => MailSettings.Load(dir));
            Assert.Contains("smtp.json", e.Message);
            File.Delete(Path.Combine(dir, "smtp.json"));
            Assert.Equal(Path.Combine(Path.GetFullPath(dir), "mail"), MailSettings.Load(dir).PickupDirectory);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    static async Task<(HttpClient Contact, Guid Bank)> ContactAsync(RegistryServer server)
    {
        var contact = server.Client().WithToken(await Http.TokenAsync(server, "morgan.ellis@bank.example"));
        var bank = await server.WithDbAsync((db, _) => db.Organisations.Where(o => o.Slug == "bank").Select(o => o.Id).FirstAsync());
        return (contact, bank);
    }
}
