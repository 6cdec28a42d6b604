using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;
using Smpc.Registry.Hosting;
using Smpc.Registry.Mail;

namespace Smpc.Registry.Api;

/// <summary>
/// Accounts through the API: an organisation's people (with whether each is active and has two-factor), invitations by
/// mail (into an organisation by its point of contact, into a study by its coordinator), and deactivation. The rules
/// are on each endpoint (<see cref="AccessKind.OrganisationContact"/>, <see cref="StudyAction.Coordinate"/>).
/// </summary>
public static class AccountEndpoints
{
    public static void MapAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("accounts");
        var org = api.MapGroup("/organisations/{organisationId}");

        org.MapGet("/people", async (Guid organisationId, RegistryDb db) =>
        {
            var people = await db.People.AsNoTracking().Where(p => p.OrganisationId == organisationId).OrderBy(p => p.Email).ToListAsync();
            var accounts = await db.Users.AsNoTracking().Where(u => people.Select(p => p.Id).Contains(u.PersonId)).ToDictionaryAsync(u => u.PersonId);
            return people.Select(p => new AccountResponse(p.Id, p.Name, p.Email, p.Active, accounts.GetValueOrDefault(p.Id)?.TwoFactorEnabled == true,
                accounts.GetValueOrDefault(p.Id)?.DeactivatedAt)).ToList();
        }).Access(AccessKind.OrganisationContact);

        org.MapPost("/invitations", async (Guid organisationId, InviteRequest body, HttpContext ctx, RegistryDb db, RegistryMail mail, RegistryLinks links, TimeProvider clock, ILoggerFactory log) =>
        {
            var organisation = await db.Organisations.FirstAsync(o => o.Id == organisationId);
            return await Invite(log, ctx, () => Invitations.SendAsync(db, mail, links.Base, ApiEndpoints.PersonOf(ctx), organisation, body.Email ?? "", body.Name ?? "",
                null, null, clock.GetUtcNow().UtcDateTime, ctx.RequestAborted));
        }).Access(AccessKind.OrganisationContact);

        org.MapPost("/people/{personId}/deactivate", async (Guid organisationId, Guid personId, HttpContext ctx, RegistryDb db, UserManager<RegistryUser> users, TimeProvider clock, ILoggerFactory log) =>
        {
            var person = await db.People.FirstOrDefaultAsync(p => p.Id == personId && p.OrganisationId == organisationId);
            if (person is null) return Results.Problem(statusCode: 404, detail: "No such person in this organisation.");
            if (person.Id == ApiEndpoints.PersonOf(ctx).Id) return Results.Problem(statusCode: 400, detail: "You cannot deactivate your own account; ask an administrator.");
            if (!await Accounts.DeactivateAsync(db, users, person, clock.GetUtcNow().UtcDateTime, ctx.RequestAborted))
                return Results.Problem(statusCode: 409, detail: $"{person.Name}'s account is already deactivated.");
            log.CreateLogger(LogCategory).LogInformation("Account of person {PersonId} deactivated by person {ActorId}", person.Id, ApiEndpoints.PersonOf(ctx).Id);
            return Results.NoContent();
        }).Access(AccessKind.OrganisationContact);

        org.MapPut("/sign-in", async (Guid organisationId, OrganisationSignInRequest body, RegistryDb db, OrganisationOidc oidc, IServiceProvider services, TimeProvider clock) =>
        {
            if (string.IsNullOrWhiteSpace(body.DisplayName) || string.IsNullOrWhiteSpace(body.ClientId) || !OrganisationOidc.IsAcceptableAuthority(body.Authority ?? ""))
                return Results.Problem(statusCode: 400, detail: "Give displayName, clientId and an HTTPS authority (HTTP only on loopback).");
            var organisation = await db.Organisations.FirstAsync(o => o.Id == organisationId);
            var config = await db.OrganisationSignIns.FirstOrDefaultAsync(s => s.OrganisationId == organisationId);
            if (config is null) db.OrganisationSignIns.Add(config = new OrganisationSignIn { OrganisationId = organisationId, DisplayName = "", Authority = "", ClientId = "" });
            config.DisplayName = body.DisplayName.Trim();
            config.Authority = body.Authority!.Trim();
            config.ClientId = body.ClientId.Trim();
            config.ProtectedClientSecret = string.IsNullOrEmpty(body.ClientSecret) ? null : oidc.Protect(body.ClientSecret);
            config.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync();
            OrganisationOidc.Register(services, organisation.Slug, config.DisplayName);
            return Results.Ok(new OrganisationSignInResponse(organisationId, config.DisplayName, config.Authority, config.ClientId, $"/signin-oidc/{organisation.Slug}"));
        }).Access(AccessKind.Admin);

        api.MapPost("/studies/{studyId}/invitations", async (StudyInviteRequest body, HttpContext ctx, RegistryDb db, RegistryMail mail, RegistryLinks links, TimeProvider clock, ILoggerFactory log) =>
        {
            var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Id == body.OrganisationId);
            if (organisation is null) return Results.Problem(statusCode: 400, detail: "No such organisation.");
            if (body.Role is not { } role) return Results.Problem(statusCode: 400, detail: "A study invitation needs a role.");
            return await Invite(log, ctx, () => Invitations.SendAsync(db, mail, links.Base, ApiEndpoints.PersonOf(ctx), organisation, body.Email ?? "", body.Name ?? "",
                ApiEndpoints.StudyOf(ctx), role, clock.GetUtcNow().UtcDateTime, ctx.RequestAborted));
        }).Access(StudyAction.Coordinate);
    }

    /// <summary>Log category of account events (ids only: never emails, tokens or links).</summary>
    public const string LogCategory = "Smpc.Registry.Accounts";

    static async Task<IResult> Invite(ILoggerFactory log, HttpContext ctx, Func<Task<Invitation>> send)
    {
        try
        {
            var i = await send();
            log.CreateLogger(LogCategory).LogInformation("Invitation {InvitationId} into organisation {OrganisationId} sent by person {ActorId}", i.Id, i.OrganisationId, ApiEndpoints.PersonOf(ctx).Id);
            return Results.Created($"/api/invitations/{i.Id}", new InvitationResponse(i.Id, i.Email, i.OrganisationId, i.StudyId, i.Role, i.ExpiresAt));
        }
        catch (ArgumentException e) { return Results.Problem(statusCode: 400, detail: e.Message); }
        catch (InvalidOperationException e) { return Results.Problem(statusCode: 409, detail: e.Message); }
        catch (MailNotSentException e) { return Results.Problem(statusCode: 503, detail: e.Message); }
    }
}

/// <summary>An organisation's OpenID Connect provider; the secret is stored protected and never returned.</summary>
public sealed record OrganisationSignInRequest(string? DisplayName, string? Authority, string? ClientId, string? ClientSecret);

public sealed record OrganisationSignInResponse(Guid OrganisationId, string DisplayName, string Authority, string ClientId, string CallbackPath);

public sealed record InviteRequest(string? Email, string? Name);

public sealed record StudyInviteRequest(string? Email, string? Name, Guid OrganisationId, StudyRole? Role);

/// <summary>The invitation as recorded; the token is only in the mail.</summary>
public sealed record InvitationResponse(Guid Id, string Email, Guid OrganisationId, Guid? StudyId, StudyRole? Role, DateTime ExpiresAt);

public sealed record AccountResponse(Guid PersonId, string Name, string Email, bool Active, bool TwoFactor, DateTime? DeactivatedAt);
