// Reads the transparency log out of the registry's database as an export (format smpc-transparency-log/1): the log's
// public key, the witnesses' keys, every entry from its stored canonical JSON, every head with the cosignatures
// appended for it. Used by `smpc audit export --db` (an operator's offline copy) and the API.
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance.Transparency;
using Smpc.Registry.Data;

namespace Smpc.Registry.Transparency;

public static class RegistryLogExport
{
    public static async Task<LogExport> ReadAsync(RegistryDb db, CancellationToken ct = default)
    {
        var keys = await db.LogKeys.AsNoTracking().OrderBy(k => k.Added).ToListAsync(ct);
        var cosignatures = (await db.LogCosignatures.AsNoTracking().ToListAsync(ct)).ToLookup(c => c.Size);
        var heads = (await db.LogHeads.AsNoTracking().OrderBy(h => h.Size).ToListAsync(ct)).Select(row => Head(row, cosignatures[row.Size])).ToList();
        var log = heads.Count > 0
            ? keys.FirstOrDefault(k => k.Kind == "log" && k.KeyId == heads[^1].KeyId)
            : keys.LastOrDefault(k => k.Kind == "log");
        if (log is null) throw new LogFormatException("The database holds no transparency log key: start the registry once to create the log.");
        var entries = new List<LogEntry>();
        foreach (var row in await db.LogEntries.AsNoTracking().OrderBy(r => r.Position).ToListAsync(ct))
        {
            using var doc = JsonDocument.Parse(row.Canonical);
            entries.Add(LogEntry.Read(doc.RootElement, $"transparency_entries[{row.Position}]"));
        }
        return new LogExport(Key(log), keys.Where(k => k.Kind == "witness").Select(Key).ToList(), entries, heads);
    }

    /// <summary>The latest signed head with the cosignatures appended for it, or null for an empty log.</summary>
    public static async Task<SignedTreeHead?> LatestHeadAsync(RegistryDb db, CancellationToken ct = default)
    {
        var row = await db.LogHeads.AsNoTracking().OrderByDescending(h => h.Size).FirstOrDefaultAsync(ct);
        return row is null ? null : Head(row, await db.LogCosignatures.AsNoTracking().Where(c => c.Size == row.Size).ToListAsync(ct));
    }

    static SignedTreeHead Head(LogHeadRow row, IEnumerable<LogCosignatureRow> cosignatures)
    {
        using var doc = JsonDocument.Parse(row.Json);
        var head = SignedTreeHead.Read(doc.RootElement, $"transparency_heads[{row.Size}]");
        foreach (var c in cosignatures.OrderBy(c => c.Time))
            head = head.WithCosignature(new Cosignature(c.Witness, c.KeyId, c.Time, Convert.FromBase64String(c.Signature)));
        return head;
    }

    static LogPublicKey Key(LogKeyRow row) => new(row.Name, Convert.FromBase64String(row.PublicKey));
}
