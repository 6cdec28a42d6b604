// Threshold 2HashDH evaluation by the three compute parties in a chain (Jarecki, Kiayias, Krawczyk & Xu,
// "TOPPSS", EuroS&P 2017 §3; 2HashDH: Jarecki, Kiayias & Krawczyk, ASIACRYPT 2014 §3.1), with a 3-out-of-3
// multiplicative key sharing: F_k(x) = H2(x, (k_0·k_1·k_2)·H1(x)).
// Flow: the contributor uploads blinded points r·H1(x) to P0; P0 applies k_0 and sends to P1 over their link,
// P1 applies k_1 and sends to P2, P2 applies k_2 and returns the result to the contributor, who unblinds.
// X25519 ladders on u-coordinates commute (scalar multiplications in a cyclic group), so the order is immaterial.
// Security: semi-honest. Each party sees only blinded points (uniform in the subgroup, independent of x, given
// fresh r per element) and their number. Leakage: the number of evaluations per contributor. No subset of the
// parties short of all three can evaluate F. Cost: one X25519 per element per party; 2 sequential hops; each of
// P0 and P1 sends 32 bytes per element. Messages go in chunks so the parties work as a pipeline.
using Smpc.Analytics.Session;

namespace Smpc.Analytics.Linkage;

/// <summary>The OPRF run by the three party programs of a <see cref="LocalCluster"/>, over the parties' own links.</summary>
public sealed class ClusterOprfService : OprfService
{
    /// <summary>Elements per message between parties.</summary>
    public const int ChunkElements = 4096;

    readonly LocalCluster _cluster;

    /// <param name="shares">Party i's program uses only share i (in a distributed deployment each party holds only its own).</param>
    public ClusterOprfService(LocalCluster cluster, IReadOnlyList<OprfKeyShare> shares, X25519Backend? backend = null) : base(shares, backend) =>
        _cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));

    public override string Description => $"OPRF, three compute parties chained over their links ({Backend.Name})";

    protected override byte[] EvaluateCore(byte[] blinded)
    {
        int n = blinded.Length / X25519Backend.Size;
        int chunks = (n + ChunkElements - 1) / ChunkElements;
        var results = _cluster.Run(s =>
        {
            var share = Shares[s.PartyId];
            byte[]? output = s.PartyId == 2 ? new byte[blinded.Length] : null;
            for (int c = 0; c < chunks; c++)
            {
                int from = c * ChunkElements * X25519Backend.Size;
                int length = Math.Min(ChunkElements * X25519Backend.Size, blinded.Length - from);
                byte[] input = s.PartyId == 0 ? blinded.AsSpan(from, length).ToArray() : s.Prev.Receive();
                if (input.Length != length) throw new PeerFailureException(s.PrevId, $"OPRF chain out of step: expected {length} bytes from party {s.PrevId}, got {input.Length}.");
                var applied = share.Apply(Backend, input);
                if (s.PartyId < 2) s.Next.Send(applied);
                else applied.CopyTo(output.AsSpan(from));
            }
            s.CountRound(2);
            return output;
        });
        return results[2]!;
    }
}
