using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance.DataUse;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;
using Smpc.Registry.Hosting;

namespace Smpc.Registry.Api;

/// <summary>
/// The JSON API under <c>/api</c>. Every endpoint states its access rule (<see cref="AccessRule"/>), enforced by
/// <see cref="AccessMiddleware"/> before the handler runs; the handlers call the governance rules, which check the
/// actor's right again and refuse with the unmet criterion (409, <c>unmet</c> lists each).
/// </summary>
public static class ApiEndpoints
{
    public static void MapRegistryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter(Refusals).WithTags("registry");
        api.MapLogApi();
        api.MapReviewApi();
        api.MapWorkTokenApi();

        api.MapGet("/me", (HttpContext ctx) =>
        {
            var p = PersonOf(ctx);
            return new MeResponse(p.Id, p.Name, p.Email, Org(p.Organisation), RegistryClaims.ActorOf(ctx.User)!.IsAdmin, p.Organisation.PointOfContactId == p.Id);
        }).Access(AccessKind.Authenticated);

        api.MapGet("/studies", async (HttpContext ctx, StudyRepository repo) =>
        {
            var p = PersonOf(ctx);
            return (await repo.ForPersonAsync(p, ctx.RequestAborted)).Select(s => StudyViews.Summary(s, p.Id)).ToList();
        }).Access(AccessKind.Authenticated);

        api.MapPost("/studies", async (CreateStudyRequest body, HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var study = StudyLifecycle.Create(body.Title ?? "", body.Purpose ?? "", PersonOf(ctx), Now(clock));
            repo.Add(study);
            await repo.SaveAsync(ctx.RequestAborted);
            return Results.Created($"/api/studies/{study.Id}", StudyViews.Detail(study, Today(clock)));
        }).Access(AccessKind.Authenticated);

        api.MapGet("/actions", async (HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var p = PersonOf(ctx);
            var now = Now(clock);
            var studies = await repo.ForPersonAsync(p, ctx.RequestAborted);
            return MyActions.For(p, studies, now, await ReviewEndpoints.PendingAsync(repo.Db, studies, ctx.RequestAborted))
                .Select(a => new ActionResponse(a.StudyId, a.StudyTitle, a.Kind, a.Text, a.Since, Math.Round(a.Waited(now).TotalDays, 1))).ToList();
        }).Access(AccessKind.Authenticated);

        api.MapGet("/organisations", async (RegistryDb db) =>
            (await db.Organisations.Include(o => o.PointOfContact).ToListAsync()).OrderBy(o => o.Name, StringComparer.Ordinal).Select(Org).ToList())
            .Access(AccessKind.Authenticated);

        api.MapPost("/organisations", async (CreateOrganisationRequest body, RegistryDb db) =>
        {
            if (string.IsNullOrWhiteSpace(body.Slug) || string.IsNullOrWhiteSpace(body.Name)) return Results.Problem(statusCode: 400, detail: "An organisation needs a slug and a name.");
            if (await db.Organisations.AnyAsync(o => o.Slug == body.Slug)) return Results.Problem(statusCode: 409, detail: $"Organisation '{body.Slug}' exists.");
            var org = new Organisation { Slug = body.Slug.Trim(), Name = body.Name.Trim() };
            db.Organisations.Add(org);
            await db.SaveChangesAsync();
            return Results.Created($"/api/organisations/{org.Id}", Org(org));
        }).Access(AccessKind.Admin);

        api.MapPost("/people", async (CreatePersonRequest body, RegistryDb db, UserManager<RegistryUser> users) =>
        {
            var org = await db.Organisations.FirstOrDefaultAsync(o => o.Id == body.OrganisationId);
            if (org is null) return Results.Problem(statusCode: 400, detail: "No such organisation.");
            if (string.IsNullOrWhiteSpace(body.Name) || string.IsNullOrWhiteSpace(body.Email)) return Results.Problem(statusCode: 400, detail: "A person needs a name and an email.");
            var (person, _, password) = await Accounts.CreateAsync(db, users, org, body.Name, body.Email, body.IsAdmin);
            if (body.PointOfContact) { org.PointOfContactId = person.Id; await db.SaveChangesAsync(); }
            return Results.Created($"/api/people/{person.Id}", new CreatePersonResponse(person.Id, person.Email, password));
        }).Access(AccessKind.Admin);

        api.MapPost("/tokens", async (CreateTokenRequest body, HttpContext ctx, RegistryDb db, UserManager<RegistryUser> users, TimeProvider clock) =>
        {
            var user = await users.GetUserAsync(ctx.User) ?? await db.Users.FirstAsync(u => u.PersonId == PersonOf(ctx).Id);
            int days = Math.Clamp(body.Days ?? 30, 1, 365);
            var now = Now(clock);
            string token = PersonalAccessTokens.Issue(db, user, string.IsNullOrWhiteSpace(body.Name) ? "token" : body.Name.Trim(), now, TimeSpan.FromDays(days));
            await db.SaveChangesAsync();
            return new CreateTokenResponse(token, now.AddDays(days));
        }).Access(AccessKind.Authenticated);

        api.MapPlanningApi();

        var study = api.MapGroup("/studies/{studyId}");

        study.MapGet("", (HttpContext ctx, TimeProvider clock) => StudyViews.Detail(StudyOf(ctx), Today(clock)))
            .Access(StudyAction.View);

        study.MapPost("/advance", async (HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var stage = StudyLifecycle.Advance(StudyOf(ctx), ActorOf(ctx), Now(clock));
            await repo.SaveAsync(ctx.RequestAborted);
            return new StageResponse(stage);
        }).Access(StudyAction.Coordinate);

        study.MapPost("/members", async (AddMemberRequest body, HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var person = await repo.PersonAsync(body.PersonId, ctx.RequestAborted);
            if (person is null) return Results.Problem(statusCode: 400, detail: "No such person.");
            StudyLifecycle.AddMember(StudyOf(ctx), ActorOf(ctx), person, body.Role, Now(clock));
            await repo.SaveAsync(ctx.RequestAborted);
            return Results.Ok(StudyViews.Detail(StudyOf(ctx), Today(clock)));
        }).Access(StudyAction.Coordinate);

        study.MapPost("/datasets", async (AddDatasetRequest body, HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var org = await repo.OrganisationAsync(body.OrganisationId, ctx.RequestAborted);
            if (org is null) return Results.Problem(statusCode: 400, detail: "No such organisation.");
            var dataset = StudyLifecycle.AddDataset(StudyOf(ctx), ActorOf(ctx), body.Name ?? "", org, Now(clock));
            await repo.SaveAsync(ctx.RequestAborted);
            return Results.Created($"/api/studies/{dataset.StudyId}/datasets/{dataset.Id}", StudyViews.Detail(StudyOf(ctx), Today(clock)));
        }).Access(StudyAction.Coordinate);

        study.MapGet("/datasets/{datasetId}/terms", (Guid datasetId, HttpContext ctx) =>
            StudyViews.TermsHistory(StudyOf(ctx).Datasets.First(d => d.Id == datasetId)))
            .Access(StudyAction.View, AccessTarget.Dataset);

        study.MapPut("/datasets/{datasetId}/terms", async (Guid datasetId, DataUseTerms terms, HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var s = StudyOf(ctx);
            var version = StudyLifecycle.DocumentTerms(s, ActorOf(ctx), s.Datasets.First(d => d.Id == datasetId), terms, Now(clock));
            await repo.SaveAsync(ctx.RequestAborted);
            return new TermsVersionResponse(version.Version, version.Hash, version.DocumentedAt);
        }).Access(StudyAction.DocumentTerms, AccessTarget.Dataset);

        study.MapPost("/datasets/{datasetId}/approvals", async (Guid datasetId, ApproveRequest body, HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var s = StudyOf(ctx);
            var approval = StudyLifecycle.ApproveTerms(s, ActorOf(ctx), s.Datasets.First(d => d.Id == datasetId), body.TermsHash ?? "", Now(clock));
            await repo.SaveAsync(ctx.RequestAborted);
            return new TermsVersionResponse(approval.TermsVersion, approval.TermsHash, approval.ApprovedAt);
        }).Access(StudyAction.ApproveTerms, AccessTarget.Dataset);

        study.MapPost("/datasets/{datasetId}/uploads", async (Guid datasetId, UploadRequest body, HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var s = StudyOf(ctx);
            StudyLifecycle.RecordUpload(s, ActorOf(ctx), s.Datasets.First(d => d.Id == datasetId), body.ManifestSha256 ?? "", Now(clock));
            await repo.SaveAsync(ctx.RequestAborted);
            return Results.NoContent();
        }).Access(StudyAction.RecordUpload, AccessTarget.Dataset);

        study.MapPost("/organisations/{organisationId}/commitment", async (Guid organisationId, CommitmentRequest body, HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var org = await repo.OrganisationAsync(organisationId, ctx.RequestAborted);
            if (org is null) return Results.Problem(statusCode: 404, detail: "No such organisation.");
            var c = StudyLifecycle.RecordCommitment(StudyOf(ctx), ActorOf(ctx), org, body.Role ?? "", body.Deliverables ?? "", body.DueBy, Now(clock));
            await repo.SaveAsync(ctx.RequestAborted);
            return Results.Ok(new CommitmentResponse(org.Id, org.Name, c.Role, c.Deliverables, c.DueBy, c.RecordedAt));
        }).Access(StudyAction.RecordCommitment, AccessTarget.Organisation);

        study.MapPost("/organisations/{organisationId}/destruction", async (Guid organisationId, HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var org = await repo.OrganisationAsync(organisationId, ctx.RequestAborted);
            if (org is null) return Results.Problem(statusCode: 404, detail: "No such organisation.");
            StudyLifecycle.AttestDestruction(StudyOf(ctx), ActorOf(ctx), org, Now(clock));
            await repo.SaveAsync(ctx.RequestAborted);
            return Results.NoContent();
        }).Access(StudyAction.AttestDestruction, AccessTarget.Organisation);
    }

    /// <summary>Governance refusals as problem responses: a lifecycle rule → 409 with each unmet criterion; a
    /// permission rule → 403 with the rule.</summary>
    static async ValueTask<object?> Refusals(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try { return await next(context); }
        catch (TransitionRefusedException e)
        {
            return Results.Problem(statusCode: 409, title: "Refused by the study lifecycle", detail: e.Message,
                extensions: new Dictionary<string, object?> { ["unmet"] = e.Unmet });
        }
        catch (AccessDeniedException e) { return Results.Problem(statusCode: 403, detail: e.Message); }
        catch (Smpc.Governance.Gating.StudyTokenRefusal e)
        {
            return Results.Problem(statusCode: 409, title: "No work token", detail: e.Message, extensions: new Dictionary<string, object?> { ["rule"] = e.Rule });
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
        {
            return Results.Problem(statusCode: 409, title: "The study changed meanwhile", detail: "Someone else changed this study while your request ran; read it again and retry.");
        }
        catch (ArgumentException e) { return Results.Problem(statusCode: 400, detail: e.Message); }
    }

    static OrganisationResponse Org(Organisation o) => new(o.Id, o.Slug, o.Name, o.PointOfContactId, o.PointOfContact?.Name);

    internal static Person PersonOf(HttpContext ctx) => (Person)ctx.Items[AccessMiddleware.PersonKey]!;

    internal static Study StudyOf(HttpContext ctx) => (Study)ctx.Items[AccessMiddleware.StudyKey]!;

    internal static Actor ActorOf(HttpContext ctx) => RegistryClaims.ActorOf(ctx.User)!;

    internal static DateTime Now(TimeProvider clock) => clock.GetUtcNow().UtcDateTime;

    static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
