using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Api;

/// <summary>
/// The study plan and its conflict check, the coordinator's critical path, "my studies" with status per organisation,
/// and each terms version as a brief for legal reviewers and as an ODRL 2.2 policy (JSON-LD). Mapped into the
/// <c>/api</c> group of <see cref="ApiEndpoints"/>, so the same refusal filter turns lifecycle rules into 409 and
/// permission rules into 403; each endpoint states its <see cref="AccessRule"/>.
/// </summary>
public static class PlanningEndpoints
{
    public static void MapPlanningApi(this RouteGroupBuilder api)
    {
        api.MapGet("/my/studies", async (HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var p = ApiEndpoints.PersonOf(ctx);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            return (await repo.ForPersonAsync(p, ctx.RequestAborted)).Select(s => StudyStatus.Of(s, p.Id, today)).ToList();
        }).Access(AccessKind.Authenticated);

        api.MapGet("/my/critical-path", async (HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var p = ApiEndpoints.PersonOf(ctx);
            var now = clock.GetUtcNow().UtcDateTime;
            return (await repo.ForPersonAsync(p, ctx.RequestAborted)).Where(s => s.Has(p.Id, StudyRole.Coordinator))
                .Select(s => CriticalPath.Of(s, now)).ToList();
        }).Access(AccessKind.Authenticated);

        var study = api.MapGroup("/studies/{studyId}");

        study.MapGet("/plan", (HttpContext ctx) => Plan(ApiEndpoints.StudyOf(ctx))).Access(StudyAction.View);

        study.MapPut("/plan", async (StudyPlan body, HttpContext ctx, StudyRepository repo, TimeProvider clock) =>
        {
            var s = ApiEndpoints.StudyOf(ctx);
            StudyLifecycle.SetPlan(s, RegistryClaims.ActorOf(ctx.User)!, body, clock.GetUtcNow().UtcDateTime);
            await repo.SaveAsync(ctx.RequestAborted);
            return Plan(s);
        }).Access(StudyAction.Coordinate);

        study.MapGet("/conflicts", (HttpContext ctx) => TermsConflicts.Of(ApiEndpoints.StudyOf(ctx))).Access(StudyAction.View);

        study.MapGet("/critical-path", (HttpContext ctx, TimeProvider clock) => CriticalPath.Of(ApiEndpoints.StudyOf(ctx), clock.GetUtcNow().UtcDateTime))
            .Access(StudyAction.View);

        study.MapGet("/datasets/{datasetId}/terms/brief", (Guid datasetId, int? version, HttpContext ctx) =>
        {
            var (d, v) = Version(ApiEndpoints.StudyOf(ctx), datasetId, version);
            return TermsBrief.Of(d, v);
        }).Access(StudyAction.View, AccessTarget.Dataset);

        study.MapGet("/datasets/{datasetId}/terms/odrl", (Guid datasetId, int? version, HttpContext ctx) =>
        {
            var (d, v) = Version(ApiEndpoints.StudyOf(ctx), datasetId, version);
            return Results.Text(OdrlPolicy.Of(d, v).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), "application/ld+json");
        }).Access(StudyAction.View, AccessTarget.Dataset);
    }

    /// <summary>A dataset's terms version (the current one when <paramref name="version"/> is null); refused naming
    /// what is missing.</summary>
    internal static (Dataset Dataset, TermsVersion Version) Version(Study study, Guid datasetId, int? version)
    {
        var d = study.Datasets.First(x => x.Id == datasetId);
        var v = version is { } n ? d.TermsVersions.FirstOrDefault(x => x.Version == n) : d.CurrentTerms;
        return v is null
            ? throw new TransitionRefusedException(version is null ? $"dataset '{d.Name}' has no terms" : $"dataset '{d.Name}' has no terms version {version}")
            : (d, v);
    }

    static PlanResponse Plan(Study s) => new(s.Plan, TermsConflicts.Of(s));
}
