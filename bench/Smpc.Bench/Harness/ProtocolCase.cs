using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Bench.Harness;

/// <summary>
/// A case that runs one party program on a fresh three-party cluster of the given transport.
/// <typeparamref name="TData"/> holds the plaintext and every party's shares, made outside the timer.
/// </summary>
public sealed class ProtocolCase<TData, TOut> : IBenchCase
{
    readonly BenchTransport _transport;
    readonly Func<int, TData> _setup;
    readonly Func<MpcSession, TData, TOut> _program;
    readonly Action<TData, TOut[]> _verify;

    /// <param name="operation">Name before the transport suffix, e.g. <c>mul</c>.</param>
    /// <param name="setup">Builds the inputs for a row count (untimed).</param>
    /// <param name="program">The timed party program; picks its own shares with <c>s.PartyId</c>.</param>
    /// <param name="verify">Compares the three parties' outputs with plaintext; throws <see cref="BenchVerificationException"/>.</param>
    public ProtocolCase(string operation, BenchTransport transport, string description, int quickRows, IReadOnlyList<int> fullRows,
                        Func<int, TData> setup, Func<MpcSession, TData, TOut> program, Action<TData, TOut[]> verify)
    {
        Name = $"{operation}-{transport.Suffix}";
        Description = description;
        QuickRows = quickRows;
        FullRows = fullRows;
        _transport = transport;
        _setup = setup;
        _program = program;
        _verify = verify;
    }

    public string Name { get; }
    public string Description { get; }
    public int QuickRows { get; }
    public IReadOnlyList<int> FullRows { get; }
    public bool RunByDefault { get; private set; } = true;

    /// <summary>Marks this case as a comparison variant that runs only when named.</summary>
    public ProtocolCase<TData, TOut> AsVariant()
    {
        RunByDefault = false;
        return this;
    }

    public IBenchRun Prepare(int rows) => new PreparedRun(this, rows);

    sealed class PreparedRun : IBenchRun
    {
        readonly ProtocolCase<TData, TOut> _case;
        readonly IBenchCluster _cluster;
        readonly TData _data;

        public PreparedRun(ProtocolCase<TData, TOut> benchCase, int rows)
        {
            _case = benchCase;
            _data = benchCase._setup(rows);
            _cluster = benchCase._transport.Start();
        }

        public void Run() => GC.KeepAlive(_cluster.Run(s => _case._program(s, _data)));

        public void RunAndVerify() => _case._verify(_data, _cluster.Run(s => _case._program(s, _data)));

        public IReadOnlyList<TrafficSnapshot> Traffic() => _cluster.Traffic();

        public void Dispose() => _cluster.Dispose();
    }
}
