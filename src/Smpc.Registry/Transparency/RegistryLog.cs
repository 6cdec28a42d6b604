// The registry's transparency log: every study event (creation, members, datasets, terms versions, approvals and
// voided approvals, commitments, upload receipts, stage transitions, destruction attestations) and every other
// recorded action (sign-ins, account changes) becomes a log entry with a signed tree head, written in the SAME
// database transaction as the change itself (RegistryLogInterceptor), so a change is never saved without its entry
// nor an entry without its change. Appends are serialised in this process; the entries' primary key (position)
// makes a second writer's save fail rather than fork the log. The log's Ed25519 key lives in DIR/transparency/log.key
// (readable by the registry's user only); its public key is in the database (transparency_keys).
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Governance.Transparency;
using Smpc.Registry.Data;

namespace Smpc.Registry.Transparency;

public sealed class RegistryLog(LogKey key)
{
    readonly SemaphoreSlim _gate = new(1, 1);
    List<byte[]>? _leaves;
    DateTime _last = DateTime.MinValue;

    public LogKey Key => key;

    /// <summary>The log key in <c>DIR/transparency/log.key</c>, created on first use with owner-only permissions.</summary>
    public static LogKey LoadOrCreateKey(string dataDirectory, string name = "registry", string file = "log.key")
    {
        var dir = Path.Combine(Path.GetFullPath(dataDirectory), "transparency");
        var path = Path.Combine(dir, file);
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            try { return LogKey.FromSeed(name, Convert.FromBase64String(text)); }
            catch (FormatException) { throw new LogFormatException($"{path}: not a base64 Ed25519 seed."); }
        }
        Directory.CreateDirectory(dir);
        var created = LogKey.Generate(name);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var f = new FileStream(temp, options))
        using (var w = new StreamWriter(f)) w.Write(Convert.ToBase64String(created.Seed()));
        File.Move(temp, path);
        return created;
    }

    /// <summary>Loads the leaf hashes, records the log's public key, and checks the stored entries against the latest
    /// signed head (a registry whose log was edited behind its back refuses to start).</summary>
    public async Task LoadAsync(RegistryDb db, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!await db.LogKeys.AnyAsync(k => k.KeyId == key.Public.KeyId, ct))
            {
                db.LogKeys.Add(new LogKeyRow { KeyId = key.Public.KeyId, Kind = "log", Name = key.Name, PublicKey = Convert.ToBase64String(key.Public.Key), Added = DateTime.UtcNow });
                await db.SaveChangesAsync(ct);
            }
            var rows = await db.LogEntries.AsNoTracking().OrderBy(r => r.Position).Select(r => new { r.Position, r.LeafHash, r.Time }).ToListAsync(ct);
            var leaves = new List<byte[]>(rows.Count);
            foreach (var r in rows)
            {
                if (r.Position != leaves.Count) throw new LogVerificationException($"The stored transparency log has no entry {leaves.Count} (next stored: {r.Position}).", leaves.Count);
                leaves.Add(Convert.FromHexString(r.LeafHash));
            }
            var latestJson = await db.LogHeads.AsNoTracking().OrderByDescending(h => h.Size).Select(h => h.Json).FirstOrDefaultAsync(ct);
            if (latestJson is not null)
            {
                using var doc = JsonDocument.Parse(latestJson);
                var head = SignedTreeHead.Read(doc.RootElement, "transparency_heads");
                if (!head.SignedBy(key.Public)) throw new LogVerificationException($"The stored {head} is not signed by this registry's log key {key.Public}.", Math.Max(0, head.Size - 1));
                if (head.Size != leaves.Count || !MerkleTree.Root(leaves, leaves.Count).AsSpan().SequenceEqual(head.Root))
                    throw new LogVerificationException($"The stored transparency log ({leaves.Count} entries) does not match its latest {head}; run `smpc audit export` and `smpc audit verify` to find the entry.", Math.Max(0, head.Size - 1));
            }
            _leaves = leaves;
            _last = rows.Count > 0 ? rows[^1].Time : DateTime.MinValue;
        }
        finally { _gate.Release(); }
    }

    public long Size => _leaves?.Count ?? 0;

    /// <summary>A staged batch: the entries of one SaveChanges, added to the context, awaiting its outcome.</summary>
    internal sealed record Batch(List<byte[]> Leaves, DateTime Last);

    /// <summary>Adds the entries (and heads) for the context's new study events and queued records to the context;
    /// holds the append gate until <see cref="Commit"/> or <see cref="Abort"/>. Null when there is nothing to log.</summary>
    internal Batch? Stage(RegistryDb db, bool wait)
    {
        var items = new List<(LogEntryKind Kind, DateTime Time, string Summary, string? Study, string? Actor, Dictionary<string, string> Data)>();
        foreach (var e in db.ChangeTracker.Entries<StudyEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).OrderBy(e => e.At))
            items.Add((KindOf(e.Kind), e.At, e.Text, e.StudyId.ToString(), e.ActorId?.ToString(),
                new Dictionary<string, string>(StringComparer.Ordinal) { ["event"] = e.Kind, ["eventId"] = e.Id.ToString() }));
        foreach (var r in db.TakeLogRecords())
            items.Add((r.Kind, r.Time, r.Summary, r.Study, r.Actor, new Dictionary<string, string>(r.Data, StringComparer.Ordinal)));
        if (items.Count == 0) return null;

        if (wait) _gate.Wait(); else if (!_gate.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("The transparency log is busy.");
        try
        {
            if (_leaves is null) LoadLeaves(db);
            var leaves = new List<byte[]>();
            var last = _last;
            foreach (var item in items)
            {
                long position = _leaves!.Count + leaves.Count;
                var time = item.Time < last ? last : item.Time;
                last = time;
                var entry = new LogEntry { Index = position, Time = time, Kind = item.Kind, Study = item.Study, Actor = item.Actor, Summary = item.Summary, Data = item.Data };
                var canonical = entry.Canonical();
                var leaf = MerkleTree.LeafHash(canonical);
                leaves.Add(leaf);
                var all = _leaves.Concat(leaves).ToList();
                var head = SignedTreeHead.Sign(key, all.Count, MerkleTree.Root(all, all.Count), time);
                db.LogEntries.Add(new LogEntryRow { Position = position, Time = time, Kind = item.Kind.ToString(), Study = item.Study,
                    Canonical = System.Text.Encoding.UTF8.GetString(canonical), LeafHash = Convert.ToHexStringLower(leaf) });
                db.LogHeads.Add(new LogHeadRow { Size = all.Count, Json = head.ToJson() });
            }
            return new Batch(leaves, last);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    internal void Commit(Batch batch)
    {
        _leaves!.AddRange(batch.Leaves);
        _last = batch.Last;
        _gate.Release();
    }

    internal void Abort(Batch batch)
    {
        _ = batch;
        _gate.Release();
    }

    void LoadLeaves(RegistryDb db)
    {
        var rows = db.LogEntries.AsNoTracking().OrderBy(r => r.Position).Select(r => new { r.LeafHash, r.Time }).ToList();
        _leaves = rows.Select(r => Convert.FromHexString(r.LeafHash)).ToList();
        _last = rows.Count > 0 ? rows[^1].Time : DateTime.MinValue;
    }

    internal static LogEntryKind KindOf(string studyEventKind) => studyEventKind switch
    {
        "member" => LogEntryKind.RoleChange,
        "dataset" => LogEntryKind.Dataset,
        "terms" => LogEntryKind.TermsVersion,
        "approval" or "approval-voided" => LogEntryKind.Approval,
        "commitment" => LogEntryKind.Commitment,
        "upload" => LogEntryKind.UploadReceipt,
        "destruction" => LogEntryKind.Attestation,
        _ => LogEntryKind.Transition,   // "created", "stage"
    };
}

/// <summary>A record queued on a context for the log (sign-ins, account changes, queries, releases, refusals).</summary>
public sealed record LogRecord(LogEntryKind Kind, DateTime Time, string Summary, string? Study = null, string? Actor = null)
{
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
}
