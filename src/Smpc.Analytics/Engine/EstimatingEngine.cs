// An engine that estimates instead of computing at the parties: the study code runs on it unchanged (the same joins,
// statistics, disclosure rules and study-wide audit, in the same order), the values are stand-ins computed in the clear
// by a PlaintextEngine in this process, and every primitive is charged what it costs at the party services
// (PrimitiveCosts: rounds, bytes per party, time per element, measured on this machine). An OperationMeter on it reads
// the estimate as it reads a real run. Used by SecureStudy.Explain: nothing is sent to a compute party and no value of a
// study is read; its Reveals are the reveals the real run would make (audience, purpose, number of values).
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Engine;

public sealed class EstimatingEngine(int seed = 1) : IComputeEngine, IStoredCodes
{
    readonly PlaintextEngine _values = new();
    readonly Random _permutations = new(seed);     // shuffles are seeded: the same request gives the same estimate everywhere
    readonly long[] _bytes = new long[3];
    long _rounds, _messages;
    double _seconds;
    readonly Lock _gate = new();

    public string Name => "estimate (nothing computed at the parties)";

    /// <summary>True: the layers above take the code paths of the secure engines.</summary>
    public bool IsSecure => true;

    /// <summary>Estimated computation time at the parties (the sum of the primitives' measured time per element), without
    /// waiting on links.</summary>
    public TimeSpan Computation { get { lock (_gate) return TimeSpan.FromSeconds(_seconds); } }

    void Charge(string key, long n)
    {
        if (PrimitiveCosts.Local.Contains(key)) return;
        var cost = PrimitiveCosts.Of(key);
        lock (_gate)
        {
            _rounds += cost.Rounds;
            _messages += 2 * cost.Rounds;
            for (int p = 0; p < 3; p++) _bytes[p] += cost.BytesOf(p, n);
            _seconds += cost.SecondsPerElement * n;
        }
    }

    /// <summary>Charges a stored category code's expansion at its first use (the columnar loader's lazy columns).</summary>
    public void ChargeExpansion(int bits, int levels, int first, int rows) => Charge($"expand:{bits},{levels},{first}", rows);

    public SecretVector Share(ReadOnlySpan<ulong> values) => _values.Share(values);
    public SecretVector Public(ReadOnlySpan<ulong> values) => _values.Public(values);
    public SecretVector Add(SecretVector x, SecretVector y) => _values.Add(x, y);
    public SecretVector Subtract(SecretVector x, SecretVector y) => _values.Subtract(x, y);
    public SecretVector AddPublic(SecretVector x, ulong c) => _values.AddPublic(x, c);
    public SecretVector MultiplyPublic(SecretVector x, ulong c) => _values.MultiplyPublic(x, c);

    public SecretVector Multiply(SecretVector x, SecretVector y) { Charge("multiply", x.Length); return _values.Multiply(x, y); }
    public SecretVector Truncate(SecretVector x, int bits) { Charge($"truncate:{bits}", x.Length); return _values.Truncate(x, bits); }
    public SecretVector Sum(SecretVector x) => _values.Sum(x);
    public SecretVector Dot(IReadOnlyList<(SecretVector X, SecretVector Y)> pairs) { Charge("dot", pairs.Count); return _values.Dot(pairs); }
    public SecretVector Gather(SecretVector x, ReadOnlySpan<int> rows) => _values.Gather(x, rows);
    public SecretVector Concat(IReadOnlyList<SecretVector> parts) => _values.Concat(parts);

    public SecretBits LessThan(SecretVector x, SecretVector y) { Charge("less", x.Length); return _values.LessThan(x, y); }
    public SecretBits LessThan(SecretVector x, ulong c) { Charge("less-public", x.Length); return _values.LessThan(x, c); }
    public SecretBits GreaterThan(SecretVector x, ulong c) { Charge("greater-public", x.Length); return _values.GreaterThan(x, c); }
    public SecretBits Equal(SecretVector x, SecretVector y) { Charge("equal", x.Length); return _values.Equal(x, y); }
    public SecretBits Equal(SecretVector x, ulong c) { Charge("equal-public", x.Length); return _values.Equal(x, c); }
    public SecretBits And(SecretBits x, SecretBits y) { Charge("and", x.Length); return _values.And(x, y); }
    public SecretBits Or(SecretBits x, SecretBits y) { Charge("or", x.Length); return _values.Or(x, y); }
    public SecretBits Xor(SecretBits x, SecretBits y) => _values.Xor(x, y);
    public SecretBits Not(SecretBits x) { Charge("not", x.Length); return _values.Not(x); }
    public SecretVector ToArithmetic(SecretBits bits) { Charge("to-arithmetic", bits.Length); return _values.ToArithmetic(bits); }
    public SecretBits BitsOf(SecretVector words) { Charge("bits-of", words.Length); return _values.BitsOf(words); }

    public IReadOnlyList<SecretVector> Shuffle(IReadOnlyList<SecretVector> columns)
    {
        if (columns.Count == 0) return [];
        Charge($"shuffle:{columns.Count}", columns[0].Length);
        var order = Enumerable.Range(0, columns[0].Length).ToArray();
        lock (_gate) _permutations.Shuffle(order);
        return [.. columns.Select(c => _values.Gather(c, order))];
    }

    public ulong[] Reveal(SecretVector x, string purpose = "release") { Charge("reveal", x.Length); return _values.Reveal(x, purpose); }
    public bool[] Reveal(SecretBits x, string purpose = "release") { Charge("reveal-bits", x.Length); return _values.Reveal(x, purpose); }
    public ulong[] RevealToParties(SecretVector x, string purpose) { Charge("open", x.Length); return _values.RevealToParties(x, purpose); }
    public bool[] RevealToParties(SecretBits x, string purpose) { Charge("open-bits", x.Length); return _values.RevealToParties(x, purpose); }

    public SecretVector SumOfPartyContributions(int length, Func<int, ulong[]> contributionAt)
    {
        Charge("contributions", length);
        return _values.SumOfPartyContributions(length, contributionAt);
    }

    public IReadOnlyList<IReadOnlyList<SecretVector>> OneHotOfCodes(IReadOnlyList<(SecretVector Codes, int Levels)> columns)
    {
        if (columns.Count > 0 && columns[0].Codes.Length > 0)
            Charge($"one-hot:{string.Join(",", columns.Select(c => c.Levels))}", columns[0].Codes.Length);
        return ((IComputeEngine)_values).OneHotOfCodes(columns);
    }

    /// <summary>Stand-in stored codes carry their code + first in the share's first half (see SecureStudy.Explain).</summary>
    public IReadOnlyList<SecretVector> CodesOf(IReadOnlyList<Columnar.StoredCode> codes)
    {
        long total = codes.Sum(c => (long)c.Code.Length);
        if (total > 0) Charge("codes-of", total);
        return [.. codes.Select(c => _values.Share([.. c.Code.First.Select(v => v + 1 - (ulong)c.First)]))];
    }

    public IReadOnlyList<RevealRecord> Reveals => _values.Reveals;

    public IReadOnlyList<TrafficSnapshot> Traffic
    {
        get { lock (_gate) return [.. _bytes.Select(b => new TrafficSnapshot(b, 0, _messages, _rounds))]; }
    }

    public void Dispose() { }
}
