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
    CompactRange? _range;
    DateTime _last = DateTime.MinValue;

    public LogKey Key => key;

    /// <summary>The log key in <c>DIR/transparency/log.key</c>, created on first use with owner-only permissions.</summary>
    public static LogKey LoadOrCreateKey(string dataDirectory, string name = "registry", string file = "log.key") =>
        LogKey.LoadOrCreate(Path.Combine(Path.GetFullPath(dataDirectory), "transparency", file), name);

    /// <summary>Loads the leaf hashes, records the log's public key, and checks each stored entry's text against its leaf
    /// hash and the entries against the latest signed head (a registry whose log was edited behind its back refuses to
    /// start).</summary>
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
            // Each entry's stored text must still hash to its stored leaf: an edit of the text alone changes no leaf.
            var leaves = new List<LeafRow>();
            await foreach (var r in db.LogEntries.AsNoTracking().OrderBy(r => r.Position).Select(r => new { r.Position, r.LeafHash, r.Time, r.Canonical }).AsAsyncEnumerable().WithCancellation(ct))
            {
                if (!string.Equals(r.LeafHash, Convert.ToHexStringLower(MerkleTree.LeafHash(System.Text.Encoding.UTF8.GetBytes(r.Canonical))), StringComparison.OrdinalIgnoreCase))
                    throw new LogVerificationException($"The stored transparency log's entry {r.Position} was edited behind the registry's back: its text no longer matches its leaf hash. Run `smpc audit export` and `smpc audit verify` to see it.", r.Position);
                leaves.Add(new LeafRow(r.Position, r.LeafHash, r.Time));
            }
            var (range, last) = RangeOf(leaves);
            var latestJson = await db.LogHeads.AsNoTracking().OrderByDescending(h => h.Size).Select(h => h.Json).FirstOrDefaultAsync(ct);
            if (latestJson is not null)
            {
                using var doc = JsonDocument.Parse(latestJson);
                var head = SignedTreeHead.Read(doc.RootElement, "transparency_heads");
                if (!head.SignedBy(key.Public)) throw new LogVerificationException($"The stored {head} is not signed by this registry's log key {key.Public}.", Math.Max(0, head.Size - 1));
                if (head.Size != range.Size || !range.Root().AsSpan().SequenceEqual(head.Root))
                    throw new LogVerificationException($"The stored transparency log ({range.Size} entries) does not match its latest {head}; run `smpc audit export` and `smpc audit verify` to find the entry.", Math.Max(0, head.Size - 1));
            }
            (_range, _last) = (range, last);
        }
        finally { _gate.Release(); }
    }

    public long Size => _range?.Size ?? 0;

    /// <summary>A staged batch: the tree and last time after the entries of one SaveChanges, awaiting its outcome.</summary>
    internal sealed record Batch(CompactRange Range, DateTime Last);

    sealed record LeafRow(long Position, string LeafHash, DateTime Time);

    /// <summary>The tree over stored leaf hashes (positions checked to run 0, 1, 2, …) and the last entry's time.</summary>
    static (CompactRange Range, DateTime Last) RangeOf(IReadOnlyList<LeafRow> rows)
    {
        var range = new CompactRange();
        foreach (var r in rows)
        {
            if (r.Position != range.Size) throw new LogVerificationException($"The stored transparency log has no entry {range.Size} (next stored: {r.Position}).", range.Size);
            range.Append(Convert.FromHexString(r.LeafHash));
        }
        return (range, rows.Count > 0 ? rows[^1].Time : DateTime.MinValue);
    }

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
            if (_range is null)
                (_range, _last) = RangeOf(db.LogEntries.AsNoTracking().OrderBy(r => r.Position).Select(r => new LeafRow(r.Position, r.LeafHash, r.Time)).ToList());
            var range = _range.Clone();
            var last = _last;
            foreach (var item in items)
            {
                long position = range.Size;
                var time = item.Time < last ? last : item.Time;
                last = time;
                var entry = new LogEntry { Index = position, Time = time, Kind = item.Kind, Study = item.Study, Actor = item.Actor, Summary = item.Summary, Data = item.Data };
                var canonical = entry.Canonical();
                var leaf = MerkleTree.LeafHash(canonical);
                range.Append(leaf);
                var head = SignedTreeHead.Sign(key, range.Size, range.Root(), time);
                db.LogEntries.Add(new LogEntryRow { Position = position, Time = time, Kind = item.Kind.ToString(), Study = item.Study,
                    Canonical = System.Text.Encoding.UTF8.GetString(canonical), LeafHash = Convert.ToHexStringLower(leaf) });
                db.LogHeads.Add(new LogHeadRow { Size = range.Size, Json = head.ToJson() });
            }
            return new Batch(range, last);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    internal void Commit(Batch batch)
    {
        (_range, _last) = (batch.Range, batch.Last);
        _gate.Release();
    }

    internal void Abort(Batch batch)
    {
        _ = batch;
        _gate.Release();
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
