using System.Security.Cryptography;

namespace Smpc.Analytics.Linkage;

/// <summary>
/// One compute party's share k_i of the OPRF key. The function's key is the product clamp(k_0)·clamp(k_1)·clamp(k_2)
/// mod ℓ (a 3-out-of-3 multiplicative sharing): evaluating it needs all three parties in turn, and no party — nor any
/// two together — can compute a pseudonym alone. Each party samples its own share; it never leaves that party.
/// Use fresh shares per study, so pseudonyms cannot be linked across studies.
/// </summary>
public sealed class OprfKeyShare
{
    readonly byte[] _scalar;

    OprfKeyShare(int party, byte[] scalar)
    {
        if ((uint)party > 2) throw new ArgumentOutOfRangeException(nameof(party), party, "Party id must be 0, 1 or 2.");
        if (scalar.Length != X25519Backend.Size) throw new ArgumentException("An OPRF key share is a 32-byte X25519 scalar.", nameof(scalar));
        Party = party;
        _scalar = scalar;
    }

    public int Party { get; }

    /// <summary>A fresh random share for <paramref name="party"/>.</summary>
    public static OprfKeyShare Generate(int party) => new(party, RandomNumberGenerator.GetBytes(X25519Backend.Size));

    /// <summary>Fresh shares for parties 0, 1, 2 (the embedded default, where one process hosts all three).</summary>
    public static OprfKeyShare[] GenerateForParties() => [Generate(0), Generate(1), Generate(2)];

    /// <summary>A share with a given scalar (known-answer tests only).</summary>
    internal static OprfKeyShare FromScalar(int party, byte[] scalar) => new(party, (byte[])scalar.Clone());

    /// <summary>Party <paramref name="party"/>'s share read back from its own (encrypted) store.</summary>
    public static OprfKeyShare Restore(int party, ReadOnlySpan<byte> scalar) => new(party, scalar.ToArray());

    /// <summary>The 32-byte scalar, for the party's own encrypted store only (never sent anywhere).</summary>
    public byte[] Export() => (byte[])_scalar.Clone();

    /// <summary>The share's public key K_i = X25519(k_i, 9) (the base point): lets a contributor check, with probe
    /// points t·G whose answer X25519(t, K_i) it can compute itself, that the party applied this share.</summary>
    public byte[] PublicKey(X25519Backend backend) => backend.Multiply(_scalar, BasePoint);

    /// <summary>The u-coordinate 9 of Curve25519's base point (RFC 7748 §4.1), of prime order ℓ.</summary>
    public static ReadOnlySpan<byte> BasePoint => [9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Applies this share to blinded u-coordinates: X25519(k_i, u) for each 32-byte element.</summary>
    public byte[] Apply(X25519Backend backend, byte[] points)
    {
        var output = new byte[points.Length];
        backend.MultiplyFixed(_scalar, points, output);
        return output;
    }
}
