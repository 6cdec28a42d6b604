// Keyed-hash pseudonyms: P(x) = first 8 bytes (little-endian) of HMAC-SHA256(K, UTF-8(x)).
// Reference: RFC 2104 (HMAC), FIPS 180-4 (SHA-256); the classic PPRL construction (e.g. Schnell et al.,
// "Privacy-preserving record linkage using Bloom filters", 2009, §2 — keyed HMAC of identifiers).
// Security model: K is shared by the contributors of one study and never given to a compute party. Without K,
// pseudonyms are pseudorandom (HMAC is a PRF), so a compute party that sees opened pseudonyms cannot test
// guesses. Anyone holding K can: a contributor colluding with one compute party can run a dictionary attack
// on every opened pseudonym (about 10^9 SSNs ≈ 15 CPU-minutes) — see LEAKAGE.md. Fresh K per study.
// Leakage: none by itself (runs at the contributor). Cost: one HMAC per key (~1.4 M/s per core).
using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Smpc.Analytics.Linkage;

/// <summary>HMAC-SHA256 under a key shared by the contributors (not the compute parties), truncated to 64 bits.</summary>
public sealed class KeyedHashPseudonymiser : Pseudonymiser
{
    /// <summary>Required key length in bytes (256 bits).</summary>
    public const int KeySize = 32;

    readonly byte[] _key;

    public KeyedHashPseudonymiser(ReadOnlySpan<byte> key)
    {
        if (key.Length < KeySize)
            throw new ArgumentException($"The study's linkage key must be at least {KeySize} bytes; got {key.Length}.", nameof(key));
        _key = key.ToArray();
    }

    /// <summary>A fresh random study key (the coordinator generates it and gives it to contributors only).</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    /// <summary>A key for another purpose of the same contributors (HKDF-SHA256 of the study key, labelled by
    /// <paramref name="purpose"/>): the fuzzy encoding's filter and blocking keys, independent of the pseudonyms' key.</summary>
    public byte[] DeriveKey(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, KeySize, salt: null, info: Encoding.UTF8.GetBytes("smpc " + purpose));

    /// <summary>The scheme of keyed-hash pseudonyms (pseudonyms of different schemes never match).</summary>
    public const string SchemeName = "hmac-sha256/64";

    public override string Scheme => SchemeName;

    protected override ulong[] PseudonymiseCore(string[] keys)
    {
        var result = new ulong[keys.Length];
        WorkRanges.For(keys.Length, 4096, (from, to) =>
        {
            // One HMAC object per range: the one-shot static call is 2–3× slower on short messages.
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
            Span<byte> mac = stackalloc byte[32];
            byte[] buffer = ArrayPool<byte>.Shared.Rent(256);
            try
            {
                for (int i = from; i < to; i++)
                {
                    int max = Encoding.UTF8.GetMaxByteCount(keys[i].Length);
                    if (max > buffer.Length) { ArrayPool<byte>.Shared.Return(buffer); buffer = ArrayPool<byte>.Shared.Rent(max); }
                    int len = Encoding.UTF8.GetBytes(keys[i], buffer);
                    hmac.AppendData(buffer, 0, len);
                    hmac.GetHashAndReset(mac);
                    result[i] = BinaryPrimitives.ReadUInt64LittleEndian(mac);
                }
            }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
        });
        return result;
    }
}
