using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies;

/// <summary>How contributors turn linkage keys into pseudonyms (see the Linkage README and LEAKAGE.md "Linkage").</summary>
public enum PseudonymiserKind
{
    /// <summary>HMAC-SHA256 under a key the contributors share and the compute parties never see (fast; a contributor
    /// colluding with one compute party can test guesses).</summary>
    KeyedHash,
    /// <summary>Threshold OPRF (2HashDH on Curve25519), the key split across the three compute parties: no contributor
    /// and no single party can compute a pseudonym (slower: elliptic-curve operations per key).</summary>
    Oprf,
}

public static class PseudonymiserKinds
{
    public static readonly IReadOnlyList<string> All = ["keyed-hash", "oprf"];

    public static string Name(this PseudonymiserKind k) => k == PseudonymiserKind.Oprf ? "oprf" : "keyed-hash";

    public static PseudonymiserKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "keyed-hash" or "hmac" or "hash" => PseudonymiserKind.KeyedHash,
        "oprf" => PseudonymiserKind.Oprf,
        _ => throw new QueryException($"Unknown pseudonymiser '{text}'. Use keyed-hash (HMAC under the contributors' key) or oprf (threshold OPRF at the compute parties)."),
    };
}
