using Smpc.Analytics.Protocols;
using Smpc.Analytics.Sharing;
using Smpc.Bench.Harness;

namespace Smpc.Bench.Cases;

/// <summary>
/// Round latency: "rows" one-element multiplications one after another in a single party program (each is one
/// round), so seconds / rows is the cost of one round trip on the transport. Layers that run many small rounds
/// (sorting, regression solves) are bound by this, not by bandwidth.
/// </summary>
public sealed class LatencySuite : IBenchSuite
{
    sealed record Chain(ArithmeticShare[] X, int Length);

    public int Order => 10;

    public IEnumerable<IBenchCase> Cases()
    {
        foreach (var t in new[] { BenchTransport.InProcess, BenchTransport.Tls })
            yield return new ProtocolCase<Chain, ulong>("rounds", t,
                "n one-element multiplications in sequence (one round each): seconds / n = one round", 1000, [1000, 10_000],
                n => new Chain(BenchData.Deal([3UL]), n),
                (s, c) =>
                {
                    var x = c.X[s.PartyId];
                    var acc = x;
                    for (int i = 0; i < c.Length; i++) acc = Multiplication.Multiply(s, acc, x);
                    return Open.RevealToAll(s, acc)[0];
                },
                (c, outs) =>
                {
                    ulong expected = 3;
                    for (int i = 0; i < c.Length; i++) expected *= 3;
                    foreach (var o in outs) BenchData.Check(o == expected, $"rounds: got {o}, expected 3^{c.Length + 1} mod 2^64");
                });
        yield return new CallsCase();
    }

    /// <summary>
    /// "rows" separate <see cref="Smpc.Analytics.Session.LocalCluster.Run{T}"/> calls, each one one-element
    /// multiplication: what an engine-level caller (SecureEngine, the statistics layer) pays per operation on
    /// top of the round itself.
    /// </summary>
    sealed class CallsCase : IBenchCase
    {
        public string Name => "calls-inproc";
        public string Description => "n LocalCluster.Run calls of one one-element multiplication each: seconds / n = one engine call";
        public int QuickRows => 1000;
        public IReadOnlyList<int> FullRows => [1000, 10_000];
        public IBenchRun Prepare(int rows) => new Prepared(rows);

        sealed class Prepared(int calls) : IBenchRun
        {
            readonly Smpc.Analytics.Session.LocalCluster _cluster = new();
            readonly ArithmeticShare[] _x = BenchData.Deal([3UL]);

            ArithmeticShare[] Once()
            {
                var acc = _x;
                for (int i = 0; i < calls; i++)
                {
                    var a = acc;
                    acc = _cluster.Run(s => Multiplication.Multiply(s, a[s.PartyId], _x[s.PartyId]));
                }
                return acc;
            }

            public void Run() => GC.KeepAlive(Once());

            public void RunAndVerify()
            {
                ulong expected = 3;
                for (int i = 0; i < calls; i++) expected *= 3;
                ulong got = ReplicatedSharing.Reconstruct(Once())[0];
                BenchData.Check(got == expected, $"calls: got {got}, expected 3^{calls + 1} mod 2^64");
            }

            public IReadOnlyList<Smpc.Analytics.Transport.TrafficSnapshot> Traffic() => _cluster.Traffic();

            public void Dispose() => _cluster.Dispose();
        }
    }
}
