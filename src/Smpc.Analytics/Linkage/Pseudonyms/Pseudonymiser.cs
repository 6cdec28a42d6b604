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

    /// <summary>Runs <paramref name="body"/> over [0, n) in contiguous ranges on the thread pool.</summary>
    internal static void ForRanges(int n, int minRange, Action<int, int> body)
    {
        int ranges = Math.Max(1, Math.Min(Environment.ProcessorCount * 4, n / Math.Max(1, minRange)));
        if (ranges == 1) { body(0, n); return; }
        Parallel.For(0, ranges, k => body((int)((long)n * k / ranges), (int)((long)n * (k + 1) / ranges)));
    }
}
