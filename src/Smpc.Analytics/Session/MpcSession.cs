using System.Security.Cryptography;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Session;

/// <summary>
/// Everything one compute party needs to run protocols: its id, links to the two other parties,
/// pairwise PRG keys and meters. Passed explicitly to every protocol; there are no statics.
/// </summary>
/// <remarks>
/// Key agreement (ABY3 §2.2 / Araki et al. CCS 2016 §2.2): party i samples k_i and sends it to party i−1,
/// so k_i is known to exactly parties i and i−1 — the same two parties that hold share component i.
/// F(k_i, n) − F(k_{i+1}, n) over the three parties is a sharing of zero that no single party can predict.
/// All parties run the same sequence of operations, so a session-wide operation counter gives every
/// operation a fresh nonce without extra messages.
/// </remarks>
public sealed class MpcSession : IDisposable
{
    readonly AesCtrPrg _keyMine;     // k_i: shared with the previous party
    readonly AesCtrPrg _keyNext;     // k_{i+1}: shared with the next party
    readonly AesCtrPrg _keyPrivate;  // known to this party only
    readonly TrafficMeter _rounds = new();
    ulong _nonce;

    MpcSession(int partyId, IChannel next, IChannel prev, byte[] kMine, byte[] kNext, MpcOptions options)
    {
        PartyId = partyId;
        Next = next;
        Prev = prev;
        Options = options;
        _keyMine = new AesCtrPrg(kMine);
        _keyNext = new AesCtrPrg(kNext);
        _keyPrivate = new AesCtrPrg(RandomNumberGenerator.GetBytes(AesCtrPrg.KeySize));
    }

    public int PartyId { get; }
    public int NextId => (PartyId + 1) % 3;
    public int PrevId => (PartyId + 2) % 3;
    public IChannel Next { get; }
    public IChannel Prev { get; }
    public MpcOptions Options { get; }

    /// <summary>
    /// Starts a session for party <paramref name="partyId"/> over links to its two peers:
    /// exchanges the pairwise PRG keys (one round). All three parties must call this concurrently.
    /// </summary>
    public static MpcSession Establish(int partyId, IChannel toNext, IChannel toPrev, MpcOptions? options = null)
    {
        if ((uint)partyId > 2) throw Errors.PartyId(partyId);
        ArgumentNullException.ThrowIfNull(toNext);
        ArgumentNullException.ThrowIfNull(toPrev);
        if (toNext.Peer != (partyId + 1) % 3) throw new ShapeException($"Party {partyId}: the 'next' link must lead to party {(partyId + 1) % 3}, not {toNext.Peer}.");
        if (toPrev.Peer != (partyId + 2) % 3) throw new ShapeException($"Party {partyId}: the 'previous' link must lead to party {(partyId + 2) % 3}, not {toPrev.Peer}.");
        var kMine = RandomNumberGenerator.GetBytes(AesCtrPrg.KeySize);
        toPrev.Send(kMine);
        var kNext = new byte[AesCtrPrg.KeySize];
        toNext.Receive(kNext);
        var session = new MpcSession(partyId, toNext, toPrev, kMine, kNext, options ?? MpcOptions.Default);
        session.CountRound();
        return session;
    }

    /// <summary>Sub-streams an operation may derive from its nonce: nonce + k for 0 ≤ k &lt; this.</summary>
    public const ulong SubStreams = 1UL << 16;

    /// <summary>A fresh nonce; every party calls this at the same points, so nonces agree. Nonces are
    /// multiples of <see cref="SubStreams"/>, so an operation may use nonce + k as further distinct streams.</summary>
    public ulong NextNonce() => ++_nonce * SubStreams;

    /// <summary>Records that the protocol just completed one communication round.</summary>
    public void CountRound(int rounds = 1) => _rounds.AddRounds(rounds);

    /// <summary>Bytes both links moved and rounds run so far.</summary>
    public TrafficSnapshot Traffic
    {
        get
        {
            var n = Next.Meter.Snapshot();
            var p = Prev.Meter.Snapshot();
            return new TrafficSnapshot(n.BytesSent + p.BytesSent, n.BytesReceived + p.BytesReceived,
                                       n.MessagesSent + p.MessagesSent, _rounds.Rounds);
        }
    }

    /// <summary>Stream under k_i (known to this party and the previous one).</summary>
    public void FillSharedWithPrev(Span<ulong> destination, ulong nonce) => _keyMine.Fill(destination, nonce);

    /// <summary>Stream under k_{i+1} (known to this party and the next one).</summary>
    public void FillSharedWithNext(Span<ulong> destination, ulong nonce) => _keyNext.Fill(destination, nonce);

    /// <summary>Stream only this party knows.</summary>
    public void FillPrivate(Span<ulong> destination, ulong nonce) => _keyPrivate.Fill(destination, nonce);

    /// <summary>
    /// Stream known to the holders of share component <paramref name="component"/> (parties c and c−1),
    /// which this party must be one of.
    /// </summary>
    public void FillComponent(int component, Span<ulong> destination, ulong nonce)
    {
        if (component == PartyId) _keyMine.Fill(destination, nonce);
        else if (component == NextId) _keyNext.Fill(destination, nonce);
        else throw new InvalidOperationException($"Party {PartyId} does not hold share component {component}.");
    }

    /// <summary>This party's share of a fresh three-out-of-three sharing of zero: F(k_i) − F(k_{i+1}).</summary>
    public void ZeroShare(Span<ulong> destination, ulong nonce)
    {
        var tmp = GC.AllocateUninitializedArray<ulong>(destination.Length);
        _keyMine.Fill(destination, nonce);
        _keyNext.Fill(tmp, nonce);
        Ring.Subtract(destination, tmp, destination);
    }

    /// <summary>The two streams whose difference (arithmetic) or xor (boolean) is this party's zero share.</summary>
    public (ulong[] mine, ulong[] next) ZeroShareStreams(int length, ulong nonce)
    {
        var mine = GC.AllocateUninitializedArray<ulong>(length);
        var next = GC.AllocateUninitializedArray<ulong>(length);
        _keyMine.Fill(mine, nonce);
        _keyNext.Fill(next, nonce);
        return (mine, next);
    }

    /// <summary>Words [<paramref name="wordOffset"/>, <paramref name="wordOffset"/> + length) of the two
    /// <see cref="ZeroShareStreams"/> streams, so protocols can consume them in cache-sized blocks.</summary>
    internal void FillZeroShareStreams(Span<ulong> mine, Span<ulong> next, ulong nonce, long wordOffset)
    {
        _keyMine.Fill(mine, nonce, wordOffset);
        _keyNext.Fill(next, nonce, wordOffset);
    }

    /// <summary>The link to party <paramref name="peer"/>.</summary>
    public IChannel LinkTo(int peer) =>
        peer == NextId ? Next : peer == PrevId ? Prev : throw Errors.PartyId(peer, nameof(peer));

    public void Dispose()
    {
        Next.Dispose();
        Prev.Dispose();
    }
}
