namespace Smpc.Analytics.Linkage;

/// <summary>
/// Turns normalised linkage keys into 64-bit pseudonyms at the contributor, before the key column is
/// secret-shared. Equal keys give equal pseudonyms under the same pseudonymiser and study key; nothing else
/// about a key can be computed from its pseudonym without that key. Two implementations:
/// <see cref="KeyedHashPseudonymiser"/> (contributors share a secret key) and
/// <see cref="OprfPseudonymiser"/> (the key is split across the compute parties).
/// </summary>
/// <remarks>
/// Pseudonyms are 64-bit truncations, so two different keys collide with probability 2^−64 per pair:
/// among N distinct keys in a study, P(any collision) ≤ N(N−1)/2^65 (2·10^6 keys: ≤ 1.1·10^−7).
/// A collision links two different people; that bound is the false-match rate the truncation adds.
/// </remarks>
public interface IPseudonymiser
{
    /// <summary>Scheme and parameters, e.g. "hmac-sha256/64". Tables joined together must use one scheme and one key.</summary>
    string Scheme { get; }

    /// <summary>
    /// One pseudonym per key. A null key (missing or invalid identifier) gets a fresh random pseudonym that
    /// matches nothing, so compute parties cannot tell missing keys from keys that simply do not link.
    /// </summary>
    ulong[] Pseudonymise(IReadOnlyList<string?> keys);
}
