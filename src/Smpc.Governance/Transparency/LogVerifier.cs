// Verifies an exported log from scratch: every entry in place, every head's signature, every head's root against
// the entries (roots of every prefix computed incrementally, O(log n) per entry), every cosignature, the required
// witnesses on the latest head, and any heads the verifier already holds (a steward's or a party's older head: a
// rewritten or forked history differs from it). Reports the first bad entry: with a head after every append (as
// TransparencyLog signs), exactly the entry that was edited, deleted, inserted or moved.
namespace Smpc.Governance.Transparency;

public sealed record LogVerifyOptions
{
    /// <summary>The log's key as the verifier knows it (from study.json); null trusts the key in the export.</summary>
    public LogPublicKey? TrustedLog { get; init; }
    /// <summary>The witnesses' keys as the verifier knows them; null trusts the keys in the export.</summary>
    public IReadOnlyList<LogPublicKey>? TrustedWitnesses { get; init; }
    /// <summary>Heads the verifier holds from earlier (each must be a prefix of the exported history).</summary>
    public IReadOnlyList<SignedTreeHead> HeldHeads { get; init; } = [];
    /// <summary>How many distinct witnesses must have countersigned the latest head.</summary>
    public int RequiredCosignatures { get; init; }
}

public sealed record LogProblem(long FirstBadEntry, string Message);

public sealed record LogVerification(int Entries, int Heads, int Cosignatures, IReadOnlyList<LogProblem> Problems, SignedTreeHead? Latest)
{
    public bool Sound => Problems.Count == 0;
    public LogProblem? First => Problems.OrderBy(p => p.FirstBadEntry).FirstOrDefault();

    public string Summary => Sound
        ? $"sound: {Entries} entries, {Heads} signed heads, {Cosignatures} cosignatures verified" +
          (Latest is null ? "" : $"; latest head size {Latest.Size}, root {Hex.Of(Latest.Root)}")
        : $"NOT SOUND: first bad entry {First!.FirstBadEntry}: {First.Message}";
}

public static class LogVerifier
{
    public static LogVerification Verify(LogExport log, LogVerifyOptions? options = null)
    {
        options ??= new LogVerifyOptions();
        var problems = new List<LogProblem>();
        var logKey = log.Log;
        if (options.TrustedLog is { } trusted && (trusted.KeyId != logKey.KeyId || trusted.Name != logKey.Name))
        {
            problems.Add(new(0, $"the export is signed with {logKey}, not with the trusted log key {trusted}"));
            logKey = trusted;
        }
        var witnesses = options.TrustedWitnesses ?? log.Witnesses;

        // Entries in place and in time order.
        for (int i = 0; i < log.Entries.Count; i++)
        {
            var e = log.Entries[i];
            if (e.Index != i) { problems.Add(new(i, $"the entry at position {i} claims index {e.Index}: an entry was deleted, inserted or moved at or before it")); break; }
            if (i > 0 && e.Time < log.Entries[i - 1].Time) { problems.Add(new(i, $"{e} is dated before entry {i - 1}: entries were reordered")); break; }
        }

        // Heads: duplicates (a fork inside the export), signatures, roots.
        var heads = log.Heads.OrderBy(h => h.Size).ToList();
        for (int i = 1; i < heads.Count; i++)
            if (heads[i].Size == heads[i - 1].Size && !heads[i].Root.AsSpan().SequenceEqual(heads[i - 1].Root))
                problems.Add(new(Math.Max(0, heads[i].Size - 1), $"two signed heads of size {heads[i].Size} with different roots: the log forked"));
        var roots = PrefixRoots(log.Entries, heads.Select(h => h.Size).Concat(options.HeldHeads.Select(h => h.Size)).ToHashSet());
        long lastGood = 0;
        int cosignatures = 0;
        foreach (var h in heads)
        {
            long first = Math.Max(0, h.Size - 1);
            if (!h.SignedBy(logKey)) { problems.Add(new(first, $"the {h} has no valid signature of {logKey}")); continue; }
            if (h.Size > log.Entries.Count)
            {
                problems.Add(new(log.Entries.Count, $"the {h} covers {h.Size} entries but the log holds {log.Entries.Count}: entries from {log.Entries.Count} on were deleted"));
                continue;
            }
            if (!roots[h.Size].AsSpan().SequenceEqual(h.Root))
            {
                problems.Add(h.Size == lastGood + 1
                    ? new(h.Size - 1, $"{log.Entries[(int)h.Size - 1]} does not match the signed head of size {h.Size}: it was edited, inserted, deleted or moved")
                    : new(lastGood, $"entries {lastGood}..{h.Size - 1} do not match the signed head of size {h.Size}: one of them was changed"));
                continue;
            }
            lastGood = h.Size;
            foreach (var c in h.Cosignatures)
            {
                var w = witnesses.FirstOrDefault(k => k.KeyId == c.KeyId && k.Name == c.Witness);
                if (w is null) problems.Add(new(first, $"the {h} carries a cosignature of an unknown witness {c.Witness} (key {c.KeyId})"));
                else if (!h.CosignedBy(w)) problems.Add(new(first, $"the cosignature of {w} on the {h} does not verify"));
                else cosignatures++;
            }
        }
        var latest = heads.LastOrDefault();
        if (latest is not null && options.RequiredCosignatures > 0)
        {
            int valid = witnesses.Count(latest.CosignedBy);
            if (valid < options.RequiredCosignatures)
                problems.Add(new(Math.Max(0, latest.Size - 1), $"the latest {latest} is countersigned by {valid} of the witnesses, {options.RequiredCosignatures} required"));
        }
        if (latest is not null && latest.Size < log.Entries.Count)
            problems.Add(new(latest.Size, $"entries {latest.Size}..{log.Entries.Count - 1} are not covered by any signed head"));

        // Heads held by the verifier: the exported history must extend each of them.
        foreach (var held in options.HeldHeads)
        {
            if (!held.SignedBy(logKey)) { problems.Add(new(Math.Max(0, held.Size - 1), $"the head you hold ({held}) is not signed by {logKey}")); continue; }
            if (held.Size > log.Entries.Count)
                problems.Add(new(log.Entries.Count, $"the log holds {log.Entries.Count} entries but you hold a head of size {held.Size}: its history was truncated"));
            else if (!roots[held.Size].AsSpan().SequenceEqual(held.Root))
                problems.Add(new(0, $"fork: the log's first {held.Size} entries differ from the {held} you hold (one of entries 0..{held.Size - 1} was rewritten)"));
        }
        return new LogVerification(log.Entries.Count, heads.Count, cosignatures, problems, latest);
    }

    /// <summary>MTH of every requested prefix, from one pass over the entries.</summary>
    internal static Dictionary<long, byte[]> PrefixRoots(IReadOnlyList<LogEntry> entries, ISet<long> sizes)
    {
        var roots = new Dictionary<long, byte[]>();
        var range = new CompactRange();
        if (sizes.Contains(0)) roots[0] = range.Root();
        foreach (var e in entries)
        {
            range.Append(e.LeafHash());
            if (sizes.Contains(range.Size)) roots[range.Size] = range.Root();
        }
        return roots;
    }
}
