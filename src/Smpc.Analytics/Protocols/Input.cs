// Private input: one compute party secret-shares values it holds.
// Reference: Araki et al., CCS 2016, §2.2 (sharing with correlated randomness).
// The owner o sets component o and o+1 from the PRGs it shares with its neighbours (no message),
// and component o+2 = x − c_o − c_{o+1}, which it sends to both other parties (they both hold it).
// Security: semi-honest; each receiver misses one PRG component, so what it receives is uniform.
// Leakage: the length of the input. Cost: 1 round; the owner sends n elements to each peer.
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Protocols;

public static class Input
{
    /// <summary>Party <paramref name="owner"/> shares <paramref name="values"/> (ignored at the others,
    /// which pass null); every party passes the same <paramref name="length"/>.</summary>
    public static ArithmeticShare Share(MpcSession s, int owner, ReadOnlySpan<ulong> values, int length)
    {
        if ((uint)owner > 2) throw Errors.PartyId(owner, nameof(owner));
        ulong nonce = s.NextNonce();
        s.CountRound();
        if (s.PartyId == owner)
        {
            if (values.Length != length) throw Errors.LengthMismatch("input", length, values.Length);
            var cMine = GC.AllocateUninitializedArray<ulong>(length);
            var cNext = GC.AllocateUninitializedArray<ulong>(length);
            var cLast = GC.AllocateUninitializedArray<ulong>(length);
            s.FillSharedWithPrev(cMine, nonce);   // component o (with party o−1)
            s.FillSharedWithNext(cNext, nonce);   // component o+1 (with party o+1)
            Ring.SubtractTwo(values, cMine, cNext, cLast);
            s.Next.SendWords(cLast);
            s.Prev.SendWords(cLast);
            return new(cMine, cNext);
        }
        if (s.PartyId == (owner + 1) % 3)
        {
            var cMine = GC.AllocateUninitializedArray<ulong>(length);   // component o+1 = this party's own index
            s.FillSharedWithPrev(cMine, nonce);
            return new(cMine, s.Prev.ReceiveWords(length));
        }
        var cNextOfOwner = GC.AllocateUninitializedArray<ulong>(length);   // this is party o−1: it holds (c_{o+2}, c_o)
        s.FillSharedWithNext(cNextOfOwner, nonce);
        return new(s.Next.ReceiveWords(length), cNextOfOwner);
    }
}
