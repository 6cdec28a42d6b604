using Smpc.Analytics.Engine;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>
/// Delegates every operation to a real engine and remembers which vectors came out of Shuffle and what was opened
/// to the compute parties, so tests can check the join's discipline: only shuffled vectors are ever opened.
/// </summary>
sealed class SpyEngine(IComputeEngine inner) : IComputeEngine
{
    readonly HashSet<SecretVector> _shuffled = new(ReferenceEqualityComparer.Instance);
    public List<(SecretVector Vector, ulong[] Values, string Purpose, bool WasShuffled)> Opened { get; } = [];

    public string Name => "spy on " + inner.Name;
    public bool IsSecure => inner.IsSecure;
    public SecretVector Share(ReadOnlySpan<ulong> values) => inner.Share(values);
    public SecretVector Public(ReadOnlySpan<ulong> values) => inner.Public(values);
    public SecretVector Add(SecretVector x, SecretVector y) => inner.Add(x, y);
    public SecretVector Subtract(SecretVector x, SecretVector y) => inner.Subtract(x, y);
    public SecretVector AddPublic(SecretVector x, ulong c) => inner.AddPublic(x, c);
    public SecretVector MultiplyPublic(SecretVector x, ulong c) => inner.MultiplyPublic(x, c);
    public SecretVector Multiply(SecretVector x, SecretVector y) => inner.Multiply(x, y);
    public SecretVector Truncate(SecretVector x, int bits) => inner.Truncate(x, bits);
    public SecretVector Sum(SecretVector x) => inner.Sum(x);
    public SecretVector Dot(IReadOnlyList<(SecretVector X, SecretVector Y)> pairs) => inner.Dot(pairs);
    public SecretVector Gather(SecretVector x, ReadOnlySpan<int> rows) => inner.Gather(x, rows);
    public SecretVector Concat(IReadOnlyList<SecretVector> parts) => inner.Concat(parts);
    public SecretBits LessThan(SecretVector x, SecretVector y) => inner.LessThan(x, y);
    public SecretBits LessThan(SecretVector x, ulong c) => inner.LessThan(x, c);
    public SecretBits GreaterThan(SecretVector x, ulong c) => inner.GreaterThan(x, c);
    public SecretBits Equal(SecretVector x, SecretVector y) => inner.Equal(x, y);
    public SecretBits Equal(SecretVector x, ulong c) => inner.Equal(x, c);
    public SecretBits And(SecretBits x, SecretBits y) => inner.And(x, y);
    public SecretBits Or(SecretBits x, SecretBits y) => inner.Or(x, y);
    public SecretBits Xor(SecretBits x, SecretBits y) => inner.Xor(x, y);
    public SecretBits Not(SecretBits x) => inner.Not(x);
    public SecretVector ToArithmetic(SecretBits bits) => inner.ToArithmetic(bits);
    public SecretBits BitsOf(SecretVector words) => inner.BitsOf(words);

    public IReadOnlyList<SecretVector> Shuffle(IReadOnlyList<SecretVector> columns)
    {
        var result = inner.Shuffle(columns);
        foreach (var v in result) _shuffled.Add(v);
        return result;
    }

    public ulong[] Reveal(SecretVector x, string purpose = "release") => inner.Reveal(x, purpose);
    public bool[] Reveal(SecretBits x, string purpose = "release") => inner.Reveal(x, purpose);

    public ulong[] RevealToParties(SecretVector x, string purpose)
    {
        var values = inner.RevealToParties(x, purpose);
        Opened.Add((x, values, purpose, _shuffled.Contains(x)));
        return values;
    }

    public bool[] RevealToParties(SecretBits x, string purpose) => throw new InvalidOperationException("the join never opens bits");
    public IReadOnlyList<RevealRecord> Reveals => inner.Reveals;
    public IReadOnlyList<TrafficSnapshot> Traffic => inner.Traffic;
    public void Dispose() => inner.Dispose();
}
