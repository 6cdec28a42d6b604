// Opening (revealing) replicated shares — the only way a secret becomes public, always an explicit call.
// Reference: Araki et al., CCS 2016, §2.2. Security: semi-honest.
// Leakage: exactly the opened value, to the parties named. Cost: 1 round; to all: one element per party;
// to one party: one element from one party.
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Protocols;

public static class Open
{
    /// <summary>Reveals x to all three parties: party i sends x_i to party i+1, which was missing it.</summary>
    public static ulong[] RevealToAll(MpcSession s, ArithmeticShare x)
    {
        s.Next.SendWords(x.First);
        var value = s.Prev.ReceiveWords(x.Length);      // the missing component; summed in place
        s.CountRound();
        Ring.Add3(x.First, x.Second, value, value);
        return value;
    }

    /// <summary>Reveals x to party <paramref name="receiver"/> only; returns null at the other parties.</summary>
    public static ulong[]? RevealTo(MpcSession s, ArithmeticShare x, int receiver)
    {
        if ((uint)receiver > 2) throw Errors.PartyId(receiver, nameof(receiver));
        // The receiver lacks component receiver+2, which party receiver+1 holds as its second component.
        s.CountRound();
        if (s.PartyId == (receiver + 1) % 3) { s.Prev.SendWords(x.Second); return null; }
        if (s.PartyId != receiver) return null;
        var value = s.Next.ReceiveWords(x.Length);      // the missing component; summed in place
        Ring.Add3(x.First, x.Second, value, value);
        return value;
    }

    /// <summary>Reveals a boolean sharing to all parties.</summary>
    public static ulong[] RevealToAll(MpcSession s, BooleanShare x)
    {
        s.Next.SendWords(x.First);
        var missing = s.Prev.ReceiveWords(x.Length);
        s.CountRound();
        var value = new ulong[x.Length];
        Ring.Xor(x.First, x.Second, value);
        Ring.Xor(value, missing, value);
        return value;
    }

    /// <summary>Reveals packed bits to all parties.</summary>
    public static bool[] RevealToAll(MpcSession s, BitShare x)
    {
        var words = RevealToAll(s, new BooleanShare(x.First, x.Second));
        var bits = new bool[x.Length];
        for (int k = 0; k < bits.Length; k++) bits[k] = ((words[k >> 6] >> (k & 63)) & 1) != 0;
        return bits;
    }
}
