using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Session;

/// <summary>
/// The embedded default: three compute parties in this process, each on its own thread, linked by
/// an <see cref="InMemoryNetwork"/>. <see cref="Run{T}"/> executes the same party program at all three
/// (SPMD), exactly as three processes would over TLS.
/// </summary>
public sealed class LocalCluster : IDisposable
{
    readonly InMemoryNetwork _network;
    readonly MpcSession[] _sessions;
    readonly Lock _gate = new();   // one program at a time: parties must see operations in the same order
    bool _failed;

    public LocalCluster(MpcOptions? options = null)
    {
        options ??= MpcOptions.Default;
        _network = new InMemoryNetwork(options.ReceiveTimeout);
        var sessions = new MpcSession[3];
        RunOnPartyThreads(p => sessions[p] = MpcSession.Establish(p, _network.Channel(p, (p + 1) % 3), _network.Channel(p, (p + 2) % 3), options));
        _sessions = sessions;
    }

    public MpcOptions Options => _sessions[0].Options;

    /// <summary>The session of party <paramref name="partyId"/> (for meters and inspection).</summary>
    public MpcSession Session(int partyId) => (uint)partyId <= 2 ? _sessions[partyId] : throw Errors.PartyId(partyId);

    /// <summary>Attaches a recorder to every link (transcript tests).</summary>
    public void Record(ITranscriptRecorder recorder)
    {
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                if (a != b) ((Channel)_network.Channel(a, b)).Recorder = recorder;
    }

    /// <summary>Runs <paramref name="program"/> at all three parties concurrently and returns their results,
    /// indexed by party id. If one party throws, the links are closed so the others stop too, and the
    /// first party's own error (not the follow-on "peer closed" errors) is rethrown.</summary>
    public T[] Run<T>(Func<MpcSession, T> program)
    {
        lock (_gate)
        {
            if (_failed) throw new SmpcException("This cluster stopped after a party failed; start a new one.");
            var results = new T[3];
            RunOnPartyThreads(p => results[p] = program(_sessions[p]));
            return results;
        }
    }

    /// <summary>Runs a program that returns nothing.</summary>
    public void Run(Action<MpcSession> program) => Run<bool>(s => { program(s); return true; });

    /// <summary>Sum of the three parties' traffic.</summary>
    public Transport.TrafficSnapshot[] Traffic() => _sessions.Select(s => s.Traffic).ToArray();

    void RunOnPartyThreads(Action<int> body)
    {
        var errors = new Exception?[3];
        var threads = new Thread[3];
        for (int p = 0; p < 3; p++)
        {
            int party = p;
            threads[p] = new Thread(() =>
            {
                try { body(party); }
                catch (Exception e)
                {
                    errors[party] = e;
                    _failed = true;
                    _network.Abort();
                }
            }, maxStackSize: 4 << 20) { IsBackground = true, Name = $"smpc-party-{party}" };
            threads[p].Start();
        }
        foreach (var t in threads) t.Join();
        var first = errors.FirstOrDefault(e => e is not null and not PeerFailureException) ?? errors.FirstOrDefault(e => e is not null);
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
    }

    public void Dispose() => _network.Dispose();
}
