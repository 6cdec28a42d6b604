// Addition of xor-shared 64-bit words with a Kogge–Stone parallel-prefix carry circuit.
// Reference: Kogge & Stone, IEEE Trans. Computers 1973; used for share conversion in ABY3 (CCS 2018, §5.3).
// Generate g = a&b, propagate p = a^b; six levels (shifts 1..32) of (G,P) ∘ (G',P') = (G ^ P&G', P&P')
// give every carry; sum = p ^ (G << 1). G and P&G' are never both 1, so OR is XOR.
// Security: semi-honest, honest majority. Leakage: none.
// Cost: 7 rounds (1 for g, 6 levels), 13 words per element per party.
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Protocols;

public static class BinaryAdder
{
    /// <summary>Returns the carry word G (bit i = carry out of bit i) for a + b.</summary>
    public static BooleanShare Carries(MpcSession s, BooleanShare a, BooleanShare b)
    {
        var g = BooleanGates.And(s, a, b);
        var p = BooleanGates.Xor(a, b);
        for (int shift = 1; shift < 64; shift <<= 1)
        {
            if (shift == 32)
            {
                g = BooleanGates.Xor(g, BooleanGates.And(s, p, BooleanGates.ShiftLeft(g, shift)));
                break;
            }
            var r = BooleanGates.AndMany(s, [(p, BooleanGates.ShiftLeft(g, shift)), (p, BooleanGates.ShiftLeft(p, shift))]);
            g = BooleanGates.Xor(g, r[0]);
            p = r[1];
        }
        return g;
    }

    /// <summary>a + b mod 2^64 on xor shares.</summary>
    public static BooleanShare Add(MpcSession s, BooleanShare a, BooleanShare b) =>
        BooleanGates.Xor(BooleanGates.Xor(a, b), BooleanGates.ShiftLeft(Carries(s, a, b), 1));

    /// <summary>Carry-save step: three addends to two with the same sum (1 round).</summary>
    public static (BooleanShare Sum, BooleanShare Carry) CarrySave(MpcSession s, BooleanShare x, BooleanShare y, BooleanShare z)
    {
        var sum = BooleanGates.Xor(BooleanGates.Xor(x, y), z);
        // majority(x,y,z) = ((x ^ z) & (y ^ z)) ^ z
        var maj = BooleanGates.Xor(BooleanGates.And(s, BooleanGates.Xor(x, z), BooleanGates.Xor(y, z)), z);
        return (sum, BooleanGates.ShiftLeft(maj, 1));
    }
}
