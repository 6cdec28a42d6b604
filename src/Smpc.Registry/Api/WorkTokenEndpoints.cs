using Smpc.Governance;
using Smpc.Governance.Gating;
using Smpc.Governance.Transparency;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;
using Smpc.Registry.Transparency;

namespace Smpc.Registry.Api;

/// <summary>
/// Work tokens for registry-gated computation: the study's analyst asks for a short-lived token
/// (<c>POST /api/studies/{id}/work-token</c>), issued only in the analysis stage under approved, unexpired terms
/// (refusals: 409 with the rule); the compute parties check it offline with the registry's token key
/// (<c>GET /api/work-token-key</c>, pinned in their configuration). Every issue is a log entry.
/// </summary>
public static class WorkTokenEndpoints
{
    /// <summary>The registry's token key, kept beside the log key (DIR/transparency/token.key).</summary>
    public sealed record TokenKey(LogKey Key);

    public static void MapWorkTokenApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/work-token-key", (TokenKey key) => new { name = key.Key.Name, keyId = key.Key.Public.KeyId, publicKey = Convert.ToBase64String(key.Key.Public.Key) })
            .Access(AccessKind.Authenticated);

        api.MapPost("/studies/{studyId}/work-token", async (HttpContext ctx, TokenKey key, RegistryDb db, TimeProvider clock) =>
        {
            var study = ApiEndpoints.StudyOf(ctx);
            var person = ApiEndpoints.PersonOf(ctx);
            var now = ApiEndpoints.Now(clock);
            var claims = WorkTokens.Claims(study, ApiEndpoints.ActorOf(ctx), person.Email, now);
            var token = StudyToken.Issue(key.Key, claims);
            db.Record(new LogRecord(LogEntryKind.WorkToken, now, $"Work token issued to {person.Email} until {claims.Expires:yyyy-MM-dd HH:mm}Z.", study.Id.ToString(), person.Id.ToString())
            {
                Data = new Dictionary<string, string> { ["tokenId"] = claims.Id, ["expires"] = claims.Expires.ToString("O") },
            });
            await db.SaveChangesAsync(ctx.RequestAborted);
            return Results.Ok(new { token, expires = claims.Expires, id = claims.Id });
        }).Access(StudyAction.Analyse);
    }
}
