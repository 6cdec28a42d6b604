using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Smpc.Governance.Review;

/// <summary>
/// Public-key encryption of a release to one recipient (the analyst, or the reviewing steward), so that the registry
/// that stores and forwards it never reads it: ECIES over P-256 — an ephemeral ECDH key per box, HKDF-SHA256 over the
/// shared secret (salt: both public keys; info: the box's context) to an AES-256-GCM key, the context also as associated
/// data. A box opens only with the recipient's private key and only under the context it was sealed for (e.g. one
/// review and one dataset), so the registry cannot move a box from one review to another. Text form: base64 of
/// version (1) ‖ length of the ephemeral key (2 bytes, big-endian) ‖ ephemeral key (SubjectPublicKeyInfo) ‖ nonce (12) ‖
/// tag (16) ‖ ciphertext.
/// </summary>
public static class SealedBox
{
    const byte Version = 1;

    /// <summary>A new P-256 key pair: the public key as base64 SubjectPublicKeyInfo, the private key as base64 PKCS#8.</summary>
    public static (string PublicKey, string PrivateKey) NewKeyPair()
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return (Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), Convert.ToBase64String(key.ExportPkcs8PrivateKey()));
    }

    /// <summary>Whether <paramref name="publicKey"/> is a base64 SubjectPublicKeyInfo of a P-256 key.</summary>
    public static bool IsPublicKey(string publicKey)
    {
        try
        {
            using var key = Import(publicKey);
            return true;
        }
        catch (Exception e) when (e is FormatException or CryptographicException) { return false; }
    }

    /// <summary>The first 16 hex digits of the SHA-256 of the key's SubjectPublicKeyInfo, to name a key.</summary>
    public static string Fingerprint(string publicKey) => Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(publicKey)))[..16];

    public static string Seal(ReadOnlySpan<byte> plaintext, string recipientPublicKey, string context)
    {
        using var recipient = Import(recipientPublicKey);
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        byte[] eph = ephemeral.ExportSubjectPublicKeyInfo(), rcp = recipient.ExportSubjectPublicKeyInfo();
        var key = Key(ephemeral.DeriveRawSecretAgreement(recipient.PublicKey), eph, rcp, context);
        var output = new byte[1 + 2 + eph.Length + 12 + 16 + plaintext.Length];
        output[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(1), (ushort)eph.Length);
        eph.CopyTo(output, 3);
        var nonce = output.AsSpan(3 + eph.Length, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plaintext, output.AsSpan(3 + eph.Length + 28), output.AsSpan(3 + eph.Length + 12, 16), Encoding.UTF8.GetBytes(context));
        return Convert.ToBase64String(output);
    }

    /// <summary>Opens a box sealed to the key pair of <paramref name="privateKey"/> under <paramref name="context"/>;
    /// throws <see cref="CryptographicException"/> when the box was sealed to another key or context, or was altered.</summary>
    public static byte[] Open(string box, string privateKey, string context)
    {
        byte[] data;
        try { data = Convert.FromBase64String(box); }
        catch (FormatException e) { throw new CryptographicException("The sealed box is not base64.", e); }
        if (data.Length < 3 || data[0] != Version) throw new CryptographicException("The sealed box has an unknown version.");
        int n = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(1));
        if (data.Length < 3 + n + 28) throw new CryptographicException("The sealed box is truncated.");
        using var me = ECDiffieHellman.Create();
        me.ImportPkcs8PrivateKey(Convert.FromBase64String(privateKey), out _);
        using var ephemeral = ECDiffieHellman.Create();
        var eph = data.AsSpan(3, n).ToArray();
        ephemeral.ImportSubjectPublicKeyInfo(eph, out _);
        var key = Key(me.DeriveRawSecretAgreement(ephemeral.PublicKey), eph, me.ExportSubjectPublicKeyInfo(), context);
        var plaintext = new byte[data.Length - 3 - n - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(data.AsSpan(3 + n, 12), data.AsSpan(3 + n + 28), data.AsSpan(3 + n + 12, 16), plaintext, Encoding.UTF8.GetBytes(context));
        return plaintext;
    }

    static byte[] Key(byte[] shared, byte[] ephemeral, byte[] recipient, string context) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, [.. ephemeral, .. recipient], Encoding.UTF8.GetBytes("smpc sealed box v1\n" + context));

    static ECDiffieHellman Import(string publicKey)
    {
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
            if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
                throw new CryptographicException("not a P-256 key");
            return key;
        }
        catch { key.Dispose(); throw; }
    }
}
