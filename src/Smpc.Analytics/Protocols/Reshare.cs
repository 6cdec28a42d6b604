// Reshare: turns a three-out-of-three additive sharing (party i knows α_i, Σα = x) into a replicated sharing.
// Reference: Araki et al., CCS 2016, §2.2 (the resharing step of multiplication); ABY3 §3.
// Security: semi-honest, honest majority. Party i sends β_i = α_i + ζ_i to party i−1, where ζ is a fresh
// zero-sharing from the pairwise PRGs, so β_i is uniform to the receiver.
// Leakage: none. Cost: 1 round, one ring element per element per party.
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Protocols;

public static class Reshare
{
    /// <summary>Arithmetic: α is this party's additive term; it is overwritten with α + ζ.</summary>
    public static ArithmeticShare FromAdditive(MpcSession s, ulong[] alpha)
    {
        ZeroShareBlocks.Fold(s, s.NextNonce(), alpha, xor: false);
        return Exchange(s, alpha);
    }

    /// <summary>Boolean: α is this party's xor term; it is overwritten with α ^ ζ.</summary>
    public static BooleanShare FromXorAdditive(MpcSession s, ulong[] alpha)
    {
        ZeroShareBlocks.Fold(s, s.NextNonce(), alpha, xor: true);
        var other = SendPrevReceiveNext(s, alpha);
        return new BooleanShare(alpha, other);
    }

    /// <summary>β already includes the zero share: send it to the previous party, receive the next party's.</summary>
    internal static ArithmeticShare Exchange(MpcSession s, ulong[] beta) =>
        new(beta, SendPrevReceiveNext(s, beta));

    internal static ulong[] SendPrevReceiveNext(MpcSession s, ulong[] beta)
    {
        s.Prev.SendWords(beta);
        var other = s.Next.ReceiveWords(beta.Length);
        s.CountRound();
        return other;
    }
}
