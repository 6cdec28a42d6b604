// Blinding and unblinding scalars for X25519-only 2HashDH.
// X25519 clamps every scalar k to clamp(k) = 8·m with 2^251 ≤ m < 2^252, and on a point P of prime order ℓ
// computes u(clamp(k)·P), which depends only on clamp(k) mod ℓ. The contributor blinds with r and must later
// unblind with s such that clamp(s)·clamp(r) ≡ 1 (mod ℓ). Writing clamp(s) = 8t, that needs t ≡ (8·clamp(r))⁻¹
// (mod ℓ) with t in [2^251, 2^252): true for about half of all r (ℓ ≈ 2^252), so r is resampled until it holds.
// The inverses are computed in batches with Montgomery's trick (one modular exponentiation per batch).
// Security note: the accepted r are those whose inverse lies in a fixed half-interval, so the blinding exponent is
// uniform on a known set of about ℓ/2 residues rather than on all of Z_ℓ* — the same situation as any X25519 key
// (clamping already restricts it). Telling which subset a blinded point's exponent lies in would require solving
// a discrete-logarithm-type problem; the blinded value is computationally, not perfectly, hiding.
using System.Numerics;
using System.Security.Cryptography;

namespace Smpc.Analytics.Linkage;

static class BlindingScalars
{
    /// <summary>ℓ, the prime order of Curve25519's main subgroup.</summary>
    public static readonly BigInteger Order = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
    static readonly BigInteger Low = BigInteger.Pow(2, 251);
    static readonly BigInteger High = BigInteger.Pow(2, 252);

    /// <summary>The clamped scalar of RFC 7748 as an integer.</summary>
    public static BigInteger Clamped(ReadOnlySpan<byte> scalar)
    {
        Span<byte> k = stackalloc byte[32];
        scalar.CopyTo(k);
        k[0] &= 248; k[31] &= 127; k[31] |= 64;
        return new BigInteger(k, isUnsigned: true, isBigEndian: false);
    }

    /// <summary>n pairs (r_i, s_i), 32 bytes each, with clamp(s_i)·clamp(r_i) ≡ 1 (mod ℓ); fresh randomness per row.</summary>
    public static (byte[] Blind, byte[] Unblind) Generate(int n)
    {
        var blind = new byte[n * 32];
        var unblind = new byte[n * 32];
        WorkRanges.For(n, 2048, (from, to) => GenerateRange(blind, unblind, from, to));
        return (blind, unblind);
    }

    static void GenerateRange(byte[] blind, byte[] unblind, int from, int to)
    {
        var pending = Enumerable.Range(from, to - from).ToList();
        var values = new BigInteger[pending.Count];
        while (pending.Count > 0)
        {
            foreach (int i in pending) RandomNumberGenerator.Fill(blind.AsSpan(i * 32, 32));
            for (int j = 0; j < pending.Count; j++) values[j] = 8 * Clamped(blind.AsSpan(pending[j] * 32, 32)) % Order;
            var inverses = BatchInverse(values.AsSpan(0, pending.Count));
            var retry = new List<int>();
            for (int j = 0; j < pending.Count; j++)
            {
                var t = inverses[j];
                if (t >= Low && t < High)
                    (8 * t).TryWriteBytes(unblind.AsSpan(pending[j] * 32, 32), out _, isUnsigned: true, isBigEndian: false);
                else retry.Add(pending[j]);
            }
            pending = retry;
        }
    }

    /// <summary>Inverses mod ℓ of nonzero values with Montgomery's trick: 3(n−1) products and one exponentiation.</summary>
    static BigInteger[] BatchInverse(ReadOnlySpan<BigInteger> values)
    {
        int n = values.Length;
        var prefix = new BigInteger[n];
        var acc = BigInteger.One;
        for (int i = 0; i < n; i++) { acc = acc * values[i] % Order; prefix[i] = acc; }
        var inv = BigInteger.ModPow(acc, Order - 2, Order);
        var result = new BigInteger[n];
        for (int i = n - 1; i > 0; i--)
        {
            result[i] = inv * prefix[i - 1] % Order;
            inv = inv * values[i] % Order;
        }
        if (n > 0) result[0] = inv;
        return result;
    }
}
