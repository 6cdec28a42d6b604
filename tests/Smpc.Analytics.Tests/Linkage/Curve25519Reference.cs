using System.Numerics;
using System.Security.Cryptography;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>
/// A slow, independent reference for Curve25519 written directly from the RFC texts with BigInteger:
/// affine arithmetic on v² = u³ + A·u² + u, RFC 9380 hash_to_curve (generic Elligator 2 of §6.7.1 with
/// explicit is_square / sqrt), and the RFC 7748 §5 X25519 ladder. Used only to cross-check the fast code.
/// </summary>
public static class Curve25519Reference
{
    public static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    public static readonly BigInteger Order = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
    static readonly BigInteger A = 486662;

    static BigInteger Mod(BigInteger x) { var r = x % P; return r.Sign < 0 ? r + P : r; }
    static BigInteger Inv(BigInteger x) => BigInteger.ModPow(Mod(x), P - 2, P);
    static bool IsSquare(BigInteger x) { x = Mod(x); return x.IsZero || BigInteger.ModPow(x, (P - 1) / 2, P).IsOne; }

    static BigInteger Sqrt(BigInteger x)
    {
        x = Mod(x);
        var c = BigInteger.ModPow(x, (P + 3) / 8, P);
        if (Mod(c * c) == x) return c;
        var i = BigInteger.ModPow(2, (P - 1) / 4, P);   // sqrt(−1)
        c = Mod(c * i);
        return Mod(c * c) == x ? c : throw new InvalidOperationException("not a square");
    }

    public static string Hex(BigInteger x)
    {
        var b = new byte[32];
        Mod(x).TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: true);
        return Convert.ToHexString(b).ToLowerInvariant();
    }

    public static bool OnCurve(BigInteger x, BigInteger y) => Mod(y * y) == Mod(x * x * x + A * x * x + x);

    static byte[] Xmd(byte[] msg, byte[] dst, int len)
    {
        var dstPrime = dst.Append((byte)dst.Length).ToArray();
        var b0 = SHA512.HashData(new byte[128].Concat(msg).Concat(new[] { (byte)(len >> 8), (byte)len, (byte)0 }).Concat(dstPrime).ToArray());
        var output = new List<byte>();
        var prev = new byte[64];
        for (int i = 1; output.Count < len; i++)
        {
            prev = SHA512.HashData(b0.Zip(prev, (a, b) => (byte)(a ^ b)).Append((byte)i).Concat(dstPrime).ToArray());
            output.AddRange(prev);
        }
        return output.Take(len).ToArray();
    }

    static (BigInteger X, BigInteger Y) Map(BigInteger u)
    {
        // RFC 9380 §6.7.1 with J = A, K = 1, Z = 2.
        var x1 = Mod(-A * (Mod(1 + 2 * u * u).IsZero ? 0 : Inv(1 + 2 * u * u)));
        if (x1.IsZero) x1 = Mod(-A);
        var gx1 = Mod(x1 * x1 * x1 + A * x1 * x1 + x1);
        var x2 = Mod(-x1 - A);
        var gx2 = Mod(x2 * x2 * x2 + A * x2 * x2 + x2);
        BigInteger x, y;
        if (IsSquare(gx1)) { x = x1; y = Sqrt(gx1); if (y.IsEven) y = Mod(-y); }     // sgn0(y) == 1
        else { x = x2; y = Sqrt(gx2); if (!y.IsEven) y = Mod(-y); }                  // sgn0(y) == 0
        return (x, y);
    }

    static (BigInteger X, BigInteger Y)? Add((BigInteger X, BigInteger Y)? p, (BigInteger X, BigInteger Y)? q)
    {
        if (p is null) return q;
        if (q is null) return p;
        var (x1, y1) = p.Value; var (x2, y2) = q.Value;
        BigInteger l;
        if (x1 == x2)
        {
            if (Mod(y1 + y2).IsZero) return null;
            l = Mod((3 * x1 * x1 + 2 * A * x1 + 1) * Inv(2 * y1));
        }
        else l = Mod((y2 - y1) * Inv(x2 - x1));
        var x3 = Mod(l * l - A - x1 - x2);
        return (x3, Mod(l * (x1 - x3) - y1));
    }

    public static (BigInteger X, BigInteger Y)? Multiply(BigInteger k, (BigInteger X, BigInteger Y)? p)
    {
        (BigInteger X, BigInteger Y)? r = null;
        for (int i = (int)k.GetBitLength() - 1; i >= 0; i--)
        {
            r = Add(r, r);
            if (!(k >> i).IsEven) r = Add(r, p);
        }
        return r;
    }

    public static (BigInteger X, BigInteger Y) HashToCurve(byte[] msg, byte[] dst)
    {
        var bytes = Xmd(msg, dst, 96);
        var u0 = new BigInteger(bytes.AsSpan(0, 48), isUnsigned: true, isBigEndian: true) % P;
        var u1 = new BigInteger(bytes.AsSpan(48, 48), isUnsigned: true, isBigEndian: true) % P;
        var q = Add(Map(u0), Map(u1));
        return Multiply(8, q) ?? throw new InvalidOperationException("identity");
    }

    public static byte[] LittleEndian(BigInteger x)
    {
        var b = new byte[32];
        Mod(x).TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return b;
    }

    public static BigInteger FromLittleEndian(ReadOnlySpan<byte> b) => new(b, isUnsigned: true, isBigEndian: false);

    /// <summary>u-coordinate of hash_to_curve, little-endian (what the fast code returns).</summary>
    public static byte[] HashToCurveU(byte[] msg, byte[] dst) => LittleEndian(HashToCurve(msg, dst).X);

    /// <summary>RFC 7748 clamping: clear bits 0–2 and 255, set bit 254.</summary>
    public static BigInteger Clamp(ReadOnlySpan<byte> scalar)
    {
        var k = scalar.ToArray();
        k[0] &= 248; k[31] &= 127; k[31] |= 64;
        return FromLittleEndian(k);
    }

    /// <summary>X25519 by the RFC 7748 §5 ladder.</summary>
    public static byte[] X25519(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> u)
    {
        var k = Clamp(scalar);
        var ub = u.ToArray(); ub[31] &= 127;
        var x1 = FromLittleEndian(ub);
        BigInteger x2 = 1, z2 = 0, x3 = x1, z3 = 1;
        int swap = 0;
        for (int t = 254; t >= 0; t--)
        {
            int kt = (int)((k >> t) & 1);
            swap ^= kt;
            if (swap == 1) { (x2, x3) = (x3, x2); (z2, z3) = (z3, z2); }
            swap = kt;
            var a = Mod(x2 + z2); var aa = Mod(a * a); var b = Mod(x2 - z2); var bb = Mod(b * b); var e = Mod(aa - bb);
            var c = Mod(x3 + z3); var d = Mod(x3 - z3); var da = Mod(d * a); var cb = Mod(c * b);
            x3 = Mod((da + cb) * (da + cb)); z3 = Mod(x1 * Mod((da - cb) * (da - cb)));
            x2 = Mod(aa * bb); z2 = Mod(e * (aa + 121665 * e));
        }
        if (swap == 1) { (x2, x3) = (x3, x2); (z2, z3) = (z3, z2); }
        return LittleEndian(Mod(x2 * BigInteger.ModPow(z2, P - 2, P)));
    }
}
