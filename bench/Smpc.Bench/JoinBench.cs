// Benchmarks of the linkage layer: secure inner join of two synthetic tables (unique SSNs, half of each table
// linking) with 5 payload columns, for each pseudonymiser, three parties in this process (SecureEngine on a
// LocalCluster); and the elliptic-curve bound of the OPRF (X25519 operations per second by OpenSSL and
// BouncyCastle, hash to curve per second) to compare the OPRF's achieved rate against.
// Phases are timed separately: contributor preparation (normalise + pseudonymise, which for the OPRF includes the
// compute parties' chained evaluation), sharing, and the join itself (shuffle, open, match, gather, reshuffle).
using System.Diagnostics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Bench.Harness;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Transport;

namespace Smpc.Bench;

/// <summary>One join benchmark case.</summary>
public sealed record JoinMeasurement(
    string Name, string Pseudonymiser, int LeftRows, int RightRows, int PayloadColumns, int Linked,
    double PrepareSeconds, double ShareSeconds, double JoinSeconds, double TotalSeconds,
    long JoinBytesPerParty, long JoinRounds, long PrepareBytesPerParty,
    long CurveOperations, double? CurveOperationsPerSecond)
{
    public override string ToString() =>
        $"{Name}: {LeftRows:N0}×{RightRows:N0}, {PayloadColumns} payload cols, {Linked:N0} linked | prepare {PrepareSeconds:F2} s, share {ShareSeconds:F2} s, " +
        $"join {JoinSeconds:F2} s, total {TotalSeconds:F2} s | join {JoinBytesPerParty / 1e6:F1} MB/party, {JoinRounds} rounds" +
        (CurveOperationsPerSecond is { } r ? $" | {CurveOperations:N0} X25519 ops at {r:N0}/s ({PrepareBytesPerParty / 1e6:F1} MB/party in the OPRF chain)" : "");
}

/// <summary>Throughput of one curve operation (the OPRF's bound).</summary>
public sealed record CurveBound(string Implementation, string Operation, int Threads, double OperationsPerSecond)
{
    public override string ToString() => $"{Implementation} {Operation}, {Threads} thread(s): {OperationsPerSecond:N0}/s";
}

public static class JoinBench
{
    /// <summary>Cases: keyed hash and OPRF at 100k×100k; keyed hash at 1M×1M; OPRF at 1M×1M only when <paramref name="full"/>.</summary>
    public static IReadOnlyList<JoinMeasurement> Run(bool quick = false, bool full = false)
    {
        var cases = new List<(string Name, bool Oprf, int Rows)>
        {
            ("join-hash-100k", false, 100_000),
            ("join-oprf-100k", true, 100_000),
        };
        if (!quick) cases.Add(("join-hash-1m", false, 1_000_000));
        if (full) cases.Add(("join-oprf-1m", true, 1_000_000));
        if (quick) cases = [("join-hash-10k", false, 10_000), ("join-oprf-10k", true, 10_000)];
        return cases.Select(c => Join(c.Name, c.Oprf, c.Rows, c.Rows)).ToArray();
    }

    /// <summary>One secure inner join of <paramref name="leftRows"/> × <paramref name="rightRows"/> on an SSN key.</summary>
    public static JoinMeasurement Join(string name, bool oprf, int leftRows, int rightRows, int payloadColumns = 5)
    {
        using var engine = BenchLinks.Engine();
        var key = LinkageKey.Ssn();
        var left = Dataset("left", 0, leftRows, payloadColumns);
        var right = Dataset("right", leftRows / 2, rightRows, payloadColumns);   // half of each table links

        IPseudonymiser hash = new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey());
        ClusterOprfService? service = null;
        if (oprf)
        {
            service = new ClusterOprfService(engine.Cluster, OprfKeyShare.GenerateForParties());
            service.Allow("left", leftRows);
            service.Allow("right", rightRows);
        }
        IPseudonymiser For(string contributor) => oprf ? new OprfPseudonymiser(service!, contributor) : hash;

        var total = Stopwatch.StartNew();
        var t0 = engine.Traffic.ToArray();
        var watch = Stopwatch.StartNew();
        var preparedLeft = LinkagePreparation.Prepare(left.Raw, left.Schema, [key], For("left"));
        var preparedRight = LinkagePreparation.Prepare(right.Raw, right.Schema, [key], For("right"));
        double prepare = watch.Elapsed.TotalSeconds;
        var prepareTraffic = Sent(engine, t0);

        watch.Restart();
        var sharedLeft = ContributorEncoder.Share(engine, preparedLeft.Schema, preparedLeft.Data);
        var sharedRight = ContributorEncoder.Share(engine, preparedRight.Schema, preparedRight.Data);
        double share = watch.Elapsed.TotalSeconds;

        var before = engine.Traffic.ToArray();
        watch.Restart();
        var result = SecureJoin.Inner(new JoinInput(sharedLeft), new JoinInput(sharedRight), LinkagePass.On(key, "ssn"));
        double join = watch.Elapsed.TotalSeconds;
        double all = total.Elapsed.TotalSeconds;
        var after = engine.Traffic;
        long joinBytes = Enumerable.Range(0, 3).Max(p => after[p].BytesSent - before[p].BytesSent);
        long joinRounds = Enumerable.Range(0, 3).Max(p => after[p].Rounds - before[p].Rounds);

        // X25519 operations per key: blind and unblind at the contributor, one per compute party (the rate below is over the
        // whole preparation, which also hashes every key to the curve and runs the HMAC-free parts of preparation).
        long curveOps = oprf ? 5L * (leftRows + rightRows) : 0;
        return new JoinMeasurement(name, oprf ? "threshold OPRF (2HashDH, X25519)" : "keyed hash (HMAC-SHA256)", leftRows, rightRows, payloadColumns,
            result.Table.RowCount, prepare, share, join, all, joinBytes, joinRounds, prepareTraffic, curveOps, oprf ? curveOps / prepare : null);
    }

    /// <summary>A contributor extract: unique valid SSNs for people [first, first + rows) in mixed layouts, and integer payloads.</summary>
    static (PlainTable Raw, TableSchema Schema) Dataset(string name, int first, int rows, int payloadColumns)
    {
        var ssn = new object?[rows];
        for (int i = 0; i < rows; i++)
        {
            int person = first + i;
            int area = 1 + person % 665;                    // 001–665: never 000, 666 or 9xx
            int group = 1 + person / 665 % 99;
            int serial = 1 + person / (665 * 99) % 9999;
            ssn[i] = (i % 3) switch
            {
                0 => $"{area:D3}-{group:D2}-{serial:D4}",
                1 => $"{area:D3}{group:D2}{serial:D4}",
                _ => $"{area:D3} {group:D2} {serial:D4}",
            };
        }
        var raw = new PlainTable(name).Add("ssn", ssn);
        var columns = new List<ColumnSpec>();
        var rng = new Random(name.GetHashCode(StringComparison.Ordinal));
        for (int c = 0; c < payloadColumns; c++)
        {
            var values = new long[rows];
            for (int i = 0; i < rows; i++) values[i] = rng.NextInt64(-1_000_000, 1_000_000);
            raw.Add($"{name}_v{c}", values);
            columns.Add(new ColumnSpec { Name = $"{name}_v{c}", Kind = ColumnKind.Integer, Min = -1_000_000, Max = 1_000_000 });
        }
        return (raw, new TableSchema { Name = name, Columns = columns });
    }

    static long Sent(IComputeEngine engine, TrafficSnapshot[] before) => Enumerable.Range(0, 3).Max(p => engine.Traffic[p].BytesSent - before[p].BytesSent);

    /// <summary>
    /// The OPRF's hardware bound: X25519 (fixed key as at a compute party, one scalar per element as at a contributor)
    /// and hash-to-curve throughput, on one thread and on all threads.
    /// </summary>
    public static IReadOnlyList<CurveBound> MeasureCurveBound(int operations = 20_000)
    {
        const int Chunk = 256;   // batches this small run on the calling thread only
        int threads = Environment.ProcessorCount;
        var results = new List<CurveBound>();
        var h = new HashToCurve25519(OprfPseudonymiser.HashToCurveTag);
        var messages = Enumerable.Range(0, operations).Select(i => System.Text.Encoding.UTF8.GetBytes($"ssn:{100000000 + i}")).ToArray();
        var points = new byte[32 * operations];
        double Rate(int n, Action body) { var w = Stopwatch.StartNew(); body(); return n / w.Elapsed.TotalSeconds; }

        results.Add(new CurveBound("managed (BouncyCastle X25519Field)", "hash to curve (RFC 9380 ELL2_RO, batched inversion)", 1,
            Rate(operations, () => { for (int i = 0; i < operations; i += Chunk) h.HashMany(messages[i..Math.Min(operations, i + Chunk)], points.AsSpan(32 * i, 32 * Math.Min(Chunk, operations - i))); })));
        results.Add(new CurveBound("managed (BouncyCastle X25519Field)", "hash to curve (RFC 9380 ELL2_RO, batched inversion)", threads,
            Rate(operations, () => Parallel.For(0, (operations + Chunk - 1) / Chunk, c =>
            {
                int i = c * Chunk, m = Math.Min(Chunk, operations - i);
                h.HashMany(messages[i..(i + m)], points.AsSpan(32 * i, 32 * m).ToArray());
            }))));

        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        foreach (var backend in new[] { X25519Backend.OpenSsl, X25519Backend.BouncyCastle }.OfType<X25519Backend>())
        {
            int n = backend == X25519Backend.BouncyCastle ? operations / 2 : operations;
            var p = points[..(32 * n)];
            var scalars = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32 * n);
            var o = new byte[p.Length];
            results.Add(new CurveBound(backend.Name, "X25519, fixed key share (compute party)", 1, Rate(n, () =>
            {
                for (int i = 0; i < n; i += Chunk) { int m = Math.Min(Chunk, n - i); backend.MultiplyFixed(key, p[(32 * i)..(32 * (i + m))], new byte[32 * m]); }
            })));
            results.Add(new CurveBound(backend.Name, "X25519, fixed key share (compute party)", threads, Rate(n, () => backend.MultiplyFixed(key, p, o))));
            results.Add(new CurveBound(backend.Name, "X25519, one scalar per element (contributor)", 1, Rate(n, () =>
            {
                for (int i = 0; i < n; i += Chunk) { int m = Math.Min(Chunk, n - i); backend.MultiplyEach(scalars[(32 * i)..(32 * (i + m))], p[(32 * i)..(32 * (i + m))], new byte[32 * m]); }
            })));
            results.Add(new CurveBound(backend.Name, "X25519, one scalar per element (contributor)", threads, Rate(n, () => backend.MultiplyEach(scalars, p, o))));
        }
        return results;
    }
}
