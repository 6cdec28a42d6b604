using System.Security.Cryptography;

namespace Smpc.Analytics.Linkage;

/// <summary>
/// Shared part of the pseudonymisers: missing keys are replaced by random dummy keys before the scheme runs,
/// so a missing key costs the same, looks the same to every party (for the OPRF: one more blinded evaluation)
/// and yields a pseudonym that matches nothing with overwhelming probability.
/// </summary>
public abstract class Pseudonymiser : IPseudonymiser
{
    public abstract string Scheme { get; }

    public ulong[] Pseudonymise(IReadOnlyList<string?> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var filled = new string[keys.Count];
        for (int i = 0; i < filled.Length; i++)
            filled[i] = keys[i] ?? DummyKey();
        return PseudonymiseCore(filled);
    }

    /// <summary>Pseudonyms of non-null keys.</summary>
    protected abstract ulong[] PseudonymiseCore(string[] keys);

    /// <summary>A key no normalised identifier can equal (it starts with a NUL character) with 128 random bits.</summary>
    static string DummyKey() => "\0missing:" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
