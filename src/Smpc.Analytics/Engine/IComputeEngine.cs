using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Engine;

/// <summary>
/// The analyst-side view of a computation: handles to secret vectors and the operations on them.
/// Two implementations share this interface and one conformance suite: <see cref="SecureEngine"/>
/// (three parties on replicated shares) and <see cref="PlaintextEngine"/> (the reference: same API,
/// no secrecy). Higher layers (linkage, statistics, disclosure control) are written against it, so every
/// secure result has a plaintext twin computed by the same code.
/// </summary>
/// <remarks>
/// Values are elements of Z_2^64 (ulong, two's complement for signed values). Nothing is ever revealed
/// except through a method whose name starts with Reveal.
/// </remarks>
public interface IComputeEngine : IDisposable
{
    /// <summary>Human-readable description, e.g. "secure, 3 parties in-process".</summary>
    string Name { get; }

    /// <summary>Whether values are secret-shared (false for the plaintext reference).</summary>
    bool IsSecure { get; }

    /// <summary>Contributor-side input: the caller holds the plaintext and hands out shares; the engine keeps only shares.</summary>
    SecretVector Share(ReadOnlySpan<ulong> values);

    /// <summary>A public constant vector as a (trivial) sharing.</summary>
    SecretVector Public(ReadOnlySpan<ulong> values);

    SecretVector Add(SecretVector x, SecretVector y);
    SecretVector Subtract(SecretVector x, SecretVector y);
    SecretVector AddPublic(SecretVector x, ulong c);
    SecretVector MultiplyPublic(SecretVector x, ulong c);

    /// <summary>Element-wise product of integers mod 2^64 (1 round).</summary>
    SecretVector Multiply(SecretVector x, SecretVector y);

    /// <summary>Arithmetic right shift by <paramref name="bits"/>: exactly floor(x / 2^bits) (requires |x| &lt; 2^62).</summary>
    SecretVector Truncate(SecretVector x, int bits);

    /// <summary>Sum of the elements, as a one-element vector (local).</summary>
    SecretVector Sum(SecretVector x);

    /// <summary>Dot products of each pair, one element per pair, in one round.</summary>
    SecretVector Dot(IReadOnlyList<(SecretVector X, SecretVector Y)> pairs);

    /// <summary>The rows at public indices, in that order (local: the indices are public).</summary>
    SecretVector Gather(SecretVector x, ReadOnlySpan<int> rows);

    /// <summary>Concatenation of vectors (local).</summary>
    SecretVector Concat(IReadOnlyList<SecretVector> parts);

    SecretBits LessThan(SecretVector x, SecretVector y);
    SecretBits LessThan(SecretVector x, ulong c);
    SecretBits GreaterThan(SecretVector x, ulong c);
    SecretBits Equal(SecretVector x, SecretVector y);
    SecretBits Equal(SecretVector x, ulong c);

    SecretBits And(SecretBits x, SecretBits y);
    SecretBits Or(SecretBits x, SecretBits y);
    SecretBits Xor(SecretBits x, SecretBits y);
    SecretBits Not(SecretBits x);

    /// <summary>0/1 ring elements from bits (bit injection).</summary>
    SecretVector ToArithmetic(SecretBits bits);

    /// <summary>The 64 bits of each shared word as shared bits, word by word: bit j of word i is element 64·i + j
    /// (arithmetic-to-boolean conversion; e.g. 64 bits of a Bloom filter packed in one ring element).</summary>
    SecretBits BitsOf(SecretVector words);

    /// <summary>Applies one secret random permutation to all vectors (rows stay aligned).</summary>
    IReadOnlyList<SecretVector> Shuffle(IReadOnlyList<SecretVector> columns);

    /// <summary>Releases the values to the analyst (the caller). Only for aggregates that passed disclosure control.</summary>
    ulong[] Reveal(SecretVector x, string purpose = "release");

    /// <summary>Releases the bits to the analyst.</summary>
    bool[] Reveal(SecretBits x, string purpose = "release");

    /// <summary>
    /// Opens values to the three compute parties only — for values a protocol declares public to them
    /// (shuffled pseudonyms in a join, comparison outcomes of a sort on shuffled data). Code that uses the
    /// result runs on the compute side; it must never hand it to the analyst. Every call is logged with its
    /// purpose and must have a row in LEAKAGE.md.
    /// </summary>
    ulong[] RevealToParties(SecretVector x, string purpose);

    /// <summary>Opens bits to the three compute parties only (see the vector overload).</summary>
    bool[] RevealToParties(SecretBits x, string purpose);

    /// <summary>
    /// Each compute party contributes a private vector of <paramref name="length"/> elements, computed at that party
    /// by <paramref name="contributionAt"/>(party id) — e.g. its own noise draw — and the result is the secret sum of
    /// the three contributions. No single party learns the sum or another party's contribution; the caller learns
    /// nothing. Used for noise that no single party may know (differential privacy).
    /// </summary>
    SecretVector SumOfPartyContributions(int length, Func<int, ulong[]> contributionAt) =>
        throw new NotSupportedException($"The {Name} engine cannot take private contributions from the compute parties.");

    /// <summary>
    /// One-hot indicators of small secret integers: for each column, [code = k + 1] for k = 0..levels−1 (code 0: no
    /// level), each a 0/1 vector. A categorical column can travel as its code, one vector, instead of one vector per
    /// level (SecureJoin). The default tests every level at once with one batched equality; engines with the boolean
    /// protocols convert each code to bits once and expand them (Protocols/CategoryIndex.cs).
    /// </summary>
    IReadOnlyList<IReadOnlyList<SecretVector>> OneHotOfCodes(IReadOnlyList<(SecretVector Codes, int Levels)> columns)
    {
        var result = new IReadOnlyList<SecretVector>[columns.Count];
        for (int j = 0; j < columns.Count; j++)
        {
            var (codes, levels) = columns[j];
            int n = codes.Length;
            if (n == 0) { result[j] = [.. Enumerable.Range(0, levels).Select(_ => Public([]))]; continue; }
            var levelOf = new ulong[n * levels];
            for (int k = 0; k < levels; k++) levelOf.AsSpan(k * n, n).Fill((ulong)(k + 1));
            var equal = ToArithmetic(Equal(Subtract(Concat([.. Enumerable.Repeat(codes, levels)]), Public(levelOf)), 0UL));
            result[j] = [.. Enumerable.Range(0, levels).Select(k => Gather(equal, Enumerable.Range(k * n, n).ToArray()))];
        }
        return result;
    }

    /// <summary>Every reveal so far, in order: the "what was revealed to whom" of a study.</summary>
    IReadOnlyList<RevealRecord> Reveals { get; }

    /// <summary>Traffic per compute party so far (empty for the plaintext reference).</summary>
    IReadOnlyList<TrafficSnapshot> Traffic { get; }
}

/// <summary>An engine that holds categorical columns as stored xor-shared codes (a party service's share files) and can
/// convert them to arithmetic codes k + 1 without expanding them (SecureJoin moves categories as codes).</summary>
public interface IStoredCodes
{
    IReadOnlyList<SecretVector> CodesOf(IReadOnlyList<Columnar.StoredCode> codes);
}

/// <summary>Handle to a secret vector of ring elements held by an engine.</summary>
public abstract class SecretVector
{
    public abstract int Length { get; }
}

/// <summary>Handle to a secret vector of bits held by an engine.</summary>
public abstract class SecretBits
{
    public abstract int Length { get; }
}
