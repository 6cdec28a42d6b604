// A compute party's store key: encrypts the party's shares at rest.
// Reference: RFC 5869 (HKDF with SHA-256), NIST SP 800-38D (AES-GCM).
// Choice: the key is derived, never stored: HKDF-SHA256(ikm = the private scalar of the party's study certificate
// key, salt = "smpc-store/v1", info = study name) → 256 bits. Only the holder of party-N.key can read party N's
// store, a backup of the store alone is useless, and nothing extra needs safekeeping. A store records a check value
// (HMAC-SHA256(key, "smpc-store key check")), so opening it with another key — a re-issued certificate, another
// party's key — is refused before anything is read. Rotating the certificate therefore needs a re-upload (or a
// re-encryption with both keys), stated in the operator's notes.
// Leakage: the check value reveals nothing about the key beyond allowing to test a guess of the whole key.
using System.Security.Cryptography;
using System.Text;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Store;

/// <summary>A party's 256-bit store key for one study, and its public check value.</summary>
public sealed class StoreKey : IDisposable
{
    readonly byte[] _key;

    StoreKey(byte[] key) => _key = key;

    /// <summary>Derives the key from the party's credentials (its certificate's private key) for <paramref name="study"/>.</summary>
    public static StoreKey Derive(StudyCredentials party, string study)
    {
        if (!party.Self.IsParty) throw new SmpcException($"A store key is derived from a compute party's key, not from that of {party.Self}.");
        var scalar = party.PrivateScalar();
        try { return new StoreKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, scalar, 32, Encoding.UTF8.GetBytes("smpc-store/v1"), Encoding.UTF8.GetBytes(study))); }
        finally { CryptographicOperations.ZeroMemory(scalar); }
    }

    /// <summary>A key from raw bytes (tests, and stores keyed otherwise).</summary>
    public static StoreKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == 32 ? new StoreKey(key.ToArray()) : throw new ArgumentException("A store key has 32 bytes.", nameof(key));

    /// <summary>The public check value recorded in the store (hex).</summary>
    public string CheckValue => Convert.ToHexStringLower(HMACSHA256.HashData(_key, "smpc-store key check"u8));

    internal AesGcm Cipher() => new(_key, 16);

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
