using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Session;

/// <summary>
/// The embedded default: three compute parties in this process, each on its own thread, linked by
/// an <see cref="InMemoryNetwork"/>. <see cref="Run{T}"/> executes the same party program at all three
/// (SPMD), exactly as three processes would over TLS.
/// </summary>
/// <remarks>
/// The three party threads live as long as the cluster and wait between programs, so a call costs a wake-up
/// (microseconds) rather than three thread starts; layers that issue thousands of small operations depend on it.
/// Dispose the cluster to end them (a cluster that is only garbage-collected ends them from its finalizer).
/// </remarks>
public sealed class LocalCluster : IDisposable
{
    readonly IDisposable _network;
    readonly MpcSession[] _sessions;
    readonly PartyThreads _threads;
    readonly Lock _gate = new();   // one program at a time: parties must see operations in the same order

    public LocalCluster(MpcOptions? options = null)
    {
        options ??= MpcOptions.Default;
        var network = new InMemoryNetwork(options.ReceiveTimeout);
        _network = network;
        InMemory = true;
        _threads = new PartyThreads(network.Abort);
        var sessions = new MpcSession[3];
        try
        {
            _threads.Run(p => sessions[p] = MpcSession.Establish(p, network.Channel(p, (p + 1) % 3), network.Channel(p, (p + 2) % 3), options));
        }
        catch
        {
            Dispose();
            throw;
        }
        _sessions = sessions;
    }

    /// <summary>
    /// Three parties in this process over links made elsewhere — e.g. three <see cref="TlsNetwork"/>s on loopback, with
    /// an emulated wide-area link in front of each (<see cref="LinkRelay"/>): the same protocol code, real sockets.
    /// <paramref name="links"/>(p) returns party p's links to p + 1 and p − 1; it runs on party p's thread.
    /// <paramref name="abort"/> closes every link (after a party failed); <paramref name="owner"/> is disposed with the cluster.
    /// </summary>
    public LocalCluster(Func<int, (IChannel Next, IChannel Prev)> links, Action abort, IDisposable owner, MpcOptions? options = null)
    {
        options ??= MpcOptions.Default;
        _network = owner;
        _threads = new PartyThreads(abort);
        var sessions = new MpcSession[3];
        try
        {
            _threads.Run(p => { var (next, prev) = links(p); sessions[p] = MpcSession.Establish(p, next, prev, options); });
        }
        catch
        {
            Dispose();
            throw;
        }
        _sessions = sessions;
    }

    ~LocalCluster() => _threads?.Dispose();

    public MpcOptions Options => _sessions[0].Options;

    /// <summary>Whether the three parties talk through memory in this process (not over sockets).</summary>
    public bool InMemory { get; }

    /// <summary>The session of party <paramref name="partyId"/> (for meters and inspection).</summary>
    public MpcSession Session(int partyId) => (uint)partyId <= 2 ? _sessions[partyId] : throw Errors.PartyId(partyId);

    /// <summary>Attaches a recorder to every link (transcript tests).</summary>
    public void Record(ITranscriptRecorder recorder)
    {
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                if (a != b) ((Channel)(_network as InMemoryNetwork ?? throw new NotSupportedException("Transcripts are recorded on in-memory links; this cluster runs over other links.")).Channel(a, b)).Recorder = recorder;
    }

    /// <summary>Runs <paramref name="program"/> at all three parties concurrently and returns their results,
    /// indexed by party id. If one party throws, the links are closed so the others stop too, and the
    /// first party's own error (not the follow-on "peer closed" errors) is rethrown.</summary>
    public T[] Run<T>(Func<MpcSession, T> program)
    {
        lock (_gate)
        {
            if (_threads.Failed) throw new SmpcException("This cluster stopped after a party failed; start a new one.");
            var results = new T[3];
            _threads.Run(p => results[p] = program(_sessions[p]));
            return results;
        }
    }

    /// <summary>Runs a program that returns nothing.</summary>
    public void Run(Action<MpcSession> program) => Run<bool>(s => { program(s); return true; });

    /// <summary>Sum of the three parties' traffic.</summary>
    public Transport.TrafficSnapshot[] Traffic() => _sessions.Select(s => s.Traffic).ToArray();

    public void Dispose()
    {
        _threads.Dispose();
        _network.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Three long-lived party threads that run one body at a time. They hold no reference to the cluster between
    /// programs, so an undisposed cluster can still be collected (its finalizer then stops them).
    /// </summary>
    sealed class PartyThreads : IDisposable
    {
        readonly Action _abort;
        readonly SemaphoreSlim[] _go = [new(0), new(0), new(0)];
        readonly Action<int>?[] _work = new Action<int>?[3];   // each party's pending body, taken exactly once
        readonly CountdownEvent _done = new(3);
        readonly Exception?[] _errors = new Exception?[3];
        readonly Lock _sync = new();   // orders starting a body against stopping the threads
        volatile bool _stopped;

        public PartyThreads(Action abort)
        {
            _abort = abort;
            for (int p = 0; p < 3; p++)
                new Thread(Work, maxStackSize: 4 << 20) { IsBackground = true, Name = $"smpc-party-{p}" }.Start(p);
        }

        /// <summary>Set once a party failed; the links are closed and the cluster cannot run again.</summary>
        public volatile bool Failed;

        /// <summary>Runs <paramref name="body"/> at the three parties and waits for all; if one party throws, the links are
        /// closed so the others stop too, and the first party's own error (not a follow-on "peer closed") is rethrown.</summary>
        public void Run(Action<int> body)
        {
            lock (_sync)
            {
                ObjectDisposedException.ThrowIf(_stopped, typeof(LocalCluster));
                Array.Clear(_errors);
                _done.Reset(3);
                for (int p = 0; p < 3; p++) _work[p] = body;
                foreach (var go in _go) go.Release();
            }
            _done.Wait();
            var first = _errors.FirstOrDefault(e => e is not null and not PeerFailureException) ?? _errors.FirstOrDefault(e => e is not null);
            if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }

        void Work(object? state)
        {
            int party = (int)state!;
            while (true)
            {
                _go[party].Wait();
                if (!RunPending(party) && _stopped) return;
            }
        }

        /// <summary>Runs the party's pending body, if any. A separate frame, so that no reference to the program (or the
        /// cluster it captures) stays on an idle thread's stack.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        bool RunPending(int party)
        {
            var body = Interlocked.Exchange(ref _work[party], null);   // taken exactly once
            if (body is null) return false;
            try { body(party); }
            catch (Exception e)
            {
                _errors[party] = e;
                Failed = true;
                _abort();
            }
            finally { _done.Signal(); }
            return true;
        }

        public void Dispose()
        {
            lock (_sync)
            {
                if (_stopped) return;
                _stopped = true;
                foreach (var go in _go) go.Release();
            }
        }
    }
}
