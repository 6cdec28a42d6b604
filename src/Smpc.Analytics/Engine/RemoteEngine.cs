// Analyst side of the secure engine across processes: IComputeEngine over three `smpc party --serve` processes.
// Each call is one command to the three parties (RemoteEngineProtocol.cs), which run the same protocols as the
// in-process SecureEngine over their own TLS 1.3 links; the analyst's links are TLS 1.3 with the analyst's study
// certificate. Security: semi-honest, honest majority, as SecureEngine; the analyst holds handles, never views,
// except the three views of a value it reveals. Leakage: LEAKAGE.md (RemoteEngine rows). Cost per call: one
// command round trip to each party plus the protocol's own rounds among the parties.
// Trusted-coordinator mode: whoever holds the analyst certificate drives the engine and can open any vector, so this
// is for tests and benchmarks only. Studies on contributed data run at the party services (Studies/Parties).
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Engine;

/// <summary>
/// The secure engine across processes: the analyst (coordinator) connects over TLS 1.3 to three compute parties
/// started with <c>smpc party --id N --config study.json --serve</c>. Handles name secret vectors that live only at
/// the parties; each operation is one command to all three, which run the same protocols as
/// <see cref="SecureEngine"/> among themselves over their own TLS links (wire format: RemoteEngineProtocol.cs).
/// </summary>
/// <remarks>
/// Contributor-side <see cref="Share"/> splits the values here and sends each party only its view; <see cref="Reveal(SecretVector, string)"/>
/// has each party send its view here, where the three are recombined. <see cref="RevealToParties(SecretVector, string)"/> opens
/// the value among the parties; the coordinator drives the compute-side code, so it receives the opened value too
/// (as with the in-process engine). Handles live until the engine is disposed (the job ends).
/// </remarks>
public sealed class RemoteEngine : IComputeEngine
{
    readonly FramedLink[] _links;
    readonly Lock _gate = new();
    readonly List<RevealRecord> _reveals = [];
    long _nextHandle;
    string? _broken;
    bool _disposed;

    RemoteEngine(FramedLink[] links, string study)
    {
        _links = links;
        Name = $"secure, 3 party processes over TLS (study '{study}')";
    }

    public string Name { get; }
    public bool IsSecure => true;

    /// <summary>Connects to the three serving parties of <paramref name="config"/> with the analyst's credentials,
    /// retrying while they start, up to <paramref name="connectTimeout"/> (default 60 s).</summary>
    public static RemoteEngine Connect(StudyConfig config, StudyCredentials analyst, TimeSpan? connectTimeout = null, FramedLinkOptions? link = null)
    {
        if (!analyst.Self.IsAnalyst) throw new SmpcException($"RemoteEngine connects with the analyst's certificate, not with that of {analyst.Self}.");
        var deadline = DateTime.UtcNow + (connectTimeout ?? TimeSpan.FromSeconds(60));
        var links = new List<FramedLink>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var peer = TlsConnector.Dial(analyst, StudyMember.Party(i), config.EndPoint(i), deadline, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
                links.Add(new FramedLink(peer.Stream, i, $"Party {i}", link, peer.Client));
            }
        }
        catch
        {
            foreach (var l in links) l.Dispose();
            throw;
        }
        return new RemoteEngine([.. links], config.Study);
    }

    sealed class Vec(RemoteEngine owner, long id, int length) : SecretVector
    {
        public readonly RemoteEngine Owner = owner;
        public readonly long Id = id;
        public override int Length => length;
    }

    sealed class Bits(RemoteEngine owner, long id, int length) : SecretBits
    {
        public readonly RemoteEngine Owner = owner;
        public readonly long Id = id;
        public override int Length => length;
    }

    long H(SecretVector x) => x is Vec v && v.Owner == this ? v.Id : throw new ArgumentException("This handle belongs to another engine.", nameof(x));
    long H(SecretBits x) => x is Bits b && b.Owner == this ? b.Id : throw new ArgumentException("This handle belongs to another engine.", nameof(x));

    /// <summary>Sends one command to each party (frame per party), waits for the three replies, and returns readers
    /// positioned after the status byte. A failing party stops the engine; an error all parties agree on is rethrown.</summary>
    WireReader[] Call(Func<int, byte[]> frameFor)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_broken is not null) throw new SmpcException($"This remote engine stopped after a failure ({_broken}); connect a new one.");
            var replies = new byte[3][];
            PeerFailureException? lost = null;
            try
            {
                for (int i = 0; i < 3; i++) _links[i].Send(frameFor(i));
                for (int i = 0; i < 3; i++) replies[i] = _links[i].Receive();
            }
            catch (PeerFailureException e) { lost = e; }
            if (lost is not null) { _broken = lost.Message; throw lost; }
            var readers = replies.Select((r, i) => new WireReader(r, $"party {i}")).ToArray();
            var status = readers.Select(r => r.Byte()).ToArray();
            if (status.All(b => b == 0)) return readers;
            var errors = readers.Select((r, i) => status[i] == 0 ? null : ReadError(r, i)).ToArray();
            var first = errors.FirstOrDefault(e => e is PeerFailureException) ?? errors.First(e => e is not null)!;
            if (first is PeerFailureException || status.Any(b => b == 0)) _broken = first.Message;   // the parties disagree: state is suspect
            throw first;
        }
    }

    static Exception ReadError(WireReader r, int party)
    {
        var kind = (RemoteErrorKind)r.Byte();
        int peer = r.Int();
        string message = r.Text();
        return kind switch
        {
            RemoteErrorKind.Shape => new ShapeException(message),
            RemoteErrorKind.Range => new RangeException(message),
            RemoteErrorKind.ArgumentOutOfRange => new ArgumentOutOfRangeException(null, message),
            RemoteErrorKind.Argument => new ArgumentException(message),
            RemoteErrorKind.PeerFailure => new PeerFailureException(peer, $"Party {party} lost the mesh: {message}"),
            RemoteErrorKind.Engine => new SmpcException(message),
            _ => new SmpcException($"Party {party}: {message}"),
        };
    }

    WireReader[] Call(WireWriter command) { var frame = command.ToArray(); return Call(_ => frame); }

    SecretVector NewVec(RemoteOp op, Action<WireWriter> operands)
    {
        long h = Interlocked.Increment(ref _nextHandle);
        var w = new WireWriter().Op(op).Long(h);
        operands(w);
        return new Vec(this, h, Call(w)[0].Int());
    }

    SecretBits NewBits(RemoteOp op, Action<WireWriter> operands)
    {
        long h = Interlocked.Increment(ref _nextHandle);
        var w = new WireWriter().Op(op).Long(h);
        operands(w);
        return new Bits(this, h, Call(w)[0].Int());
    }

    public SecretVector Share(ReadOnlySpan<ulong> values)
    {
        var views = ReplicatedSharing.Share(values);
        long h = Interlocked.Increment(ref _nextHandle);
        var replies = Call(i => new WireWriter().Op(RemoteOp.Share).Long(h).Vector(views[i].First).Vector(views[i].Second).ToArray());
        return new Vec(this, h, replies[0].Int());
    }

    public SecretVector Public(ReadOnlySpan<ulong> values)
    {
        var copy = values.ToArray();
        return NewVec(RemoteOp.Public, w => w.Vector(copy));
    }

    public SecretVector Add(SecretVector x, SecretVector y) => NewVec(RemoteOp.Add, w => w.Long(H(x)).Long(H(y)));
    public SecretVector Subtract(SecretVector x, SecretVector y) => NewVec(RemoteOp.Subtract, w => w.Long(H(x)).Long(H(y)));
    public SecretVector AddPublic(SecretVector x, ulong c) => NewVec(RemoteOp.AddPublic, w => w.Long(H(x)).ULong(c));
    public SecretVector MultiplyPublic(SecretVector x, ulong c) => NewVec(RemoteOp.MultiplyPublic, w => w.Long(H(x)).ULong(c));
    public SecretVector Multiply(SecretVector x, SecretVector y) => NewVec(RemoteOp.Multiply, w => w.Long(H(x)).Long(H(y)));
    public SecretVector Truncate(SecretVector x, int bits) => NewVec(RemoteOp.Truncate, w => w.Long(H(x)).Int(bits));
    public SecretVector Sum(SecretVector x) => NewVec(RemoteOp.Sum, w => w.Long(H(x)));

    public SecretVector Dot(IReadOnlyList<(SecretVector X, SecretVector Y)> pairs) => NewVec(RemoteOp.Dot, w =>
    {
        w.Int(pairs.Count);
        foreach (var (x, y) in pairs) w.Long(H(x)).Long(H(y));
    });

    public SecretVector Gather(SecretVector x, ReadOnlySpan<int> rows)
    {
        var idx = rows.ToArray();
        foreach (var r in idx) if ((uint)r >= (uint)x.Length) throw new ArgumentOutOfRangeException(nameof(rows), r, $"Row {r} is outside a vector of {x.Length}.");
        return NewVec(RemoteOp.Gather, w => { w.Long(H(x)).Int(idx.Length); foreach (var r in idx) w.Int(r); });
    }

    public SecretVector Concat(IReadOnlyList<SecretVector> parts) => NewVec(RemoteOp.Concat, w =>
    {
        w.Int(parts.Count);
        foreach (var p in parts) w.Long(H(p));
    });

    public SecretBits LessThan(SecretVector x, SecretVector y) => NewBits(RemoteOp.LessThan, w => w.Long(H(x)).Long(H(y)));
    public SecretBits LessThan(SecretVector x, ulong c) => NewBits(RemoteOp.LessThanPublic, w => w.Long(H(x)).ULong(c));
    public SecretBits GreaterThan(SecretVector x, ulong c) => NewBits(RemoteOp.GreaterThanPublic, w => w.Long(H(x)).ULong(c));
    public SecretBits Equal(SecretVector x, SecretVector y) => NewBits(RemoteOp.Equal, w => w.Long(H(x)).Long(H(y)));
    public SecretBits Equal(SecretVector x, ulong c) => NewBits(RemoteOp.EqualPublic, w => w.Long(H(x)).ULong(c));
    public SecretBits And(SecretBits x, SecretBits y) => NewBits(RemoteOp.And, w => w.Long(H(x)).Long(H(y)));
    public SecretBits Or(SecretBits x, SecretBits y) => NewBits(RemoteOp.Or, w => w.Long(H(x)).Long(H(y)));
    public SecretBits Xor(SecretBits x, SecretBits y) => NewBits(RemoteOp.Xor, w => w.Long(H(x)).Long(H(y)));
    public SecretBits Not(SecretBits x) => NewBits(RemoteOp.Not, w => w.Long(H(x)));
    public SecretVector ToArithmetic(SecretBits bits) => NewVec(RemoteOp.ToArithmetic, w => w.Long(H(bits)));
    public SecretBits BitsOf(SecretVector words) => NewBits(RemoteOp.BitsOf, w => w.Long(H(words)));

    public IReadOnlyList<SecretVector> Shuffle(IReadOnlyList<SecretVector> columns)
    {
        var ids = columns.Select(H).ToArray();
        var results = ids.Select(_ => Interlocked.Increment(ref _nextHandle)).ToArray();
        var w = new WireWriter().Op(RemoteOp.Shuffle).Int(ids.Length);
        foreach (var r in results) w.Long(r);
        foreach (var id in ids) w.Long(id);
        int length = Call(w)[0].Int();
        return [.. results.Select(r => (SecretVector)new Vec(this, r, length))];
    }

    void Log(RevealAudience audience, string purpose, int elements)
    {
        lock (_reveals) _reveals.Add(new RevealRecord(audience, purpose, elements, DateTimeOffset.UtcNow));
    }

    public IReadOnlyList<RevealRecord> Reveals { get { lock (_reveals) return _reveals.ToArray(); } }

    /// <summary>Each party sends its view here; the analyst recombines (and checks the replicated components agree).</summary>
    public ulong[] Reveal(SecretVector x, string purpose = "release")
    {
        var replies = Call(new WireWriter().Op(RemoteOp.ViewVector).Long(H(x)));
        Log(RevealAudience.Analyst, purpose, x.Length);
        return ReplicatedSharing.Reconstruct([.. replies.Select(r => new ArithmeticShare(r.Vector(), r.Vector()))]);
    }

    public bool[] Reveal(SecretBits x, string purpose = "release")
    {
        var replies = Call(new WireWriter().Op(RemoteOp.ViewBits).Long(H(x)));
        Log(RevealAudience.Analyst, purpose, x.Length);
        return ReplicatedSharing.ReconstructBits([.. replies.Select(r => { int n = r.Int(); return new BitShare(r.Vector(), r.Vector(), n); })]);
    }

    public ulong[] RevealToParties(SecretVector x, string purpose)
    {
        var replies = Call(new WireWriter().Op(RemoteOp.OpenVector).Long(H(x)));
        Log(RevealAudience.ComputeParties, purpose, x.Length);
        var values = replies.Select(r => r.Vector()).ToArray();
        if (!values[1].AsSpan().SequenceEqual(values[0]) || !values[2].AsSpan().SequenceEqual(values[0]))
            throw new SmpcException("The compute parties opened different values; their shares are inconsistent.");
        return values[0];
    }

    public bool[] RevealToParties(SecretBits x, string purpose)
    {
        var replies = Call(new WireWriter().Op(RemoteOp.OpenBits).Long(H(x)));
        Log(RevealAudience.ComputeParties, purpose, x.Length);
        var values = replies.Select(r => Enumerable.Range(0, r.Count()).Select(_ => r.Byte() != 0).ToArray()).ToArray();
        if (!values[1].SequenceEqual(values[0]) || !values[2].SequenceEqual(values[0]))
            throw new SmpcException("The compute parties opened different bits; their shares are inconsistent.");
        return values[0];
    }

    /// <summary>Traffic of each party's two mesh links during this engine's job (the commands to the analyst are not counted).</summary>
    public IReadOnlyList<TrafficSnapshot> Traffic =>
        [.. Call(new WireWriter().Op(RemoteOp.Traffic)).Select(r => new TrafficSnapshot(r.Long(), r.Long(), r.Long(), r.Long()))];

    /// <summary>Asks the three party processes to exit (after this engine's job). The engine is disposed.</summary>
    public void ShutdownParties() => Finish(RemoteOp.Shutdown);

    /// <summary>Ends the job: the parties drop its handles and wait for the next analyst.</summary>
    public void Dispose() => Finish(RemoteOp.End);

    void Finish(RemoteOp op)
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (_broken is null)
            {
                try
                {
                    foreach (var l in _links) l.Send([(byte)op]);
                    foreach (var l in _links) l.Receive();
                }
                catch (PeerFailureException) { }
            }
            foreach (var l in _links) l.Dispose();
        }
    }
}
