using Microsoft.AspNetCore.Authentication;
using Smpc.Governance;
using Smpc.Registry.Data;

namespace Smpc.Registry.Auth;

/// <summary>
/// Enforces each endpoint's <see cref="AccessRule"/> in one place, after authentication and routing: no rule → 403
/// (so a forgotten rule fails closed); no credential → 401 under <c>/api</c> and <c>/health</c>-like JSON paths, a
/// redirect to the sign-in page elsewhere; a deactivated person → 403; a study rule → the study (404 when unknown), the
/// target organisation from the route, and <see cref="StudyPermissions.Check"/>; a coordinator or data steward without
/// two-factor → the enrolment page (403 under <c>/api</c>) on every rule but <see cref="AccessKind.Enrolment"/>. The loaded study is handed to the
/// endpoint in <see cref="HttpContext.Items"/> (<see cref="StudyKey"/>), tracked by the request's context.
/// </summary>
public sealed class AccessMiddleware(RequestDelegate next)
{
    public const string StudyKey = "smpc:study";
    public const string PersonKey = "smpc:person";

    public async Task InvokeAsync(HttpContext context, StudyRepository repository)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            // No endpoint: under /api an anonymous caller learns nothing about which paths exist.
            if (IsApi(context) && RegistryClaims.ActorOf(context.User) is null) await Deny(context, StatusCodes.Status401Unauthorized, "sign in, or send a personal access token");
            else await next(context);
            return;
        }
        var rule = endpoint.Metadata.GetMetadata<AccessRule>();
        if (rule is null) { await Deny(context, StatusCodes.Status403Forbidden, "this endpoint has no access rule"); return; }
        if (rule.Kind == AccessKind.Anonymous) { await next(context); return; }

        var actor = RegistryClaims.ActorOf(context.User);
        if (actor is null)
        {
            if (IsApi(context)) await Deny(context, StatusCodes.Status401Unauthorized, "sign in, or send a personal access token (Authorization: Bearer smpc_pat_…)");
            else await context.ChallengeAsync();
            return;
        }
        var person = await repository.PersonAsync(actor.PersonId, context.RequestAborted);
        if (person is null || !person.Active) { await Deny(context, StatusCodes.Status403Forbidden, "this account is deactivated"); return; }
        context.Items[PersonKey] = person;
        if (rule.Kind != AccessKind.Enrolment && await TwoFactorPolicy.MissingAsync(repository.Db, person.Id, context.RequestAborted))
        {
            if (IsApi(context)) await Deny(context, StatusCodes.Status403Forbidden, $"coordinators and data stewards must use two-factor sign-in: enrol an authenticator at {TwoFactorPolicy.EnrolmentPath} first");
            else context.Response.Redirect(TwoFactorPolicy.EnrolmentPath);
            return;
        }

        if (rule.Kind == AccessKind.Admin && !actor.IsAdmin) { await Deny(context, StatusCodes.Status403Forbidden, "only registry administrators may do this"); return; }
        if (rule.Kind == AccessKind.OrganisationContact)
        {
            var org = Guid.TryParse(context.GetRouteValue("organisationId") as string, out var oid) ? await repository.OrganisationAsync(oid, context.RequestAborted) : null;
            if (org is null) { await Deny(context, StatusCodes.Status404NotFound, "no such organisation"); return; }
            if (!actor.IsAdmin && org.PointOfContactId != actor.PersonId) { await Deny(context, StatusCodes.Status403Forbidden, $"only an administrator or the point of contact of {org.Name} may do this"); return; }
        }
        if (rule.Kind == AccessKind.Study)
        {
            if (!Guid.TryParse(context.GetRouteValue("studyId") as string, out var studyId)
                || await repository.FindAsync(studyId, context.RequestAborted) is not { } study)
            {
                await Deny(context, StatusCodes.Status404NotFound, "no such study");
                return;
            }
            Guid? target = null;
            if (rule.Target == AccessTarget.Dataset)
            {
                var dataset = Guid.TryParse(context.GetRouteValue("datasetId") as string, out var did) ? study.Datasets.FirstOrDefault(d => d.Id == did) : null;
                if (dataset is null) { await Deny(context, StatusCodes.Status404NotFound, "no such dataset in this study"); return; }
                target = dataset.OrganisationId;
            }
            else if (rule.Target == AccessTarget.Organisation)
            {
                if (!Guid.TryParse(context.GetRouteValue("organisationId") as string, out var oid)) { await Deny(context, StatusCodes.Status404NotFound, "no such organisation"); return; }
                target = oid;
            }
            if (StudyPermissions.Check(actor, rule.Action!.Value, study, target) is { } reason)
            {
                await Deny(context, StatusCodes.Status403Forbidden, reason);
                return;
            }
            context.Items[StudyKey] = study;
        }
        await next(context);
    }

    static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    static Task Deny(HttpContext context, int status, string detail) =>
        Results.Problem(statusCode: status, detail: detail).ExecuteAsync(context);
}
