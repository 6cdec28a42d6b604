// The transparency log: an append-only list of entries under an RFC 9162 Merkle tree, with a signed tree head after
// every append (so a verifier can name the first entry that does not match), inclusion and consistency proofs, and
// the witnesses' cosignatures attached to the heads they countersigned. Storage is the caller's: the registry keeps
// entries and heads in tables the database refuses to update or delete, and rebuilds this object from them (the
// constructor checks every stored head against the entries it is given).
namespace Smpc.Governance.Transparency;

public sealed class TransparencyLog
{
    readonly Lock _gate = new();
    readonly LogKey _key;
    readonly List<LogEntry> _entries = [];
    readonly List<byte[]> _leaves = [];
    readonly CompactRange _range = new();
    readonly List<SignedTreeHead> _heads = [];

    public TransparencyLog(LogKey key, IEnumerable<LogEntry>? entries = null, IEnumerable<SignedTreeHead>? heads = null)
    {
        _key = key;
        foreach (var e in entries ?? [])
        {
            if (e.Index != _entries.Count) throw new LogVerificationException($"Stored {e} is at position {_entries.Count}.", _entries.Count);
            _entries.Add(e);
            _leaves.Add(e.LeafHash());
            _range.Append(_leaves[^1]);
        }
        var stored = (heads ?? []).OrderBy(h => h.Size).ToList();
        var roots = LogVerifier.PrefixRoots(_entries, stored.Select(h => h.Size).ToHashSet());
        foreach (var h in stored)
        {
            if (!h.SignedBy(key.Public)) throw new LogVerificationException($"Stored {h} is not signed by {key.Public}.", Math.Max(0, h.Size - 1));
            if (h.Size > _entries.Count || !roots[h.Size].AsSpan().SequenceEqual(h.Root))
                throw new LogVerificationException($"Stored {h} does not match the stored entries.", Math.Max(0, h.Size - 1));
            _heads.Add(h);
        }
    }

    public LogPublicKey PublicKey => _key.Public;

    public IReadOnlyList<LogEntry> Entries { get { lock (_gate) return [.. _entries]; } }
    public IReadOnlyList<SignedTreeHead> Heads { get { lock (_gate) return [.. _heads]; } }
    public long Size { get { lock (_gate) return _entries.Count; } }
    public SignedTreeHead? Latest { get { lock (_gate) return _heads.Count == 0 ? null : _heads[^1]; } }

    /// <summary>Appends an entry and signs the head of the new tree; returns both.</summary>
    public (LogEntry Entry, SignedTreeHead Head) Append(LogEntryKind kind, DateTime time, string summary, string? study = null,
        string? actor = null, IReadOnlyDictionary<string, string>? data = null)
    {
        lock (_gate)
        {
            if (_entries.Count > 0 && time < _entries[^1].Time) time = _entries[^1].Time;
            var entry = new LogEntry
            {
                Index = _entries.Count, Time = time, Kind = kind, Study = study, Actor = actor, Summary = summary,
                Data = data is null ? new Dictionary<string, string>() : new Dictionary<string, string>(data, StringComparer.Ordinal),
            };
            _entries.Add(entry);
            _leaves.Add(entry.LeafHash());
            _range.Append(_leaves[^1]);
            var head = SignedTreeHead.Sign(_key, _entries.Count, _range.Root(), time);
            _heads.Add(head);
            return (entry, head);
        }
    }

    /// <summary>The proof that entry <paramref name="index"/> is in the tree of the latest head (or of the head of
    /// <paramref name="size"/>).</summary>
    public InclusionProof ProveInclusion(long index, long? size = null)
    {
        lock (_gate)
        {
            var head = size is null ? (_heads.Count > 0 ? _heads[^1] : throw new LogVerificationException("The log is empty.", 0)) : HeadAt(size.Value);
            if (index < 0 || index >= head.Size) throw new ArgumentOutOfRangeException(nameof(index), $"Entry {index} is not in the tree of {head.Size} entries.");
            return new InclusionProof(_entries[(int)index], head, MerkleTree.InclusionProof(_leaves, index, (int)head.Size));
        }
    }

    public IReadOnlyList<byte[]> ProveConsistency(long oldSize, long newSize)
    {
        lock (_gate) return MerkleTree.ConsistencyProof(_leaves, (int)oldSize, (int)newSize);
    }

    /// <summary>Attaches a witness's cosignature to the head it countersigned (checked first).</summary>
    public SignedTreeHead AddCosignature(long size, Cosignature cosignature, LogPublicKey witness)
    {
        lock (_gate)
        {
            int i = _heads.FindIndex(h => h.Size == size);
            if (i < 0) throw new LogVerificationException($"No head of size {size}.", Math.Max(0, size - 1));
            var signed = _heads[i].WithCosignature(cosignature);
            if (!signed.CosignedBy(witness)) throw new LogVerificationException($"The cosignature of {witness} on head {size} does not verify.", size - 1);
            _heads[i] = signed;
            return signed;
        }
    }

    public SignedTreeHead HeadAt(long size)
    {
        lock (_gate) return _heads.FirstOrDefault(h => h.Size == size) ?? throw new LogVerificationException($"No head of size {size}.", Math.Max(0, size - 1));
    }

    public LogExport Export(IEnumerable<LogPublicKey>? witnesses = null)
    {
        lock (_gate) return new LogExport(_key.Public, [.. witnesses ?? []], [.. _entries], [.. _heads]);
    }
}

/// <summary>A log, head, proof or cosignature that does not verify. <see cref="FirstBadEntry"/> names the first entry
/// the problem concerns (the entry whose head first fails).</summary>
public class LogVerificationException(string message, long firstBadEntry) : Exception(message)
{
    public long FirstBadEntry { get; } = firstBadEntry;
}

/// <summary>Two heads of one log that cannot both be true: a rewritten or forked history.</summary>
public sealed class LogForkException(string message, SignedTreeHead held, SignedTreeHead presented, long firstBadEntry)
    : LogVerificationException(message, firstBadEntry)
{
    public SignedTreeHead Held { get; } = held;
    public SignedTreeHead Presented { get; } = presented;
}
