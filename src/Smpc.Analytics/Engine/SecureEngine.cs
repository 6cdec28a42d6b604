using Smpc.Analytics.Protocols;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Engine;

/// <summary>
/// The secure engine on the embedded default: three compute parties in this process. Every operation
/// runs the same party program at all three (see <see cref="LocalCluster"/>); handles keep each party's
/// view separately and the analyst side only ever sees values passed through a Reveal call.
/// </summary>
public sealed class SecureEngine : IComputeEngine
{
    readonly LocalCluster _cluster;
    readonly bool _ownsCluster;

    public SecureEngine(MpcOptions? options = null) : this(new LocalCluster(options), ownsCluster: true) { }

    public SecureEngine(LocalCluster cluster, bool ownsCluster = false)
    {
        _cluster = cluster;
        _ownsCluster = ownsCluster;
    }

    public string Name => "secure, 3 parties in-process";
    public bool IsSecure => true;
    public LocalCluster Cluster => _cluster;

    sealed class Vec(ArithmeticShare[] views) : SecretVector
    {
        public readonly ArithmeticShare[] Views = views;
        public override int Length => Views[0].Length;
    }

    sealed class Bits(BitShare[] views) : SecretBits
    {
        public readonly BitShare[] Views = views;
        public override int Length => Views[0].Length;
    }

    static ArithmeticShare V(SecretVector x, int party) =>
        x is Vec v ? v.Views[party] : throw new ArgumentException("This handle belongs to another engine.", nameof(x));

    static BitShare B(SecretBits x, int party) =>
        x is Bits b ? b.Views[party] : throw new ArgumentException("This handle belongs to another engine.", nameof(x));

    SecretVector RunVec(Func<MpcSession, ArithmeticShare> program) => new Vec(_cluster.Run(program));
    SecretBits RunBits(Func<MpcSession, BitShare> program) => new Bits(_cluster.Run(program));

    public SecretVector Share(ReadOnlySpan<ulong> values) => new Vec(ReplicatedSharing.Share(values));

    /// <summary>Adopts the three parties' views of one vector as a handle, as each party does when it loads
    /// its own share file (columnar loader). No party sees another's view; the views must have equal lengths.</summary>
    internal SecretVector Adopt(ArithmeticShare view0, ArithmeticShare view1, ArithmeticShare view2)
    {
        if (view1.Length != view0.Length || view2.Length != view0.Length)
            throw Errors.LengthMismatch("adopted party views", view0.Length, view1.Length != view0.Length ? view1.Length : view2.Length);
        return new Vec([view0, view1, view2]);
    }

    /// <summary>One-hot indicators [code = first + k] of a xor-shared category code given as the three parties' views
    /// (each party expands its own view: <see cref="CategoryExpansion"/>).</summary>
    internal IReadOnlyList<SecretVector> ExpandCategory(BooleanShare[] views, int bits, int levels, int first)
    {
        var perParty = _cluster.Run(s => CategoryExpansion.Expand(s, views[s.PartyId], bits, levels, first));
        return [.. Enumerable.Range(0, levels).Select(k => (SecretVector)new Vec([perParty[0][k], perParty[1][k], perParty[2][k]]))];
    }

    /// <summary>One-hot indicators of codes: one conversion to bits for all columns, then the category expansion (<see cref="CategoryIndex"/>).</summary>
    public IReadOnlyList<IReadOnlyList<SecretVector>> OneHotOfCodes(IReadOnlyList<(SecretVector Codes, int Levels)> columns)
    {
        var perParty = _cluster.Run(s => CategoryIndex.Expand(s, [.. columns.Select(c => (V(c.Codes, s.PartyId), c.Levels))]));
        return [.. columns.Select((c, j) => (IReadOnlyList<SecretVector>)[.. Enumerable.Range(0, c.Levels)
            .Select(k => (SecretVector)new Vec([perParty[0][j][k], perParty[1][j][k], perParty[2][j][k]]))])];
    }

    public SecretVector Public(ReadOnlySpan<ulong> values)
    {
        var copy = values.ToArray();
        return RunVec(s => Linear.Public(s, copy));
    }

    public SecretVector Add(SecretVector x, SecretVector y) => RunVec(s => Linear.Add(V(x, s.PartyId), V(y, s.PartyId)));
    public SecretVector Subtract(SecretVector x, SecretVector y) => RunVec(s => Linear.Subtract(V(x, s.PartyId), V(y, s.PartyId)));
    public SecretVector AddPublic(SecretVector x, ulong c) => RunVec(s => Linear.AddPublic(s, V(x, s.PartyId), c));
    public SecretVector MultiplyPublic(SecretVector x, ulong c) => RunVec(s => Linear.MultiplyPublic(V(x, s.PartyId), c));
    public SecretVector Multiply(SecretVector x, SecretVector y) => RunVec(s => Multiplication.Multiply(s, V(x, s.PartyId), V(y, s.PartyId)));
    public SecretVector Truncate(SecretVector x, int bits) => RunVec(s => Truncation.Truncate(s, V(x, s.PartyId), bits));
    public SecretVector Sum(SecretVector x) => RunVec(s => Linear.Sum(V(x, s.PartyId)));

    public SecretVector Dot(IReadOnlyList<(SecretVector X, SecretVector Y)> pairs) =>
        RunVec(s => Multiplication.DotMany(s, pairs.Select(p => V(p.X, s.PartyId)).ToArray(), pairs.Select(p => V(p.Y, s.PartyId)).ToArray()));

    public SecretVector Gather(SecretVector x, ReadOnlySpan<int> rows)
    {
        var idx = rows.ToArray();
        foreach (var r in idx) if ((uint)r >= (uint)x.Length) throw new ArgumentOutOfRangeException(nameof(rows), r, $"Row {r} is outside a vector of {x.Length}.");
        return RunVec(s =>
        {
            var v = V(x, s.PartyId);
            var a = new ulong[idx.Length]; var b = new ulong[idx.Length];
            for (int i = 0; i < idx.Length; i++) { a[i] = v.First[idx[i]]; b[i] = v.Second[idx[i]]; }
            return new ArithmeticShare(a, b);
        });
    }

    public SecretVector Concat(IReadOnlyList<SecretVector> parts) => RunVec(s => ArithmeticShare.Concat(parts.Select(p => V(p, s.PartyId))));

    public SecretBits LessThan(SecretVector x, SecretVector y) => RunBits(s => Comparison.LessThan(s, V(x, s.PartyId), V(y, s.PartyId)));
    public SecretBits LessThan(SecretVector x, ulong c) => RunBits(s => Comparison.LessThan(s, V(x, s.PartyId), c));
    public SecretBits GreaterThan(SecretVector x, ulong c) => RunBits(s => Comparison.GreaterThan(s, V(x, s.PartyId), c));
    public SecretBits Equal(SecretVector x, SecretVector y) => RunBits(s => Comparison.Equal(s, V(x, s.PartyId), V(y, s.PartyId)));
    public SecretBits Equal(SecretVector x, ulong c) => RunBits(s => Comparison.Equal(s, V(x, s.PartyId), c));
    public SecretBits And(SecretBits x, SecretBits y) => RunBits(s => BooleanGates.And(s, B(x, s.PartyId), B(y, s.PartyId)));
    public SecretBits Or(SecretBits x, SecretBits y) => RunBits(s => BooleanGates.Or(s, B(x, s.PartyId), B(y, s.PartyId)));
    public SecretBits Xor(SecretBits x, SecretBits y) => RunBits(s => BooleanGates.Xor(B(x, s.PartyId), B(y, s.PartyId)));
    public SecretBits Not(SecretBits x) => RunBits(s => BooleanGates.Not(s, B(x, s.PartyId)));
    public SecretVector ToArithmetic(SecretBits bits) => RunVec(s => Conversion.BitsToArithmetic(s, B(bits, s.PartyId)));
    public SecretBits BitsOf(SecretVector words) => RunBits(s => Conversion.WordBits(s, V(words, s.PartyId)));

    public IReadOnlyList<SecretVector> Shuffle(IReadOnlyList<SecretVector> columns)
    {
        var perParty = _cluster.Run(s => Protocols.Shuffle.Apply(s, columns.Select(c => V(c, s.PartyId)).ToArray()));
        return Enumerable.Range(0, columns.Count).Select(k => (SecretVector)new Vec([perParty[0][k], perParty[1][k], perParty[2][k]])).ToArray();
    }

    /// <summary>Each party inputs its own contribution with <see cref="Input.Share"/> (1 round per owner); the three are added.</summary>
    public SecretVector SumOfPartyContributions(int length, Func<int, ulong[]> contributionAt) => RunVec(s =>
    {
        var own = contributionAt(s.PartyId);
        if (own.Length != length) throw Errors.LengthMismatch($"contribution of party {s.PartyId}", length, own.Length);
        var total = Input.Share(s, 0, s.PartyId == 0 ? own : default, length);
        total = Linear.Add(total, Input.Share(s, 1, s.PartyId == 1 ? own : default, length));
        return Linear.Add(total, Input.Share(s, 2, s.PartyId == 2 ? own : default, length));
    });

    readonly List<RevealRecord> _reveals = [];
    readonly Lock _log = new();

    void Log(RevealAudience audience, string purpose, int elements)
    {
        lock (_log) _reveals.Add(new RevealRecord(audience, purpose, elements, DateTimeOffset.UtcNow));
    }

    public IReadOnlyList<RevealRecord> Reveals { get { lock (_log) return _reveals.ToArray(); } }

    /// <summary>Each party sends its view to the analyst, who recombines (the analyst is outside the three).</summary>
    public ulong[] Reveal(SecretVector x, string purpose = "release")
    {
        Log(RevealAudience.Analyst, purpose, x.Length);
        return ReplicatedSharing.Reconstruct(((Vec)x).Views);
    }

    public bool[] Reveal(SecretBits x, string purpose = "release")
    {
        Log(RevealAudience.Analyst, purpose, x.Length);
        return ReplicatedSharing.ReconstructBits(((Bits)x).Views);
    }

    /// <summary>Runs the opening protocol at the three parties; all three results are equal.</summary>
    public ulong[] RevealToParties(SecretVector x, string purpose)
    {
        Log(RevealAudience.ComputeParties, purpose, x.Length);
        return _cluster.Run(s => Open.RevealToAll(s, V(x, s.PartyId)))[0];
    }

    public bool[] RevealToParties(SecretBits x, string purpose)
    {
        Log(RevealAudience.ComputeParties, purpose, x.Length);
        return _cluster.Run(s => Open.RevealToAll(s, B(x, s.PartyId)))[0];
    }

    public IReadOnlyList<TrafficSnapshot> Traffic => _cluster.Traffic();

    /// <summary>Party <paramref name="party"/>'s view of a handle (for transcript and independence tests).</summary>
    public static ArithmeticShare ViewOf(SecretVector x, int party) => V(x, party);

    public void Dispose()
    {
        if (_ownsCluster) _cluster.Dispose();
    }
}
