// A witness of the log: each compute party (and any steward who wishes) keeps the last head it countersigned and
// countersigns a new head only when the log's signature verifies and a consistency proof shows the new tree extends
// the old one. A registry that rewrites, truncates or forks its history is refused here with both heads named, and
// cannot gather this witness's cosignature for the other branch.
namespace Smpc.Governance.Transparency;

public sealed class Witness(LogKey key, LogPublicKey log, SignedTreeHead? last = null)
{
    readonly Lock _gate = new();

    public LogPublicKey PublicKey => key.Public;
    public SignedTreeHead? Last { get; private set; } = last;

    /// <summary>Checks <paramref name="head"/> against the last countersigned head (with the consistency proof from
    /// its size) and countersigns it. Throws <see cref="LogForkException"/> on a history that does not extend.</summary>
    public Cosignature Cosign(SignedTreeHead head, IReadOnlyList<byte[]> consistencyFromLast, DateTime now)
    {
        lock (_gate)
        {
            if (!head.SignedBy(log)) throw new LogVerificationException($"{head} is not signed by {log}.", Math.Max(0, head.Size - 1));
            if (Last is { } held)
            {
                if (head.Size < held.Size)
                    throw new LogForkException($"The log shrank: {key.Name} holds {held}, the log now presents {head}.", held, head, head.Size);
                if (!MerkleProofs.VerifyConsistency(held.Size, head.Size, held.Root, head.Root, consistencyFromLast))
                    throw new LogForkException($"Fork: {head} does not extend {held} that {key.Name} countersigned; the history before entry {held.Size} was changed.", held, head, Math.Max(0, held.Size - 1));
            }
            var c = new Cosignature(key.Name, key.Public.KeyId, now, key.Sign(SignedTreeHead.CosignedText(key.Name, key.Public.KeyId, head.Body())));
            Last = head;
            return c;
        }
    }
}
