using System.Security.Cryptography;
using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>RFC 7748 §5.2 and §6.1 vectors on both X25519 implementations, and OpenSSL = BouncyCastle = reference on random inputs.</summary>
public class X25519Tests
{
    public static TheoryData<string> Backends => new("OpenSSL", "BouncyCastle");

    static X25519Backend Get(string name) => name == "OpenSSL"
        ? X25519Backend.OpenSsl ?? throw new InvalidOperationException("libcrypto.so.3 is not loadable on this machine")
        : X25519Backend.BouncyCastle;

    static byte[] H(string hex) => Convert.FromHexString(hex);

    [Theory, MemberData(nameof(Backends))]
    public void Rfc7748_single_vectors(string backend)
    {
        var x = Get(backend);
        Assert.Equal(H("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
            x.Multiply(H("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"), H("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")));
        // The second vector's u has its top bit set: implementations must mask it.
        Assert.Equal(H("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"),
            x.Multiply(H("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"), H("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")));
    }

    [Theory, MemberData(nameof(Backends))]
    public void Rfc7748_iterated_vector_1000(string backend)
    {
        var x = Get(backend);
        var k = new byte[32]; k[0] = 9;
        var u = (byte[])k.Clone();
        for (int i = 1; i <= 1000; i++)
        {
            var r = x.Multiply(k, u);
            u = k; k = r;
            if (i == 1) Assert.Equal(H("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"), k);
        }
        Assert.Equal(H("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"), k);
    }

    [Theory, MemberData(nameof(Backends))]
    public void Rfc7748_Diffie_Hellman(string backend)
    {
        var x = Get(backend);
        var nine = new byte[32]; nine[0] = 9;
        var a = H("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        var b = H("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        var pa = x.Multiply(a, nine); var pb = x.Multiply(b, nine);
        Assert.Equal(H("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), pa);
        Assert.Equal(H("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), pb);
        var shared = H("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        Assert.Equal(shared, x.Multiply(a, pb));
        Assert.Equal(shared, x.Multiply(b, pa));
    }

    [Fact]
    public void OpenSSL_BouncyCastle_and_the_reference_agree_on_random_batches()
    {
        var openSsl = Get("OpenSSL");
        int n = 200;
        var scalars = RandomNumberGenerator.GetBytes(32 * n);
        var points = new HashToCurve25519("test").Hash("seed"u8.ToArray());
        var many = new byte[32 * n];
        for (int i = 0; i < n; i++) X25519Backend.BouncyCastle.Multiply(scalars.AsSpan(32 * i, 32), points).CopyTo(many, 32 * i);
        var a = new byte[32 * n]; var b = new byte[32 * n];
        openSsl.MultiplyEach(scalars, many, a);
        X25519Backend.BouncyCastle.MultiplyEach(scalars, many, b);
        Assert.Equal(a, b);
        var key = RandomNumberGenerator.GetBytes(32);
        openSsl.MultiplyFixed(key, many, a);
        X25519Backend.BouncyCastle.MultiplyFixed(key, many, b);
        Assert.Equal(a, b);
        for (int i = 0; i < 10; i++)
            Assert.Equal(Curve25519Reference.X25519(key, many.AsSpan(32 * i, 32)), a.AsSpan(32 * i, 32).ToArray());
    }

    [Theory, MemberData(nameof(Backends))]
    public void A_small_order_point_is_refused(string backend)
    {
        var zero = new byte[32];   // u = 0 is the point of order 2
        var e = Assert.Throws<SmpcException>(() => Get(backend).Multiply(RandomNumberGenerator.GetBytes(32), zero));
        Assert.Contains("small order", e.Message);
    }

    [Theory, MemberData(nameof(Backends))]
    public void Ladders_commute_so_parties_can_apply_keys_in_any_order(string backend)
    {
        var x = Get(backend);
        var p = new HashToCurve25519("test").Hash("x"u8.ToArray());
        var k1 = RandomNumberGenerator.GetBytes(32); var k2 = RandomNumberGenerator.GetBytes(32);
        Assert.Equal(x.Multiply(k1, x.Multiply(k2, p)), x.Multiply(k2, x.Multiply(k1, p)));
    }
}
