namespace Smpc.Analytics.Linkage;

/// <summary>
/// Shared part of the OPRF services: input checks and per-contributor allowances. A contributor may evaluate only
/// as many elements as the study granted (its declared rows × linkage keys), so a contributor — alone or colluding
/// with one compute party — cannot turn the service into a dictionary oracle for identifiers it does not hold.
/// Every evaluation is counted; the counts are the service's audit record.
/// </summary>
public abstract class OprfService : IOprfService
{
    readonly Dictionary<string, long> _allowed = new(StringComparer.Ordinal);
    readonly Dictionary<string, long> _used = new(StringComparer.Ordinal);
    readonly Lock _gate = new();

    protected OprfService(IReadOnlyList<OprfKeyShare> shares, X25519Backend? backend)
    {
        if (shares.Count != 3 || shares.Select(s => s.Party).Order().SequenceEqual([0, 1, 2]) is false)
            throw new ArgumentException("The OPRF needs exactly one key share for each of parties 0, 1 and 2.", nameof(shares));
        Shares = shares.OrderBy(s => s.Party).ToArray();
        Backend = backend ?? X25519Backend.Default;
    }

    protected IReadOnlyList<OprfKeyShare> Shares { get; }
    public X25519Backend Backend { get; }
    public abstract string Description { get; }

    /// <summary>Grants <paramref name="contributor"/> <paramref name="evaluations"/> more evaluations.</summary>
    public void Allow(string contributor, long evaluations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(evaluations);
        lock (_gate) _allowed[contributor] = _allowed.GetValueOrDefault(contributor) + evaluations;
    }

    /// <summary>Evaluations used by <paramref name="contributor"/> so far.</summary>
    public long Used(string contributor) { lock (_gate) return _used.GetValueOrDefault(contributor); }

    public byte[] Evaluate(string contributor, byte[] blinded)
    {
        ArgumentNullException.ThrowIfNull(blinded);
        if (blinded.Length % X25519Backend.Size != 0)
            throw new ArgumentException($"Blinded input from '{contributor}' is {blinded.Length} bytes, not a whole number of 32-byte points.", nameof(blinded));
        long count = blinded.Length / X25519Backend.Size;
        lock (_gate)
        {
            long left = _allowed.GetValueOrDefault(contributor) - _used.GetValueOrDefault(contributor);
            if (count > left)
                throw new LinkageException(_allowed.ContainsKey(contributor)
                    ? $"Contributor '{contributor}' asked for {count} OPRF evaluations but has {left} left of its allowance; the study grants one per declared row and linkage key."
                    : $"Contributor '{contributor}' has no OPRF allowance; the study coordinator grants one per dataset (declared rows × linkage keys).");
            _used[contributor] = _used.GetValueOrDefault(contributor) + count;
        }
        return count == 0 ? [] : EvaluateCore(blinded);
    }

    protected abstract byte[] EvaluateCore(byte[] blinded);
}
