// Contributor side of the threshold OPRF pseudonymiser (2HashDH on Curve25519 with X25519 arithmetic).
//   H1(x) = hash_to_curve(x) (RFC 9380, curve25519_XMD:SHA-512_ELL2_RO_), a point of prime order ℓ
//   blind:   a = X25519(r, H1(x))            fresh r per element (see BlindingScalars)
//   parties: b = X25519(k2, X25519(k1, X25519(k0, a)))   (ClusterOprfService)
//   unblind: y = X25519(s, b) with clamp(s)·clamp(r) ≡ 1 (mod ℓ), so y = u(k·H1(x)), k = Π clamp(k_i) mod ℓ
//   H2:      pseudonym = first 8 bytes (LE) of SHA-256("2HashDH-H2" ‖ len(x) ‖ x ‖ y)
// Reference: Jarecki, Kiayias & Krawczyk, "Round-optimal password-protected secret sharing and T-PAKE in the
// password-only model", ASIACRYPT 2014, §3.1 (2HashDH); threshold version: TOPPSS (EuroS&P 2017).
// Security: semi-honest compute parties, honest majority not even needed for the key (3-of-3). The contributor
// learns F(x) for its own x only; it cannot evaluate F alone. Cost per key: one hash to curve, two X25519 at the
// contributor, one X25519 at each party.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Smpc.Analytics.Linkage;

/// <summary>Pseudonyms from the threshold OPRF: no single party, and no contributor, holds the key.</summary>
public sealed class OprfPseudonymiser : Pseudonymiser
{
    /// <summary>Domain-separation tag of H1 (RFC 9380 §3.1).</summary>
    public const string HashToCurveTag = "Smpc.Analytics-2HashDH-V1-with-" + HashToCurve25519.Suite;

    static readonly byte[] H2Tag = Encoding.ASCII.GetBytes("2HashDH-H2");

    readonly IOprfService _service;
    readonly string _contributor;
    readonly X25519Backend _backend;
    readonly HashToCurve25519 _h1 = new(HashToCurveTag);

    /// <param name="service">The compute parties' evaluation service.</param>
    /// <param name="contributor">The contributor's name, against which evaluations are counted.</param>
    /// <param name="backend">X25519 implementation (default: OpenSSL when available).</param>
    public OprfPseudonymiser(IOprfService service, string contributor, X25519Backend? backend = null)
    {
        _service = service ?? throw new ArgumentNullException(nameof(service));
        _contributor = string.IsNullOrWhiteSpace(contributor) ? throw new ArgumentException("A contributor name is required.", nameof(contributor)) : contributor;
        _backend = backend ?? X25519Backend.Default;
    }

    /// <summary>The scheme of OPRF pseudonyms (pseudonyms of different schemes never match).</summary>
    public const string SchemeName = "2hashdh-x25519/64";

    public override string Scheme => SchemeName;

    protected override ulong[] PseudonymiseCore(string[] keys)
    {
        var y = Evaluate(keys);
        var result = new ulong[keys.Length];
        WorkRanges.For(keys.Length, 4096, (from, to) =>
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Span<byte> digest = stackalloc byte[32];
            Span<byte> length = stackalloc byte[4];
            for (int i = from; i < to; i++)
            {
                var x = Encoding.UTF8.GetBytes(keys[i]);
                BinaryPrimitives.WriteInt32BigEndian(length, x.Length);
                sha.AppendData(H2Tag);
                sha.AppendData(length);
                sha.AppendData(x);
                sha.AppendData(y, i * 32, 32);
                sha.GetHashAndReset(digest);
                result[i] = BinaryPrimitives.ReadUInt64LittleEndian(digest);
            }
        });
        return result;
    }

    /// <summary>u(k·H1(x)) for each key (32 bytes each): hash, blind, evaluate at the parties, unblind.</summary>
    internal byte[] Evaluate(string[] keys)
    {
        int n = keys.Length;
        var points = HashToCurve(keys);
        var (blind, unblind) = BlindingScalars.Generate(n);
        var blinded = new byte[n * 32];
        _backend.MultiplyEach(blind, points, blinded);
        var evaluated = _service.Evaluate(_contributor, blinded);
        if (evaluated.Length != blinded.Length)
            throw new LinkageException($"The OPRF service returned {evaluated.Length / 32} points for {n} inputs.");
        var y = new byte[n * 32];
        _backend.MultiplyEach(unblind, evaluated, y);
        return y;
    }

    /// <summary>H1 for each key (32-byte u-coordinates).</summary>
    internal byte[] HashToCurve(string[] keys)
    {
        var points = new byte[keys.Length * 32];
        WorkRanges.For(keys.Length, 512, (from, to) =>
        {
            var messages = new byte[to - from][];
            for (int i = from; i < to; i++) messages[i - from] = Encoding.UTF8.GetBytes(keys[i]);
            _h1.HashMany(messages, points.AsSpan(from * 32, (to - from) * 32));
        });
        return points;
    }
}
