// Party side of RemoteEngine: a compute party process (`smpc party --serve`) keeps its views of secret vectors
// in a handle table and runs each IComputeEngine operation when the analyst's coordinator asks, executing the
// existing protocols with the other two parties over their TLS links. Command format: RemoteEngineProtocol.cs.
// All three parties receive the same commands in the same order, so their sessions stay in step (nonces,
// handles). At the start of each analyst job the parties compare how many commands each has run (one round)
// and refuse to continue if they differ, instead of computing on mismatched state.
// Security: semi-honest, honest majority; a party sees only its own views, the commands (public shapes,
// constants and row indices) and values opened to the parties. Leakage: LEAKAGE.md, RemoteEngine rows.
// Trusted-coordinator mode for tests and benchmarks: the analyst is trusted to open only released values. Untrusted
// analysts reach contributed data through the party services instead (Studies/Parties/PartyStudyHost.cs).
using Smpc.Analytics.Protocols;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Engine;

public static class RemoteEngineServer
{
    /// <summary>Serves analyst jobs one after another until an analyst sends Shutdown. Throws on a broken mesh.</summary>
    public static void Serve(TlsNetwork network, MpcSession session, Action<string>? log = null)
    {
        long executed = 0;
        while (true)
        {
            var link = network.AcceptAnalyst(Timeout.InfiniteTimeSpan) ?? throw new SmpcException($"Party {session.PartyId} stopped accepting the analyst.");
            using (link)
            {
                log?.Invoke("analyst connected");
                CheckInStep(session, executed);
                var job = new Job(session);
                bool shutdown;
                try { shutdown = job.Run(link, ref executed); }
                catch (PeerFailureException e) when (e.Peer < 0)
                {
                    // The analyst went away without ending its job. Stay up: the next job's step check finds out
                    // whether the parties stopped at the same command.
                    log?.Invoke($"the analyst left without ending its job ({e.Message})");
                    continue;
                }
                log?.Invoke(shutdown ? "shutdown requested by the analyst" : $"job ended after {job.Commands} commands");
                if (shutdown) return;
            }
        }
    }

    static void CheckInStep(MpcSession s, long executed)
    {
        var mine = BitConverter.GetBytes(executed);
        s.Next.Send(mine);
        s.Prev.Send(mine);
        long next = BitConverter.ToInt64(s.Next.Receive()), prev = BitConverter.ToInt64(s.Prev.Receive());
        if (next != executed || prev != executed)
            throw new SmpcException($"The compute parties are out of step: party {s.PartyId} ran {executed} commands, party {s.NextId} {next}, party {s.PrevId} {prev} (an analyst left in the middle of a command). Restart the three parties.");
    }

    sealed class Job(MpcSession s)
    {
        readonly Dictionary<long, object> _handles = [];
        readonly TrafficSnapshot _start = s.Traffic;
        public long Commands { get; private set; }

        public bool Run(FramedLink link, ref long executed)
        {
            while (true)
            {
                var frame = link.Receive();
                var op = (RemoteOp)(frame.Length > 0 ? frame[0] : 0);
                if (op == RemoteOp.End) { link.Send([0]); return false; }
                if (op == RemoteOp.Shutdown) { link.Send([0]); return true; }
                byte[] reply;
                try
                {
                    var reader = new WireReader(frame, "the analyst");
                    reader.Byte();   // the op
                    reply = Execute(op, reader).ToArray();
                }
                catch (Exception e) when (e is SmpcException or ArgumentException or InvalidOperationException)
                {
                    reply = new WireWriter().Byte(1).Byte((byte)Kind(e)).Int(e is PeerFailureException p ? p.Peer : -1).Text(e.Message).ToArray();
                    if (e is PeerFailureException) { link.Send(reply); throw new SmpcException($"Party {s.PartyId}: the mesh broke during a command: {e.Message}", e); }
                }
                executed++;
                Commands++;
                link.Send(reply);
            }
        }

        static RemoteErrorKind Kind(Exception e) => e switch
        {
            PeerFailureException => RemoteErrorKind.PeerFailure,
            ShapeException => RemoteErrorKind.Shape,
            RangeException => RemoteErrorKind.Range,
            SmpcException => RemoteErrorKind.Engine,
            ArgumentOutOfRangeException => RemoteErrorKind.ArgumentOutOfRange,
            ArgumentException => RemoteErrorKind.Argument,
            _ => RemoteErrorKind.Other,
        };

        ArithmeticShare V(long h) => _handles.TryGetValue(h, out var v) && v is ArithmeticShare a ? a : throw new SmpcException($"Party {s.PartyId} holds no secret vector with handle {h}.");
        BitShare B(long h) => _handles.TryGetValue(h, out var v) && v is BitShare b ? b : throw new SmpcException($"Party {s.PartyId} holds no secret bits with handle {h}.");

        WireWriter Store(long handle, object value)
        {
            _handles[handle] = value;
            return new WireWriter().Byte(0).Int(value is ArithmeticShare a ? a.Length : ((BitShare)value).Length);
        }

        WireWriter Execute(RemoteOp op, WireReader r)
        {
            WireWriter Vec(Func<ArithmeticShare> f) { long h = r.Long(); return Store(h, f()); }
            WireWriter Bit(Func<BitShare> f) { long h = r.Long(); return Store(h, f()); }
            var ok = new WireWriter().Byte(0);
            switch (op)
            {
                case RemoteOp.Share: return Vec(() => new ArithmeticShare(r.Vector(), r.Vector()));
                case RemoteOp.Public: return Vec(() => Linear.Public(s, r.Vector()));
                case RemoteOp.Add: return Vec(() => Linear.Add(V(r.Long()), V(r.Long())));
                case RemoteOp.Subtract: return Vec(() => Linear.Subtract(V(r.Long()), V(r.Long())));
                case RemoteOp.AddPublic: return Vec(() => Linear.AddPublic(s, V(r.Long()), r.ULong()));
                case RemoteOp.MultiplyPublic: return Vec(() => Linear.MultiplyPublic(V(r.Long()), r.ULong()));
                case RemoteOp.Multiply: return Vec(() => Multiplication.Multiply(s, V(r.Long()), V(r.Long())));
                case RemoteOp.Truncate: return Vec(() => Truncation.Truncate(s, V(r.Long()), r.Int()));
                case RemoteOp.Sum: return Vec(() => Linear.Sum(V(r.Long())));
                case RemoteOp.Dot:
                    return Vec(() =>
                    {
                        int k = r.Count();
                        var xs = new ArithmeticShare[k]; var ys = new ArithmeticShare[k];
                        for (int i = 0; i < k; i++) { xs[i] = V(r.Long()); ys[i] = V(r.Long()); }
                        return Multiplication.DotMany(s, xs, ys);
                    });
                case RemoteOp.Gather:
                    return Vec(() =>
                    {
                        var x = V(r.Long());
                        int k = r.Count();
                        var a = new ulong[k]; var b = new ulong[k];
                        for (int i = 0; i < k; i++)
                        {
                            int row = r.Int();
                            if ((uint)row >= (uint)x.Length) throw new ArgumentOutOfRangeException("rows", row, $"Row {row} is outside a vector of {x.Length}.");
                            a[i] = x.First[row]; b[i] = x.Second[row];
                        }
                        return new ArithmeticShare(a, b);
                    });
                case RemoteOp.Concat:
                    return Vec(() =>
                    {
                        var parts = Enumerable.Range(0, r.Count()).Select(_ => V(r.Long())).ToArray();
                        return new ArithmeticShare([.. parts.SelectMany(p => p.First)], [.. parts.SelectMany(p => p.Second)]);
                    });
                case RemoteOp.LessThan: return Bit(() => Comparison.LessThan(s, V(r.Long()), V(r.Long())));
                case RemoteOp.LessThanPublic: return Bit(() => Comparison.LessThan(s, V(r.Long()), r.ULong()));
                case RemoteOp.GreaterThanPublic: return Bit(() => Comparison.GreaterThan(s, V(r.Long()), r.ULong()));
                case RemoteOp.Equal: return Bit(() => Comparison.Equal(s, V(r.Long()), V(r.Long())));
                case RemoteOp.EqualPublic: return Bit(() => Comparison.Equal(s, V(r.Long()), r.ULong()));
                case RemoteOp.And: return Bit(() => BooleanGates.And(s, B(r.Long()), B(r.Long())));
                case RemoteOp.Or: return Bit(() => BooleanGates.Or(s, B(r.Long()), B(r.Long())));
                case RemoteOp.Xor: return Bit(() => BooleanGates.Xor(B(r.Long()), B(r.Long())));
                case RemoteOp.Not: return Bit(() => BooleanGates.Not(s, B(r.Long())));
                case RemoteOp.ToArithmetic: return Vec(() => Conversion.BitsToArithmetic(s, B(r.Long())));
                case RemoteOp.BitsOf: return Bit(() => Conversion.WordBits(s, V(r.Long())));
                case RemoteOp.Shuffle:
                {
                    int k = r.Count();
                    var results = Enumerable.Range(0, k).Select(_ => r.Long()).ToArray();
                    var columns = Enumerable.Range(0, k).Select(_ => V(r.Long())).ToArray();
                    var shuffled = Protocols.Shuffle.Apply(s, columns);
                    for (int i = 0; i < k; i++) _handles[results[i]] = shuffled[i];
                    return ok.Int(k == 0 ? 0 : shuffled[0].Length);
                }
                case RemoteOp.ViewVector: { var x = V(r.Long()); return ok.Vector(x.First).Vector(x.Second); }
                case RemoteOp.ViewBits: { var x = B(r.Long()); return ok.Int(x.Length).Vector(x.First).Vector(x.Second); }
                case RemoteOp.OpenVector: return ok.Vector(Open.RevealToAll(s, V(r.Long())));
                case RemoteOp.OpenBits:
                {
                    var bits = Open.RevealToAll(s, B(r.Long()));
                    ok.Int(bits.Length);
                    foreach (var b in bits) ok.Byte(b ? (byte)1 : (byte)0);
                    return ok;
                }
                case RemoteOp.Traffic:
                {
                    var t = s.Traffic - _start;
                    return ok.Long(t.BytesSent).Long(t.BytesReceived).Long(t.MessagesSent).Long(t.Rounds);
                }
                case RemoteOp.Free:
                {
                    int k = r.Count();
                    for (int i = 0; i < k; i++) _handles.Remove(r.Long());
                    return ok;
                }
                default: throw new SmpcException($"Party {s.PartyId} received an unknown command {(byte)op}.");
            }
        }
    }
}
