// One compute party's engine: the IComputeEngine interface driven inside a party process, on that party's own
// MpcSession. The three parties run the same study-level program (SPMD) on identical public inputs, each on its own
// PartyEngine, so every operation runs the same protocol at the three in the same order and their sessions stay in
// step. Handles hold only this party's view. Used by the party services (Studies/Parties/PartyStudyHost.cs).
// Security: semi-honest, honest majority, as SecureEngine. Values the program can see are public to the three parties:
// Share of plaintext is therefore the trivial (public) sharing; Reveal opens among the three parties and the released
// value then goes to the analyst as part of a release (LEAKAGE.md, "Party services"). RevealToParties is as in
// SecureEngine. Nothing is ever sent to anyone but the other two parties by this class.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Protocols;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Engine;

public sealed class PartyEngine(MpcSession session) : IComputeEngine, IStoredCodes
{
    readonly List<RevealRecord> _reveals = [];
    readonly Lock _log = new();

    public MpcSession Session { get; } = session ?? throw new ArgumentNullException(nameof(session));
    public int PartyId => Session.PartyId;
    public string Name => $"secure, party {Session.PartyId} of 3 (party service)";
    public bool IsSecure => true;

    sealed class Vec(ArithmeticShare view) : SecretVector
    {
        public readonly ArithmeticShare View = view;
        public override int Length => View.Length;
    }

    sealed class Bits(BitShare view) : SecretBits
    {
        public readonly BitShare View = view;
        public override int Length => View.Length;
    }

    static ArithmeticShare V(SecretVector x) => x is Vec v ? v.View : throw new ArgumentException("This handle belongs to another engine.", nameof(x));
    static BitShare B(SecretBits x) => x is Bits b ? b.View : throw new ArgumentException("This handle belongs to another engine.", nameof(x));

    /// <summary>Adopts this party's view of a vector (e.g. a column of its share file) as a handle.</summary>
    public SecretVector Adopt(ArithmeticShare view) => new Vec(view ?? throw new ArgumentNullException(nameof(view)));

    /// <summary>One-hot indicators [code = first + k] of this party's view of a stored xor-shared category code
    /// (<see cref="CategoryExpansion"/>; interactive, so the three parties call it at the same point of the program).</summary>
    public IReadOnlyList<SecretVector> ExpandCategory(BooleanShare code, int bits, int levels, int first) =>
        [.. CategoryExpansion.Expand(Session, code, bits, levels, first).Select(v => (SecretVector)new Vec(v))];

    /// <summary>Stored xor-shared category codes as arithmetic codes k + 1 for level k, 0 for none: one boolean-to-arithmetic
    /// conversion for all columns at once (<see cref="Conversion.ToArithmetic"/>), then a public offset per column.</summary>
    public IReadOnlyList<SecretVector> CodesOf(IReadOnlyList<StoredCode> codes)
    {
        var result = new SecretVector[codes.Count];
        if (codes.Sum(c => c.Code.Length) == 0)
        {
            for (int j = 0; j < codes.Count; j++) result[j] = new Vec(ArithmeticShare.Zeros(0));
            return result;
        }
        var all = Conversion.ToArithmetic(Session, BooleanShare.Concat(codes.Select(c => c.Code)));
        for (int j = 0, at = 0; j < codes.Count; at += codes[j].Code.Length, j++)
            result[j] = AddPublic(new Vec(all.Slice(at, codes[j].Code.Length)), unchecked((ulong)(1 - codes[j].First)));
        return result;
    }

    /// <summary>One-hot indicators of codes (<see cref="CategoryIndex"/>; interactive, so the three parties call it at the same point).</summary>
    public IReadOnlyList<IReadOnlyList<SecretVector>> OneHotOfCodes(IReadOnlyList<(SecretVector Codes, int Levels)> columns) =>
        [.. CategoryIndex.Expand(Session, [.. columns.Select(c => (V(c.Codes), c.Levels))]).Select(col => (IReadOnlyList<SecretVector>)[.. col.Select(v => (SecretVector)new Vec(v))])];

    /// <summary>This party's view of a handle.</summary>
    public static ArithmeticShare ViewOf(SecretVector x) => V(x);

    /// <summary>Inside a party every value the program holds in the clear is known to all three parties (they run the same
    /// program on the same public inputs), so sharing it is the public sharing; no secret ever enters here.</summary>
    public SecretVector Share(ReadOnlySpan<ulong> values) => Public(values);

    public SecretVector Public(ReadOnlySpan<ulong> values) => new Vec(Linear.Public(Session, values.ToArray()));
    public SecretVector Add(SecretVector x, SecretVector y) => new Vec(Linear.Add(V(x), V(y)));
    public SecretVector Subtract(SecretVector x, SecretVector y) => new Vec(Linear.Subtract(V(x), V(y)));
    public SecretVector AddPublic(SecretVector x, ulong c) => new Vec(Linear.AddPublic(Session, V(x), c));
    public SecretVector MultiplyPublic(SecretVector x, ulong c) => new Vec(Linear.MultiplyPublic(V(x), c));
    public SecretVector Multiply(SecretVector x, SecretVector y) => new Vec(Multiplication.Multiply(Session, V(x), V(y)));
    public SecretVector Truncate(SecretVector x, int bits) => new Vec(Truncation.Truncate(Session, V(x), bits));
    public SecretVector Sum(SecretVector x) => new Vec(Linear.Sum(V(x)));

    public SecretVector Dot(IReadOnlyList<(SecretVector X, SecretVector Y)> pairs) =>
        new Vec(Multiplication.DotMany(Session, pairs.Select(p => V(p.X)).ToArray(), pairs.Select(p => V(p.Y)).ToArray()));

    public SecretVector Gather(SecretVector x, ReadOnlySpan<int> rows)
    {
        var v = V(x);
        var a = new ulong[rows.Length]; var b = new ulong[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            if ((uint)r >= (uint)v.Length) throw new ArgumentOutOfRangeException(nameof(rows), r, $"Row {r} is outside a vector of {v.Length}.");
            a[i] = v.First[r]; b[i] = v.Second[r];
        }
        return new Vec(new ArithmeticShare(a, b));
    }

    public SecretVector Concat(IReadOnlyList<SecretVector> parts) => new Vec(ArithmeticShare.Concat(parts.Select(V)));

    public SecretBits LessThan(SecretVector x, SecretVector y) => new Bits(Comparison.LessThan(Session, V(x), V(y)));
    public SecretBits LessThan(SecretVector x, ulong c) => new Bits(Comparison.LessThan(Session, V(x), c));
    public SecretBits GreaterThan(SecretVector x, ulong c) => new Bits(Comparison.GreaterThan(Session, V(x), c));
    public SecretBits Equal(SecretVector x, SecretVector y) => new Bits(Comparison.Equal(Session, V(x), V(y)));
    public SecretBits Equal(SecretVector x, ulong c) => new Bits(Comparison.Equal(Session, V(x), c));
    public SecretBits And(SecretBits x, SecretBits y) => new Bits(BooleanGates.And(Session, B(x), B(y)));
    public SecretBits Or(SecretBits x, SecretBits y) => new Bits(BooleanGates.Or(Session, B(x), B(y)));
    public SecretBits Xor(SecretBits x, SecretBits y) => new Bits(BooleanGates.Xor(B(x), B(y)));
    public SecretBits Not(SecretBits x) => new Bits(BooleanGates.Not(Session, B(x)));
    public SecretVector ToArithmetic(SecretBits bits) => new Vec(Conversion.BitsToArithmetic(Session, B(bits)));
    public SecretBits BitsOf(SecretVector words) => new Bits(Conversion.WordBits(Session, V(words)));

    public IReadOnlyList<SecretVector> Shuffle(IReadOnlyList<SecretVector> columns) =>
        Protocols.Shuffle.Apply(Session, columns.Select(V).ToArray()).Select(v => (SecretVector)new Vec(v)).ToArray();

    /// <summary>This party inputs its own contribution; the three inputs are added (as <see cref="SecureEngine"/>).</summary>
    public SecretVector SumOfPartyContributions(int length, Func<int, ulong[]> contributionAt)
    {
        var own = contributionAt(PartyId);
        if (own.Length != length) throw Errors.LengthMismatch($"contribution of party {PartyId}", length, own.Length);
        var total = Input.Share(Session, 0, PartyId == 0 ? own : default, length);
        total = Linear.Add(total, Input.Share(Session, 1, PartyId == 1 ? own : default, length));
        return new Vec(Linear.Add(total, Input.Share(Session, 2, PartyId == 2 ? own : default, length)));
    }

    void Log(RevealAudience audience, string purpose, int elements)
    {
        lock (_log) _reveals.Add(new RevealRecord(audience, purpose, elements, DateTimeOffset.UtcNow));
    }

    public IReadOnlyList<RevealRecord> Reveals { get { lock (_log) return _reveals.ToArray(); } }

    /// <summary>A release: opened among the three parties (they build the release from it) and logged as a release to the
    /// analyst, who receives it inside the release from all three parties.</summary>
    public ulong[] Reveal(SecretVector x, string purpose = "release")
    {
        Log(RevealAudience.Analyst, purpose, x.Length);
        return Open.RevealToAll(Session, V(x));
    }

    public bool[] Reveal(SecretBits x, string purpose = "release")
    {
        Log(RevealAudience.Analyst, purpose, x.Length);
        return Open.RevealToAll(Session, B(x));
    }

    public ulong[] RevealToParties(SecretVector x, string purpose)
    {
        Log(RevealAudience.ComputeParties, purpose, x.Length);
        return Open.RevealToAll(Session, V(x));
    }

    public bool[] RevealToParties(SecretBits x, string purpose)
    {
        Log(RevealAudience.ComputeParties, purpose, x.Length);
        return Open.RevealToAll(Session, B(x));
    }

    /// <summary>This party's own traffic (one entry: a party does not see the others' counters).</summary>
    public IReadOnlyList<TrafficSnapshot> Traffic => [Session.Traffic];

    /// <summary>The session belongs to the party process, not to the engine.</summary>
    public void Dispose() { }
}
