// Ed25519 keys of the log and of its witnesses (RFC 8032, through BouncyCastle). A key is named by its key id, the
// first 16 hex digits of the SHA-256 of its public key. Private keys are 32-byte seeds kept by their owner: the
// registry holds the log's, each compute party its own witness key.
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Smpc.Governance.Transparency;

public sealed record LogPublicKey(string Name, byte[] Key)
{
    public string KeyId => Convert.ToHexStringLower(SHA256.HashData(Key))[..16];

    public bool Verify(byte[] message, byte[] signature)
    {
        if (Key.Length != Ed25519PublicKeyParameters.KeySize || signature.Length != Ed25519PrivateKeyParameters.SignatureSize) return false;
        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(Key));
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
    }

    public override string ToString() => $"{Name} (key {KeyId})";
}

public sealed class LogKey
{
    readonly Ed25519PrivateKeyParameters _private;

    LogKey(string name, Ed25519PrivateKeyParameters key)
    {
        _private = key;
        Public = new LogPublicKey(name, key.GeneratePublicKey().GetEncoded());
    }

    public LogPublicKey Public { get; }
    public string Name => Public.Name;

    public static LogKey Generate(string name) => new(name, new Ed25519PrivateKeyParameters(RandomNumberGenerator.GetBytes(32)));

    public static LogKey FromSeed(string name, byte[] seed) =>
        seed.Length == 32 ? new(name, new Ed25519PrivateKeyParameters(seed)) : throw new LogFormatException($"The key of '{name}' is not a 32-byte Ed25519 seed.");

    public byte[] Seed() => _private.GetEncoded();

    /// <summary>The key kept in <paramref name="path"/> (its seed, base64), created there on first use readable by
    /// its owner only (written to a temporary name and moved into place).</summary>
    public static LogKey LoadOrCreate(string path, string name)
    {
        if (File.Exists(path))
        {
            try { return FromSeed(name, Convert.FromBase64String(File.ReadAllText(path).Trim())); }
            catch (FormatException) { throw new LogFormatException($"{path}: not a base64 Ed25519 seed."); }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var created = Generate(name);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var f = new FileStream(temp, options))
        using (var w = new StreamWriter(f)) w.Write(Convert.ToBase64String(created.Seed()));
        File.Move(temp, path);
        return created;
    }

    public byte[] Sign(byte[] message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _private);
        signer.BlockUpdate(message, 0, message.Length);
        return signer.GenerateSignature();
    }
}
