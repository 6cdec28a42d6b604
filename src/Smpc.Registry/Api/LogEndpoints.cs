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
/// signature on the head, checked here).
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
