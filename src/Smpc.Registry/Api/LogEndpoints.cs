using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Governance.Transparency;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;
using Smpc.Registry.Transparency;

namespace Smpc.Registry.Api;

/// <summary>
/// The transparency log over HTTP: the latest signed head and consistency proofs for anyone signed in (hashes only),
/// a study's own entries with inclusion proofs for those who may see the study, the whole export for administrators,
/// witness keys registered by administrators, and cosignatures posted by witnesses (authenticated by the witness's
/// signature on the head, checked here); one entry's inclusion proof; and what a compute party computed, posted by the
/// party service with its compute operator's credential (<see cref="ComputationRecord"/>).
/// </summary>
public static class LogEndpoints
{
    public static void MapLogApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/log/head", async (RegistryDb db, CancellationToken ct) =>
            await RegistryLogExport.LatestHeadAsync(db, ct) is { } head ? Results.Text(head.ToJson(), "application/json") : Results.Problem(statusCode: 404, detail: "The log is empty."))
            .Access(AccessKind.Authenticated);

        api.MapGet("/log/consistency", async (long? from, long? to, RegistryDb db, CancellationToken ct) =>
        {
            var export = await RegistryLogExport.ReadAsync(db, ct);
            long size = to ?? export.Entries.Count, old = from ?? size;
            if (old < 0 || old > size || size > export.Entries.Count)
                return Results.Problem(statusCode: 400, detail: $"from={old}, to={size}: need 0 ≤ from ≤ to ≤ {export.Entries.Count}.");
            var leaves = export.Entries.Select(e => e.LeafHash()).ToList();
            return Results.Ok(new ConsistencyResponse(old, size, MerkleTree.ConsistencyProof(leaves, (int)old, (int)size).Select(Convert.ToHexStringLower).ToList()));
        }).Access(AccessKind.Authenticated);

        api.MapGet("/log/export", async (RegistryDb db, CancellationToken ct) =>
            Results.Text((await RegistryLogExport.ReadAsync(db, ct)).ToJson(), "application/json"))
            .Access(AccessKind.Admin);

        api.MapGet("/studies/{studyId}/log", async (Guid studyId, RegistryDb db, CancellationToken ct) =>
        {
            var export = await RegistryLogExport.ReadAsync(db, ct);
            if (export.Heads.Count == 0) return Results.Text("[]", "application/json");
            var head = export.Heads[^1];
            var leaves = export.Entries.Select(e => e.LeafHash()).ToList();
            var proofs = export.Entries.Where(e => e.Study == studyId.ToString() && e.Index < head.Size)
                .Select(e => new InclusionProof(e, head, MerkleTree.InclusionProof(leaves, e.Index, (int)head.Size)).ToJson());
            return Results.Text("[" + string.Join(",", proofs) + "]", "application/json");
        }).Access(StudyAction.View);

        api.MapGet("/studies/{studyId}/log/{index:long}", async (Guid studyId, long index, RegistryDb db, CancellationToken ct) =>
        {
            var export = await RegistryLogExport.ReadAsync(db, ct);
            if (export.Heads.Count == 0 || index < 0 || index >= export.Entries.Count || export.Entries[(int)index].Study != studyId.ToString())
                return Results.Problem(statusCode: 404, detail: $"The study has no log entry {index}.");
            var head = export.Heads[^1];
            var leaves = export.Entries.Select(e => e.LeafHash()).ToList();
            return Results.Text(new InclusionProof(export.Entries[(int)index], head, MerkleTree.InclusionProof(leaves, index, (int)head.Size)).ToJson(), "application/json");
        }).Access(StudyAction.View);

        // A compute party's record of what it computed for an analyst (a query, release or refusal), posted by the party
        // service with its compute operator's credential; each of the three parties posts its own.
        api.MapPost("/studies/{studyId}/log/computations", async (ComputationRecord body, HttpContext ctx, RegistryDb db, TimeProvider clock) =>
        {
            var study = ApiEndpoints.StudyOf(ctx);
            var person = ApiEndpoints.PersonOf(ctx);
            if (body.Problem(study.Datasets.Select(d => d.Name).ToHashSet(StringComparer.Ordinal)) is { } problem)
                return Results.Problem(statusCode: 400, detail: $"The computation cannot be logged: {problem}.");
            if (body.TokenId is { } tokenId)
            {
                string sid = study.Id.ToString(), kind = nameof(LogEntryKind.WorkToken), quoted = $"\"tokenId\":\"{tokenId}\"";
                if (!await db.LogEntries.AnyAsync(e => e.Kind == kind && e.Study == sid && e.Canonical.Contains(quoted), ctx.RequestAborted))
                    return Results.Problem(statusCode: 400, detail: $"The computation cannot be logged: work token {tokenId} was not issued for this study.");
            }
            var now = ApiEndpoints.Now(clock);
            db.Record(new LogRecord(body.EntryKind, now, body.Summary(person.Organisation.Name), study.Id.ToString(), person.Id.ToString())
            {
                Data = body.Data(person.OrganisationId.ToString()),
            });
            // A release that spent ε is charged to each contributing dataset's budget at this party (its privacy-budget
            // ledger): one budget-spend entry per dataset, in the same transaction as the release's entry.
            if (body.Kind == ComputationRecord.ReleaseKind && body.Epsilon is > 0)
                foreach (var spend in body.BudgetSpends(person.Organisation.Name, person.OrganisationId.ToString()))
                    db.Record(new LogRecord(LogEntryKind.BudgetSpend, now, spend.Summary, study.Id.ToString(), person.Id.ToString()) { Data = spend.Data });
            await db.SaveChangesAsync(ctx.RequestAborted);
            // The entry this save appended (the only log row this request's context holds).
            long index = db.ChangeTracker.Entries<LogEntryRow>().Select(e => e.Entity).Where(r => r.Kind == body.EntryKind.ToString()).Max(r => r.Position);
            var proof = $"/api/studies/{study.Id}/log/{index}";
            return Results.Created(proof, new ComputationLogged(index, proof));
        }).Access(StudyAction.LogComputation);

        api.MapPost("/log/witnesses", async (WitnessKeyRequest body, RegistryDb db, TimeProvider clock, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.Name) || body.PublicKey is null) return Results.Problem(statusCode: 400, detail: "A witness needs a name and an Ed25519 public key (base64).");
            byte[] key;
            try { key = Convert.FromBase64String(body.PublicKey); } catch (FormatException) { return Results.Problem(statusCode: 400, detail: "publicKey is not base64."); }
            if (key.Length != 32) return Results.Problem(statusCode: 400, detail: "publicKey is not a 32-byte Ed25519 key.");
            var pub = new LogPublicKey(body.Name.Trim(), key);
            if (await db.LogKeys.AnyAsync(k => k.KeyId == pub.KeyId, ct)) return Results.Problem(statusCode: 409, detail: $"Witness key {pub.KeyId} is registered.");
            db.LogKeys.Add(new LogKeyRow { KeyId = pub.KeyId, Kind = "witness", Name = pub.Name, PublicKey = body.PublicKey, Added = clock.GetUtcNow().UtcDateTime });
            db.Record(new LogRecord(LogEntryKind.Account, clock.GetUtcNow().UtcDateTime, $"Witness {pub} registered."));
            await db.SaveChangesAsync(ct);
            return Results.Created("/api/log/head", new { keyId = pub.KeyId });
        }).Access(AccessKind.Admin);

        api.MapPost("/log/cosignatures", async (CosignatureRequest body, RegistryDb db, CancellationToken ct) =>
        {
            if (body.Witness is null || body.KeyId is null || body.Signature is null || body.Size <= 0)
                return Results.Problem(statusCode: 400, detail: "A cosignature needs size, witness, keyId, time and signature.");
            var keyRow = await db.LogKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyId == body.KeyId && k.Kind == "witness", ct);
            if (keyRow is null) return Results.Problem(statusCode: 400, detail: $"Witness key {body.KeyId} is not registered.");
            var headJson = await db.LogHeads.AsNoTracking().Where(h => h.Size == body.Size).Select(h => h.Json).FirstOrDefaultAsync(ct);
            if (headJson is null) return Results.Problem(statusCode: 400, detail: $"No head of size {body.Size}.");
            using var doc = JsonDocument.Parse(headJson);
            var head = SignedTreeHead.Read(doc.RootElement, "head");
            byte[] signature;
            try { signature = Convert.FromBase64String(body.Signature); } catch (FormatException) { return Results.Problem(statusCode: 400, detail: "signature is not base64."); }
            var witness = new LogPublicKey(keyRow.Name, Convert.FromBase64String(keyRow.PublicKey));
            var cos = new Cosignature(body.Witness, body.KeyId, body.Time, signature);
            if (!head.WithCosignature(cos).CosignedBy(witness)) return Results.Problem(statusCode: 400, detail: $"The cosignature does not verify for {witness} on the head of size {body.Size}.");
            if (await db.LogCosignatures.AnyAsync(c => c.Size == body.Size && c.KeyId == body.KeyId, ct)) return Results.NoContent();
            db.LogCosignatures.Add(new LogCosignatureRow { Size = body.Size, Witness = body.Witness, KeyId = body.KeyId, Time = body.Time, Signature = body.Signature });
            await db.SaveChangesAsync(ct);
            return Results.NoContent();
        }).Access(AccessKind.Authenticated);
    }
}

public sealed record ConsistencyResponse(long From, long To, IReadOnlyList<string> Proof);
public sealed record WitnessKeyRequest(string? Name, string? PublicKey);
public sealed record CosignatureRequest(long Size, string? Witness, string? KeyId, DateTime Time, string? Signature);
