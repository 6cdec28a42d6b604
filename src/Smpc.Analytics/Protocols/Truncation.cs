// Deterministic truncation of replicated shares by d bits: y = floor(x / 2^d) or one less, for |x| < 2^62.
//
// Reference: the wrap-bit identity used for truncation with known most-significant bit in
// Huang et al., "Cheetah" (USENIX Security 2022, §4.3, "truncation with known MSB"); the 2-out-of-2
// view of replicated shares follows ABY3 (Mohassel & Rindal, CCS 2018, §5.1.1). Unlike ABY3's
// probabilistic truncation it never fails with a large error.
//
// Worked example. Party 0 knows a = x0 + x1; parties 1 and 2 know b = x2 + 2^62. With u = x + 2^62,
// u = a + b − w·2^64 and 0 ≤ u < 2^63, so the wrap bit is w = msb(a) OR msb(b). Then
//   floor(u/2^d) = (a >> d) + (b >> d) + c − w·2^(64−d),  c ∈ {0,1} (carry of the low d bits),
// and, writing sar for the arithmetic shift, (a>>d) − msb(a)·2^(64−d) = sar(a, d), so
//   y = sar(a,d) + [sar(b,d) − 2^(62−d)] + msb(a)·msb(b)·2^(64−d)  =  floor(x/2^d) − c.
// The cross term msb(a)·msb(b) is computed as in two-party multiplication of a bit of party 0 with a bit
// known to parties 1 and 2: party 0 sends m = msb(a) − r to party 2 (r from the PRG it shares with party 1),
// party 1 takes r·msb(b), party 2 takes m·msb(b). The three additive terms are then reshared.
//
// Security: semi-honest, honest majority. Party 2 receives m, masked by r it does not know; resharing
// hides everything else. Leakage: none. Cost: 2 rounds; party 0 sends 2 elements per element, parties 1 and 2 one.
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;
using System.Runtime.CompilerServices;

namespace Smpc.Analytics.Protocols;

public static class Truncation
{
    /// <summary>Arithmetic right shift of every element by <paramref name="bits"/>; requires |x| &lt; 2^62
    /// (callers check declared bounds). Result is floor(x/2^bits) or one less.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ArithmeticShare Truncate(MpcSession s, ArithmeticShare x, int bits)
    {
        if (bits is < 1 or > 62) throw new ArgumentOutOfRangeException(nameof(bits), bits, "Truncation must drop between 1 and 62 bits.");
        int n = x.Length;
        ulong nonce = s.NextNonce();
        ulong k = 1UL << (64 - bits);
        const ulong Offset = 1UL << 62;
        ulong offsetShifted = Offset >> bits;
        var alpha = new ulong[n];
        switch (s.PartyId)
        {
            case 0:
            {
                var r = new ulong[n];
                s.FillSharedWithNext(r, nonce);               // r: known to parties 0 and 1
                var m = new ulong[n];
                for (int i = 0; i < n; i++)
                {
                    ulong a = x.First[i] + x.Second[i];
                    alpha[i] = (ulong)((long)a >> bits);
                    m[i] = (a >> 63) - r[i];
                }
                s.Prev.SendWords(m);                            // to party 2
                break;
            }
            case 1:
            {
                var r = new ulong[n];
                s.FillSharedWithPrev(r, nonce);
                for (int i = 0; i < n; i++)
                {
                    ulong b = x.Second[i] + Offset;              // x.Second is x2 at party 1
                    alpha[i] = r[i] * (b >> 63) * k;
                }
                break;
            }
            default:
            {
                var m = s.Next.ReceiveWords(n);                  // from party 0
                for (int i = 0; i < n; i++)
                {
                    ulong b = x.First[i] + Offset;               // x.First is x2 at party 2
                    alpha[i] = m[i] * (b >> 63) * k + (ulong)((long)b >> bits) - offsetShifted;
                }
                break;
            }
        }
        s.CountRound();
        return Reshare.FromAdditive(s, alpha);
    }
}
