using System.Text.Json;
using Microsoft.EntityFrameworkCore;
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
/// A token is revoked at the registry (<c>POST /api/studies/{id}/work-tokens/{tokenId}/revocation</c>: the analyst it was
/// issued to, the study's coordinator or an administrator), which is a log entry too (kind WorkToken, data
/// <c>revokedTokenId</c>, <c>revokedBy</c>); the study's revoked token ids are listed at
/// <c>GET /api/studies/{id}/work-tokens/revoked</c>, which a registry-gated compute party reads before it accepts a
/// request (TokenRevocations.cs) — the list is derived from the log itself, so it can only grow.
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

        api.MapPost("/studies/{studyId}/work-tokens/{tokenId}/revocation", async (string tokenId, HttpContext ctx, RegistryDb db, TimeProvider clock) =>
        {
            var study = ApiEndpoints.StudyOf(ctx);
            var person = ApiEndpoints.PersonOf(ctx);
            var actor = ApiEndpoints.ActorOf(ctx);
            var entries = await EntriesAsync(db, study.Id.ToString(), ctx.RequestAborted);
            var issued = entries.FirstOrDefault(e => e.Data.TryGetValue("tokenId", out var id) && id == tokenId);
            if (issued is null) return Results.Problem(statusCode: 404, detail: $"The registry issued no work token {tokenId} for this study.");
            bool coordinator = study.RolesOf(person.Id).Contains(StudyRole.Coordinator);
            string role = actor.IsAdmin ? "administrator" : coordinator ? "coordinator" : "analyst";
            if (!actor.IsAdmin && !coordinator && issued.Actor != person.Id.ToString())
                return Results.Problem(statusCode: 403, detail: $"Work token {tokenId} was issued to another analyst: only the analyst it was issued to, the study's coordinator or a registry administrator may revoke it.");
            if (entries.FirstOrDefault(e => e.Data.TryGetValue(RevokedKey, out var id) && id == tokenId) is { } earlier)
                return Results.Ok(new WorkTokenRevocation(tokenId, earlier.Time, earlier.Data.GetValueOrDefault("revokedBy") ?? "", earlier.Index));
            var now = ApiEndpoints.Now(clock);
            var data = new Dictionary<string, string> { [RevokedKey] = tokenId, ["revokedBy"] = person.Email, ["revokedAs"] = role };
            db.Record(new LogRecord(LogEntryKind.WorkToken, now, $"Work token {tokenId} revoked by {person.Email} ({role}).", study.Id.ToString(), person.Id.ToString()) { Data = data });
            await db.SaveChangesAsync(ctx.RequestAborted);
            // The entry this save appended (the only log row this request's context holds).
            long index = db.ChangeTracker.Entries<LogEntryRow>().Max(e => e.Entity.Position);
            return Results.Ok(new WorkTokenRevocation(tokenId, now, person.Email, index));
        }).Access(StudyAction.RevokeWorkToken);

        // Every revoked token id of the study, for its compute parties (and anyone who may see the study: the same ids
        // are in the study's log entries, GET /api/studies/{id}/log).
        api.MapGet("/studies/{studyId}/work-tokens/revoked", async (HttpContext ctx, RegistryDb db) =>
        {
            var study = ApiEndpoints.StudyOf(ctx);
            var revoked = (await EntriesAsync(db, study.Id.ToString(), ctx.RequestAborted))
                .Where(e => e.Data.ContainsKey(RevokedKey)).Select(e => e.Data[RevokedKey]).Distinct(StringComparer.Ordinal).ToList();
            return Results.Ok(new RevokedWorkTokens(study.Id.ToString(), revoked));
        }).Access(StudyAction.View);
    }

    /// <summary>The data key of a revocation's log entry that names the revoked token.</summary>
    public const string RevokedKey = "revokedTokenId";

    /// <summary>The study's work-token log entries (issues and revocations), oldest first.</summary>
    static async Task<List<LogEntry>> EntriesAsync(RegistryDb db, string studyId, CancellationToken ct)
    {
        string kind = nameof(LogEntryKind.WorkToken);
        var rows = await db.LogEntries.AsNoTracking().Where(e => e.Kind == kind && e.Study == studyId).OrderBy(e => e.Position).Select(e => e.Canonical).ToListAsync(ct);
        return rows.Select(r =>
        {
            using var doc = JsonDocument.Parse(r);
            return LogEntry.Read(doc.RootElement, "work-token entry");
        }).ToList();
    }
}

/// <summary>A revoked work token: when, by whom, and the log entry that records it.</summary>
public sealed record WorkTokenRevocation(string TokenId, DateTime RevokedAt, string RevokedBy, long LogIndex);

/// <summary>A study's revoked work-token ids.</summary>
public sealed record RevokedWorkTokens(string Study, IReadOnlyList<string> Revoked);
