using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Engine;

/// <summary>
/// The plaintext reference engine: the same operations as <see cref="SecureEngine"/> computed directly on
/// values, with the same ring semantics (wrap-around mod 2^64) and the same truncation rule. It exists
/// to test the secure engine and every layer above it; it protects nothing.
/// </summary>
public sealed class PlaintextEngine : IComputeEngine
{
    public string Name => "plaintext reference";
    public bool IsSecure => false;

    sealed class Vec(ulong[] values) : SecretVector
    {
        public readonly ulong[] Values = values;
        public override int Length => Values.Length;
    }

    sealed class Bits(bool[] values) : SecretBits
    {
        public readonly bool[] Values = values;
        public override int Length => Values.Length;
    }

    static ulong[] V(SecretVector x) => x is Vec v ? v.Values : throw new ArgumentException("This handle belongs to another engine.", nameof(x));
    static bool[] B(SecretBits x) => x is Bits b ? b.Values : throw new ArgumentException("This handle belongs to another engine.", nameof(x));

    static SecretVector Zip(SecretVector x, SecretVector y, Func<ulong, ulong, ulong> f, string what)
    {
        var a = V(x); var b = V(y);
        if (a.Length != b.Length) throw Errors.LengthMismatch(what, a.Length, b.Length);
        var r = new ulong[a.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(a[i], b[i]);
        return new Vec(r);
    }

    static SecretBits ZipBits<T>(T[] a, T[] b, Func<T, T, bool> f, string what)
    {
        if (a.Length != b.Length) throw Errors.LengthMismatch(what, a.Length, b.Length);
        var r = new bool[a.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(a[i], b[i]);
        return new Bits(r);
    }

    static SecretVector Map(SecretVector x, Func<ulong, ulong> f) => new Vec(V(x).Select(f).ToArray());
    static SecretBits MapBits(SecretVector x, Func<ulong, bool> f) => new Bits(V(x).Select(f).ToArray());

    public SecretVector Share(ReadOnlySpan<ulong> values) => new Vec(values.ToArray());
    public SecretVector Public(ReadOnlySpan<ulong> values) => new Vec(values.ToArray());
    public SecretVector Add(SecretVector x, SecretVector y) => Zip(x, y, (a, b) => a + b, "add");
    public SecretVector Subtract(SecretVector x, SecretVector y) => Zip(x, y, (a, b) => a - b, "subtract");
    public SecretVector AddPublic(SecretVector x, ulong c) => Map(x, a => a + c);
    public SecretVector MultiplyPublic(SecretVector x, ulong c) => Map(x, a => a * c);
    public SecretVector Multiply(SecretVector x, SecretVector y) => Zip(x, y, (a, b) => a * b, "multiply");

    public SecretVector Truncate(SecretVector x, int bits)
    {
        if (bits is < 1 or > 62) throw new ArgumentOutOfRangeException(nameof(bits), bits, "Truncation must drop between 1 and 62 bits.");
        return Map(x, a => (ulong)((long)a >> bits));
    }

    public SecretVector Sum(SecretVector x) => new Vec([Ring.Sum(V(x))]);

    public SecretVector Dot(IReadOnlyList<(SecretVector X, SecretVector Y)> pairs) => new Vec(pairs.Select(p =>
    {
        var a = V(p.X); var b = V(p.Y);
        if (a.Length != b.Length) throw Errors.LengthMismatch("dot product", a.Length, b.Length);
        ulong s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }).ToArray());

    public SecretVector Gather(SecretVector x, ReadOnlySpan<int> rows)
    {
        var v = V(x);
        var r = new ulong[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            if ((uint)rows[i] >= (uint)v.Length) throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"Row {rows[i]} is outside a vector of {v.Length}.");
            r[i] = v[rows[i]];
        }
        return new Vec(r);
    }

    public SecretVector Concat(IReadOnlyList<SecretVector> parts) => new Vec(parts.SelectMany(V).ToArray());

    public SecretBits LessThan(SecretVector x, SecretVector y) => ZipBits(V(x), V(y), (a, b) => (long)(a - b) < 0, "compare");
    public SecretBits LessThan(SecretVector x, ulong c) => MapBits(x, a => (long)(a - c) < 0);
    public SecretBits GreaterThan(SecretVector x, ulong c) => MapBits(x, a => (long)(c - a) < 0);
    public SecretBits Equal(SecretVector x, SecretVector y) => ZipBits(V(x), V(y), (a, b) => a == b, "compare");
    public SecretBits Equal(SecretVector x, ulong c) => MapBits(x, a => a == c);
    public SecretBits And(SecretBits x, SecretBits y) => ZipBits(B(x), B(y), (a, b) => a & b, "and");
    public SecretBits Or(SecretBits x, SecretBits y) => ZipBits(B(x), B(y), (a, b) => a | b, "or");
    public SecretBits Xor(SecretBits x, SecretBits y) => ZipBits(B(x), B(y), (a, b) => a ^ b, "xor");
    public SecretBits Not(SecretBits x) => new Bits(B(x).Select(b => !b).ToArray());
    public SecretVector ToArithmetic(SecretBits bits) => new Vec(B(bits).Select(b => b ? 1UL : 0UL).ToArray());
    public SecretBits BitsOf(SecretVector words)
    {
        var w = V(words);
        var bits = new bool[checked(64 * w.Length)];
        for (int i = 0; i < bits.Length; i++) bits[i] = ((w[i >> 6] >> (i & 63)) & 1) != 0;
        return new Bits(bits);
    }

    public IReadOnlyList<SecretVector> Shuffle(IReadOnlyList<SecretVector> columns)
    {
        if (columns.Count == 0) return [];
        int n = columns[0].Length;
        foreach (var c in columns) if (c.Length != n) throw Errors.LengthMismatch("shuffle", n, c.Length);
        var perm = Enumerable.Range(0, n).ToArray();
        Random.Shared.Shuffle(perm);
        return columns.Select(c => Gather(c, perm)).ToArray();
    }

    public SecretVector SumOfPartyContributions(int length, Func<int, ulong[]> contributionAt)
    {
        var total = new ulong[length];
        for (int p = 0; p < 3; p++)
        {
            var own = contributionAt(p);
            if (own.Length != length) throw Errors.LengthMismatch($"contribution of party {p}", length, own.Length);
            for (int i = 0; i < length; i++) total[i] += own[i];
        }
        return new Vec(total);
    }

    readonly List<RevealRecord> _reveals = [];
    readonly Lock _log = new();

    T Log<T>(RevealAudience audience, string purpose, int elements, T value)
    {
        lock (_log) _reveals.Add(new RevealRecord(audience, purpose, elements, DateTimeOffset.UtcNow));
        return value;
    }

    public IReadOnlyList<RevealRecord> Reveals { get { lock (_log) return _reveals.ToArray(); } }
    public ulong[] Reveal(SecretVector x, string purpose = "release") => Log(RevealAudience.Analyst, purpose, x.Length, (ulong[])V(x).Clone());
    public bool[] Reveal(SecretBits x, string purpose = "release") => Log(RevealAudience.Analyst, purpose, x.Length, (bool[])B(x).Clone());
    public ulong[] RevealToParties(SecretVector x, string purpose) => Log(RevealAudience.ComputeParties, purpose, x.Length, (ulong[])V(x).Clone());
    public bool[] RevealToParties(SecretBits x, string purpose) => Log(RevealAudience.ComputeParties, purpose, x.Length, (bool[])B(x).Clone());
    public IReadOnlyList<TrafficSnapshot> Traffic => [];

    public void Dispose() { }
}
