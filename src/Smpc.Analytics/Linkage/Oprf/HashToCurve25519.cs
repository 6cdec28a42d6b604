// Hash to Curve25519: hash_to_curve for the suite curve25519_XMD:SHA-512_ELL2_RO_ (RFC 9380 §6.7.1, §8.5, App. G.2).
//   u0, u1 = hash_to_field(msg, 2)            expand_message_xmd(SHA-512), 48 bytes each, big-endian mod p
//   Q0, Q1 = map_to_curve_elligator2(u0, u1)  Montgomery form, J = 486662, K = 1, Z = 2
//   P      = clear_cofactor(Q0 + Q1)          h = 8
// Only P's u-coordinate is returned (what X25519 consumes). Field arithmetic is BouncyCastle's X25519Field
// (10 limbs); x-coordinates stay as fractions X/Z so the whole map costs two square roots and one inversion.
// Known-answer tests: RFC 9380 Appendix J.4.1 (u, Q0, Q1, P.x). Security: the output is a random oracle into
// the prime-order subgroup (RFC 9380 §10.1), so nobody knows a discrete logarithm relation between outputs.
// Variable time in the map's branch (square / non-square): runs at the contributor on its own data only.
using System.Numerics;
using F = Org.BouncyCastle.Math.EC.Rfc7748.X25519Field;

namespace Smpc.Analytics.Linkage;

/// <summary>RFC 9380 hash_to_curve into Curve25519 (curve25519_XMD:SHA-512_ELL2_RO_), returning the u-coordinate.</summary>
public sealed class HashToCurve25519
{
    /// <summary>The RFC 9380 suite identifier.</summary>
    public const string Suite = "curve25519_XMD:SHA-512_ELL2_RO_";

    static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    static readonly int[] A = Element(486662);
    static readonly int[] A24 = Element(121665);    // (A − 2)/4, for x-only doubling as in RFC 7748 §5

    readonly byte[] _dst;

    /// <param name="domainSeparationTag">The application's DST (RFC 9380 §3.1), at most 255 bytes.</param>
    public HashToCurve25519(string domainSeparationTag)
    {
        _dst = System.Text.Encoding.UTF8.GetBytes(domainSeparationTag);
        if (_dst.Length is 0 or > 255) throw new ArgumentException("The domain-separation tag must be 1 to 255 bytes.", nameof(domainSeparationTag));
    }

    /// <summary>u-coordinate (32 bytes, little-endian, canonical) of hash_to_curve(message).</summary>
    public byte[] Hash(ReadOnlySpan<byte> message)
    {
        var u = new byte[32];
        Hash(message, u);
        return u;
    }

    /// <summary>Writes the u-coordinate of hash_to_curve(message) into <paramref name="destination"/> (32 bytes).</summary>
    public void Hash(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        var (x, z) = Projective(message);
        var zi = F.Create();
        F.Inv(z, zi);
        F.Mul(x, zi, x);
        Encode(x, destination);
    }

    /// <summary>
    /// u-coordinates of many messages into <paramref name="destination"/> (32 bytes each), sharing one field inversion
    /// among all of them (Montgomery's trick: three multiplications per message instead of an inversion each).
    /// </summary>
    public void HashMany(IReadOnlyList<byte[]> messages, Span<byte> destination)
    {
        int n = messages.Count;
        if (destination.Length != 32 * n) throw new ArgumentException($"Destination must hold {n} × 32 bytes.", nameof(destination));
        if (n == 0) return;
        var xs = new int[n][];
        var zs = new int[n][];
        var prefix = new int[n][];                    // prefix[i] = z_0 · … · z_i
        for (int i = 0; i < n; i++)
        {
            (xs[i], zs[i]) = Projective(messages[i]);
            prefix[i] = F.Create();
            if (i == 0) F.Copy(zs[0], 0, prefix[0], 0);
            else F.Mul(prefix[i - 1], zs[i], prefix[i]);
        }
        var inv = F.Create();                         // (z_0 · … · z_i)⁻¹, walking down
        F.Inv(prefix[n - 1], inv);
        var zi = F.Create();
        for (int i = n - 1; i >= 0; i--)
        {
            if (i > 0)
            {
                F.Mul(inv, prefix[i - 1], zi);        // z_i⁻¹
                F.Mul(inv, zs[i], inv);
            }
            else F.Copy(inv, 0, zi, 0);
            F.Mul(xs[i], zi, xs[i]);
            Encode(xs[i], destination.Slice(32 * i, 32));
        }
    }

    /// <summary>clear_cofactor(Q0 + Q1) as a projective x-coordinate (X : Z) with Z ≠ 0.</summary>
    (int[] X, int[] Z) Projective(ReadOnlySpan<byte> message)
    {
        var (u0, u1) = HashToField(message);
        var (x0, z0, y0) = MapToCurve(u0);
        var (x1, z1, y1) = MapToCurve(u1);
        var (x, z) = Add(x0, z0, y0, x1, z1, y1);
        for (int i = 0; i < 3; i++) Double(x, z);    // clear_cofactor: multiply by h = 8
        F.Normalize(z);
        if (F.IsZeroVar(z)) throw new SmpcException("hash_to_curve reached the point at infinity (probability 2^-250).");
        return (x, z);
    }

    /// <summary>hash_to_field(msg, 2): two field elements as 32-byte little-endian encodings (RFC 9380 §5.2).</summary>
    internal (int[] U0, int[] U1) HashToField(ReadOnlySpan<byte> message)
    {
        var bytes = ExpandMessageXmd.Sha512(message, _dst, 96);
        return (ReduceBigEndian(bytes.AsSpan(0, 48)), ReduceBigEndian(bytes.AsSpan(48, 48)));
    }

    /// <summary>map_to_curve_elligator2 (RFC 9380 §6.7.1): x as the fraction X/Z, and y.</summary>
    internal static (int[] X, int[] Z, int[] Y) MapToCurve(int[] u)
    {
        // x1 = −A / (1 + Z·u²) with Z = 2; if the denominator is 0, x1 = −A.
        var d = F.Create(); F.Sqr(u, d); F.Add(d, d, d); F.Carry(d); AddOne(d);
        F.Normalize(d);
        if (F.IsZeroVar(d)) F.One(d);
        var x = F.Create(); F.Negate(A, x); F.Carry(x);
        var (gx, gz) = Rhs(x, d);
        var y = F.Create();
        bool square = F.SqrtRatioVar(gx, gz, y);
        if (!square)
        {
            // x2 = −x1 − A = (−X − A·Z)/Z; g(x2) is then a square (Elligator 2).
            var az = F.Create(); F.Mul(A, d, az);
            F.Negate(x, x); F.Sub(x, az, x); F.Carry(x);
            (gx, gz) = Rhs(x, d);
            if (!F.SqrtRatioVar(gx, gz, y)) throw new SmpcException("Elligator 2: neither candidate is on the curve (cannot happen for Curve25519).");
        }
        F.Normalize(y);
        // sgn0(y) must be 1 for the first candidate and 0 for the second.
        if ((Sgn0(y) == 1) != square) { F.Negate(y, y); F.Carry(y); F.Normalize(y); }
        return (x, d, y);
    }

    /// <summary>g(x)·Z⁴ / Z³ for x = X/Z, i.e. numerator X(X² + A·X·Z + Z²) and denominator Z³ of x³ + A·x² + x.</summary>
    static (int[] Num, int[] Den) Rhs(int[] x, int[] z)
    {
        var x2 = F.Create(); F.Sqr(x, x2);
        var z2 = F.Create(); F.Sqr(z, z2);
        var axz = F.Create(); F.Mul(A, x, axz); F.Mul(axz, z, axz);
        var num = F.Create(); F.Add(x2, axz, num); F.Carry(num); F.Add(num, z2, num); F.Carry(num); F.Mul(num, x, num);
        var den = F.Create(); F.Mul(z2, z, den);
        return (num, den);
    }

    /// <summary>x-coordinate (as X/Z) of Q0 + Q1 on v² = u³ + A·u² + u (affine Montgomery addition with fractions).</summary>
    static (int[] X, int[] Z) Add(int[] x0, int[] z0, int[] y0, int[] x1, int[] z1, int[] y1)
    {
        var xz = F.Create(); F.Mul(x0, z1, xz);          // X0·Z1
        var zx = F.Create(); F.Mul(x1, z0, zx);          // X1·Z0
        var d = F.Create(); F.Sub(zx, xz, d); F.Carry(d); F.Normalize(d);
        if (F.IsZeroVar(d))
        {
            // Same x: Q1 = Q0 (then Q0 + Q1 = 2·Q0) or Q1 = −Q0 (infinity). Probability 2^-250 for hashed input.
            var dy = F.Create(); F.Sub(y0, y1, dy); F.Carry(dy); F.Normalize(dy);
            if (!F.IsZeroVar(dy)) throw new SmpcException("hash_to_curve: Q0 = −Q1 (probability 2^-250).");
            var (x, z) = (Copy(x0), Copy(z0));
            Double(x, z);
            return (x, z);
        }
        // λ = N/D with N = (y1 − y0)·Z0·Z1, D = X1·Z0 − X0·Z1;  x3 = λ² − A − x0 − x1
        //   = [N²·Z0·Z1 − D²·(A·Z0·Z1 + X0·Z1 + X1·Z0)] / (D²·Z0·Z1)
        var zz = F.Create(); F.Mul(z0, z1, zz);
        var n = F.Create(); F.Sub(y1, y0, n); F.Carry(n); F.Mul(n, zz, n);
        var n2 = F.Create(); F.Sqr(n, n2); F.Mul(n2, zz, n2);
        var d2 = F.Create(); F.Sqr(d, d2);
        var s = F.Create(); F.Mul(A, zz, s); F.Add(s, xz, s); F.Carry(s); F.Add(s, zx, s); F.Carry(s); F.Mul(s, d2, s);
        var x3 = F.Create(); F.Sub(n2, s, x3); F.Carry(x3);
        var z3 = F.Create(); F.Mul(d2, zz, z3);
        return (x3, z3);
    }

    /// <summary>x-only doubling in projective (X : Z), in place (RFC 7748 §5 ladder formulas).</summary>
    static void Double(int[] x, int[] z)
    {
        var a = F.Create(); F.Add(x, z, a); F.Carry(a);
        var b = F.Create(); F.Sub(x, z, b); F.Carry(b);
        var aa = F.Create(); F.Sqr(a, aa);
        var bb = F.Create(); F.Sqr(b, bb);
        var e = F.Create(); F.Sub(aa, bb, e); F.Carry(e);
        F.Mul(aa, bb, x);
        var t = F.Create(); F.Mul(A24, e, t); F.Add(t, aa, t); F.Carry(t);
        F.Mul(e, t, z);
    }

    static int[] ReduceBigEndian(ReadOnlySpan<byte> bytes)
    {
        var v = new BigInteger(bytes, isUnsigned: true, isBigEndian: true) % P;
        var le = new byte[32];
        v.TryWriteBytes(le, out _, isUnsigned: true, isBigEndian: false);
        var z = F.Create();
        F.Decode255(le, z);
        return z;
    }

    static int[] Element(int small)
    {
        var z = F.Create();
        z[0] = small & 0x03FFFFFF;
        z[1] = small >> 26;
        return z;
    }

    static int[] Copy(int[] x)
    {
        var z = F.Create();
        F.Copy(x, 0, z, 0);
        return z;
    }

    static void AddOne(int[] z) => F.AddOne(z);

    /// <summary>sgn0 for m = 1 (RFC 9380 §4.1): the parity of the canonical value. <paramref name="y"/> must be normalised.</summary>
    static int Sgn0(int[] y) => y[0] & 1;

    /// <summary>Canonical little-endian encoding.</summary>
    internal static void Encode(int[] x, Span<byte> destination)
    {
        var copy = Copy(x);
        F.Normalize(copy);
        var bytes = new byte[32];
        F.Encode(copy, bytes, 0);
        bytes.CopyTo(destination);
    }

    /// <summary>Canonical little-endian bytes of a field element (for tests).</summary>
    internal static byte[] Bytes(int[] x)
    {
        var b = new byte[32];
        Encode(x, b);
        return b;
    }

    /// <summary>Affine x of X/Z (for tests).</summary>
    internal static int[] Affine(int[] x, int[] z)
    {
        var zi = F.Create(); F.Inv(z, zi);
        var r = F.Create(); F.Mul(x, zi, r);
        return r;
    }
}
