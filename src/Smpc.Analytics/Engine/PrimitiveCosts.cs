// What each engine primitive costs at the party services, measured rather than derived: every primitive (a multiply,
// a comparison, a truncation by b bits, a shuffle of k columns, an opening, …) runs once on 64 and once on 4,160
// elements of zeros in a three-party cluster in this process, each party on its own PartyEngine (the engine of
// `smpc party serve`), and its rounds, bytes sent by each party and time are read from the sessions' meters. The
// protocols are vectorised, so a primitive's rounds do not depend on the length and its bytes are an affine function
// of it (exact at multiples of 64 elements, where bit-packed messages fill their words; within a word per message
// elsewhere). Measured once per process and primitive. Nothing here touches a study's data.
using System.Collections.Concurrent;
using System.Diagnostics;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Engine;

/// <summary>Measured cost of one primitive: rounds, and per party bytes = <see cref="Intercept"/> + <see cref="PerElement"/> × n.</summary>
public sealed record PrimitiveCost(string Key, long Rounds, double[] Intercept, double[] PerElement, double SecondsPerElement)
{
    public long BytesOf(int party, long n) => Math.Max(0, (long)Math.Round(Intercept[party] + PerElement[party] * n));
}

public static class PrimitiveCosts
{
    const int Small = 64, Large = Small + 4096;
    static readonly ConcurrentDictionary<string, PrimitiveCost> Measured = new(StringComparer.Ordinal);
    static readonly Lock Calibrating = new();
    static LocalCluster? _cluster;

    /// <summary>Primitives that run without a message (linear operations on shares, public constants).</summary>
    public static readonly IReadOnlySet<string> Local = new HashSet<string>(StringComparer.Ordinal)
        { "public", "share", "add", "subtract", "add-public", "multiply-public", "sum", "gather", "concat", "xor" };

    /// <summary>The cost of <paramref name="key"/> (see <see cref="Program"/> for the keys), measured on first use.</summary>
    public static PrimitiveCost Of(string key)
    {
        if (Measured.TryGetValue(key, out var known)) return known;
        lock (Calibrating)
        {
            if (Measured.TryGetValue(key, out known)) return known;
            _cluster ??= new LocalCluster();
            var program = Program(key);
            var small = Measure(_cluster, program, Small);
            var large = Measure(_cluster, program, Large);
            var perElement = new double[3];
            var intercept = new double[3];
            for (int p = 0; p < 3; p++)
            {
                perElement[p] = (large.Bytes[p] - small.Bytes[p]) / (double)(Large - Small);
                intercept[p] = small.Bytes[p] - perElement[p] * Small;
            }
            var cost = new PrimitiveCost(key, large.Rounds, intercept, perElement, large.Seconds / Large);
            Measured[key] = cost;
            return cost;
        }
    }

    sealed record Sample(long Rounds, long[] Bytes, double Seconds);

    static Sample Measure(LocalCluster cluster, Func<IComputeEngine, int, Action> program, int n)
    {
        var before = cluster.Traffic();
        var seconds = cluster.Run(s =>
        {
            var engine = new PartyEngine(s);
            var op = program(engine, n);          // inputs prepared outside the measured part
            var start = s.Traffic;
            var clock = Stopwatch.StartNew();
            op();
            return (clock.Elapsed.TotalSeconds, Delta: s.Traffic - start);
        });
        return new Sample(seconds.Max(x => x.Delta.Rounds), [.. seconds.Select(x => x.Delta.BytesSent)], seconds.Max(x => x.TotalSeconds));
    }

    /// <summary>For a primitive key, given an engine and a length n: prepares zero inputs and returns the primitive's call.
    /// Keys: multiply, truncate:BITS, dot (n pairs), less, less-public, greater-public, equal, equal-public, and, or, not,
    /// to-arithmetic, bits-of, shuffle:COLUMNS, reveal, reveal-bits, open, open-bits, contributions, one-hot:L1,L2,… (codes of
    /// columns with those levels), expand:BITS,LEVELS,FIRST (a stored category code's expansion).</summary>
    static Func<IComputeEngine, int, Action> Program(string key)
    {
        var (name, arg) = key.IndexOf(':') is var i and >= 0 ? (key[..i], key[(i + 1)..]) : (key, "");
        return name switch
        {
            "multiply" => (e, n) => { var z = Zeros(e, n); return () => e.Multiply(z, z); },
            "truncate" => (e, n) => { var z = Zeros(e, n); int bits = int.Parse(arg); return () => e.Truncate(z, bits); },
            "dot" => (e, n) => { var z = Zeros(e, 1); var pairs = Enumerable.Repeat((z, z), n).ToArray(); return () => e.Dot(pairs); },
            "less" => (e, n) => { var z = Zeros(e, n); return () => e.LessThan(z, z); },
            "less-public" => (e, n) => { var z = Zeros(e, n); return () => e.LessThan(z, 1UL); },
            "greater-public" => (e, n) => { var z = Zeros(e, n); return () => e.GreaterThan(z, 1UL); },
            "equal" => (e, n) => { var z = Zeros(e, n); return () => e.Equal(z, z); },
            "equal-public" => (e, n) => { var z = Zeros(e, n); return () => e.Equal(z, 1UL); },
            "and" => (e, n) => { var b = Bits(e, n); return () => e.And(b, b); },
            "or" => (e, n) => { var b = Bits(e, n); return () => e.Or(b, b); },
            "not" => (e, n) => { var b = Bits(e, n); return () => e.Not(b); },
            "to-arithmetic" => (e, n) => { var b = Bits(e, n); return () => e.ToArithmetic(b); },
            "bits-of" => (e, n) => { var z = Zeros(e, n); return () => e.BitsOf(z); },
            "shuffle" => (e, n) => { var cols = Enumerable.Range(0, int.Parse(arg)).Select(_ => Zeros(e, n)).ToArray(); return () => e.Shuffle(cols); },
            "reveal" => (e, n) => { var z = Zeros(e, n); return () => e.Reveal(z, "calibration"); },
            "reveal-bits" => (e, n) => { var b = Bits(e, n); return () => e.Reveal(b, "calibration"); },
            "open" => (e, n) => { var z = Zeros(e, n); return () => e.RevealToParties(z, "calibration"); },
            "open-bits" => (e, n) => { var b = Bits(e, n); return () => e.RevealToParties(b, "calibration"); },
            "contributions" => (e, n) => () => e.SumOfPartyContributions(n, _ => new ulong[n]),
            "one-hot" => (e, n) =>
            {
                var levels = arg.Split(',').Select(int.Parse).ToArray();
                var codes = levels.Select(l => (Zeros(e, n), l)).ToArray();
                return () => e.OneHotOfCodes(codes);
            },
            "codes-of" => (e, n) =>
            {
                var code = new Columnar.StoredCode(new Sharing.BooleanShare(new ulong[n], new ulong[n]), 0);
                return () => ((PartyEngine)e).CodesOf([code]);
            },
            "expand" => (e, n) =>
            {
                var p = arg.Split(',').Select(int.Parse).ToArray();
                var party = (PartyEngine)e;
                var code = new Sharing.BooleanShare(new ulong[n], new ulong[n]);
                return () => party.ExpandCategory(code, p[0], p[1], p[2]);
            },
            _ => throw new ArgumentException($"No cost measurement for the primitive '{key}'.", nameof(key)),
        };
    }

    static SecretVector Zeros(IComputeEngine e, int n) => e.Public(new ulong[n]);

    static SecretBits Bits(IComputeEngine e, int n) => e.Equal(e.Public(new ulong[n]), 0UL);
}
