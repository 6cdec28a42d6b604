// One compute party's links to the other two over TCP + TLS 1.3 with mutual certificate authentication.
//
// Who dials whom is fixed: party i dials every party j < i and accepts every party j > i (so party 0 only
// accepts, party 2 only dials). Each party listens on its own endpoint from the study config; an accepted
// connection is identified by its certificate (it must chain to the study CA and name a party this party
// is waiting for). Dialing retries refused connections until the connect timeout, so the three processes
// may start in any order. A certificate problem is never retried: it is reported with the reason, at once on both
// sides (TlsConnector's refusal hello; the listener reports each refusal through TlsNetworkOptions.Refused, and gives
// up at once on an expected party whose genuine certificate it refused, e.g. expired or revoked). A party that dials
// again before the mesh is complete replaces its earlier, pending connection (it restarted in the meantime).
// After the mesh is up the listener can keep accepting the analyst's (coordinator's) connections.
// Leakage to a network observer: endpoints, TLS handshake metadata, message sizes and timing (LEAKAGE.md).
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Smpc.Analytics.Session;

namespace Smpc.Analytics.Transport;

/// <summary>Timeouts and limits of a TLS network.</summary>
public sealed record TlsNetworkOptions
{
    /// <summary>How long to wait for the other parties to be up and connected.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one TLS handshake (plus hello) may take.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between connection attempts while a peer is not listening yet.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Where to dial party j instead of its configured endpoint (null: the configuration's) — e.g. an emulated
    /// wide-area link in front of it (<see cref="LinkRelay"/>). The peer is still authenticated by its certificate.</summary>
    public Func<int, System.Net.IPEndPoint>? DialEndPoint { get; init; }

    /// <summary>Called at once with the reason whenever this party refuses a connection or a peer refuses this party's
    /// certificate (an expired, revoked or foreign certificate; a member not expected now), e.g. to log it.</summary>
    public Action<string>? Refused { get; init; }

    /// <summary>Framing limits and the receive timeout of each link.</summary>
    public FramedLinkOptions Link { get; init; } = FramedLinkOptions.Default;

    public static TlsNetworkOptions Default { get; } = new();
}

/// <summary>A compute party's two TLS links (for <see cref="MpcSession.Establish"/>) and its listener.</summary>
public sealed class TlsNetwork : IDisposable
{
    readonly StudyCredentials _credentials;
    readonly TlsNetworkOptions _options;
    readonly TcpListener _listener;
    readonly Thread _acceptLoop;
    readonly object _gate = new();
    readonly TlsPeer?[] _incoming = new TlsPeer?[3];     // accepted, not yet taken by ConnectPeers (guarded by _gate)
    readonly bool[] _taken = new bool[3];
    readonly string?[] _refusedParty = new string?[3];   // a peer party whose genuine certificate was refused (expired, revoked)
    readonly BlockingCollection<TlsPeer> _analysts = new();
    readonly ConcurrentQueue<string> _refusals = new();
    readonly TlsChannel?[] _channels = new TlsChannel?[3];
    volatile bool _acceptAnalysts, _closing;

    TlsNetwork(StudyCredentials credentials, TlsNetworkOptions options, TcpListener listener)
    {
        _credentials = credentials;
        _options = options;
        _listener = listener;
        _acceptLoop = new Thread(AcceptLoop) { IsBackground = true, Name = $"smpc-accept-{PartyId}" };
    }

    public int PartyId => _credentials.Self.PartyId;
    public TlsChannel Next => _channels[(PartyId + 1) % 3]!;
    public TlsChannel Prev => _channels[(PartyId + 2) % 3]!;

    /// <summary>
    /// False once a peer party's link has closed or failed (the peer stopped, restarted and must be met again, or fell
    /// silent: no heartbeat). The link's reader notices at once, even while no protocol message is due.
    /// </summary>
    public bool PeersConnected() => _channels.All(c => c is null || c.IsOpen);

    /// <summary>Why a peer party's link stopped (naming that party), or null while both are open.</summary>
    public PeerFailureException? PeerFailure() => _channels.Select(c => c?.Stopped).FirstOrDefault(f => f is not null);

    /// <summary>The port this party listens on (useful when the config asked for port 0 in tests).</summary>
    public int ListeningPort => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections this party refused so far, with the reason (foreign or unexpected certificates).</summary>
    public IReadOnlyList<string> Refusals => _refusals.ToArray();

    /// <summary>
    /// Listens on this party's endpoint, connects to the two other parties and returns when both links are
    /// authenticated. All three parties call this concurrently (in any order). With
    /// <paramref name="acceptAnalyst"/> the listener stays open for the analyst's connections (<c>--serve</c>).
    /// </summary>
    public static TlsNetwork Connect(StudyConfig config, StudyCredentials credentials, TlsNetworkOptions? options = null, bool acceptAnalyst = false)
    {
        if (credentials.Self.IsAnalyst) throw new SmpcException("The analyst does not join the compute parties' mesh; use RemoteEngine to connect to them.");
        if (credentials.Study != config.Study) throw new SmpcException($"The credentials are for study '{credentials.Study}', the config for '{config.Study}'.");
        options ??= TlsNetworkOptions.Default;
        int self = credentials.Self.PartyId;
        var endpoint = config.EndPoint(self);
        var listener = new TcpListener(endpoint);
        try { listener.Start(); }
        catch (SocketException e)
        {
            throw new SmpcException($"Party {self} cannot listen on {endpoint}: {e.SocketErrorCode} ({e.Message}). Is another process using the port?", e);
        }
        var network = new TlsNetwork(credentials, options, listener) { _acceptAnalysts = acceptAnalyst };
        try
        {
            network._acceptLoop.Start();
            network.ConnectPeers(config);
            if (!acceptAnalyst) network.StopListening();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    void ConnectPeers(StudyConfig config)
    {
        int self = PartyId;
        var deadline = DateTime.UtcNow + _options.ConnectTimeout;
        for (int j = 0; j < self; j++)
        {
            var peer = TlsConnector.Dial(_credentials, StudyMember.Party(j), _options.DialEndPoint?.Invoke(j) ?? config.EndPoint(j), deadline, _options.HandshakeTimeout, _options.RetryDelay);
            _channels[j] = new TlsChannel(self, j, new FramedLink(peer.Stream, j, $"Party {j}", _options.Link, peer.Client));
        }
        for (int j = self + 1; j < 3; j++)
        {
            var peer = TakeIncoming(j, deadline, config);
            _channels[j] = new TlsChannel(self, j, new FramedLink(peer.Stream, j, $"Party {j}", _options.Link, peer.Client));
        }
    }

    /// <summary>Waits for party <paramref name="j"/>'s connection; fails at once when its certificate was refused.</summary>
    TlsPeer TakeIncoming(int j, DateTime deadline, StudyConfig config)
    {
        lock (_gate)
        {
            while (true)
            {
                if (_refusedParty[j] is { } why)
                    throw new CertificateRefusedException($"Party {PartyId}: {why}.");
                if (_incoming[j] is { } peer)
                {
                    _incoming[j] = null;
                    _taken[j] = true;
                    return peer;
                }
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero)
                {
                    var refused = _refusals.IsEmpty ? "" : $" Refused meanwhile: {string.Join("; ", _refusals)}.";
                    throw new PeerFailureException(j, $"Party {PartyId}: party {j} did not connect to {config.EndPoint(PartyId)} within {_options.ConnectTimeout.TotalSeconds:0} s.{refused}");
                }
                Monitor.Wait(_gate, remaining);
            }
        }
    }

    void AcceptLoop()
    {
        while (!_closing)
        {
            TcpClient client;
            try { client = _listener.AcceptTcpClient(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => Admit(client));
        }
    }

    void Admit(TcpClient client)
    {
        var peer = TlsConnector.Accept(client, _credentials, _options.HandshakeTimeout, out var refusal, out var refusedMember, Admissible);
        if (peer is null)
        {
            Refuse(refusal!);
            if (refusedMember is { IsAnalyst: false, IsContributor: false } p && p.PartyId > PartyId)
                lock (_gate)
                {
                    _refusedParty[p.PartyId] ??= refusal;
                    Monitor.PulseAll(_gate);
                }
            return;
        }
        var m = peer.Member;
        if (m.IsAnalyst && _acceptAnalysts && !_closing)
        {
            try { _analysts.Add(peer); return; } catch (InvalidOperationException) { }
        }
        else if (!m.IsAnalyst && m.PartyId > PartyId)
        {
            TlsPeer? stale = null;
            lock (_gate)
            {
                if (!_taken[m.PartyId] && !_closing)
                {
                    // A party that dials again has given up on its earlier connection (e.g. it restarted): the newest wins.
                    stale = _incoming[m.PartyId];
                    _incoming[m.PartyId] = peer;
                    Monitor.PulseAll(_gate);
                    peer = null;
                }
            }
            if (stale is not null) { stale.Stream.Dispose(); stale.Client.Dispose(); }
            if (peer is null) return;
        }
        Refuse(m.IsAnalyst
            ? $"refused a connection from {peer.Remote}: the analyst may connect only to a party started with --serve"
            : $"refused a connection from {peer.Remote}: {m} {(m.PartyId < PartyId ? "must accept this party's connection, not dial it" : "is already connected")}");
        peer.Stream.Dispose();
        peer.Client.Dispose();
    }

    void Refuse(string refusal)
    {
        _refusals.Enqueue(refusal);
        try { _options.Refused?.Invoke(refusal); }
        catch (Exception) { }   // a logging callback must not stop the accept loop
    }

    /// <summary>Null if <paramref name="m"/> may connect to this party now, else why not (checked during the handshake).</summary>
    string? Admissible(StudyMember m)
    {
        if (m.IsContributor) return $"{m} is a contributor; contributors upload to the store service's port, not to the parties' mesh";
        if (m.IsAnalyst) return _acceptAnalysts && !_closing ? null : "the analyst may connect only to a party started with --serve";
        if (m.PartyId < PartyId) return $"{m} must accept this party's connection, not dial it";
        lock (_gate) return _taken[m.PartyId] ? $"{m} is already connected" : null;
    }

    /// <summary>Waits for the analyst (coordinator) to connect; null if none came within <paramref name="timeout"/>.</summary>
    internal FramedLink? AcceptAnalyst(TimeSpan timeout)
    {
        if (!_acceptAnalysts) throw new InvalidOperationException("This network was not started to accept the analyst.");
        if (!_analysts.TryTake(out var peer, timeout)) return null;
        return new FramedLink(peer.Stream, -1, "The analyst", _options.Link, peer.Client);
    }

    /// <summary>Waits for the analyst to connect to this party service; null if none came within <paramref name="timeout"/>.
    /// The link carries the analyst's account as its certificate names it (<see cref="AnalystLink.Account"/>).</summary>
    public AnalystLink? AcceptAnalystLink(TimeSpan timeout)
    {
        if (!_acceptAnalysts) throw new InvalidOperationException("This network was not started to accept the analyst.");
        if (!_analysts.TryTake(out var peer, timeout)) return null;
        try { return AnalystLink.Accepted(peer, _options.Link); }
        catch { peer.Stream.Dispose(); peer.Client.Dispose(); throw; }
    }

    void StopListening()
    {
        _closing = true;
        _listener.Stop();
        _analysts.CompleteAdding();
    }

    /// <summary>
    /// Stops this party because of <paramref name="cause"/>: tells every other still-connected party which party
    /// failed (so their errors name it too), then closes all links.
    /// </summary>
    public void Abort(Exception cause)
    {
        int failed = cause is PeerFailureException p ? p.Peer : PartyId;
        string reason = cause.Message;
        foreach (var channel in _channels)
        {
            if (channel is null) continue;
            if (channel.Peer == failed) channel.Dispose();
            else channel.Abort(failed, reason);
        }
        Dispose();
    }

    public void Dispose()
    {
        StopListening();
        _acceptLoop.Join(TimeSpan.FromSeconds(5));
        foreach (var channel in _channels) channel?.Dispose();
        TlsPeer?[] pending;
        lock (_gate)
        {
            pending = [.. _incoming];
            Array.Clear(_incoming);
            Monitor.PulseAll(_gate);
        }
        foreach (var p in pending)
            if (p is not null) { p.Stream.Dispose(); p.Client.Dispose(); }
        while (_analysts.TryTake(out var a)) { a.Stream.Dispose(); a.Client.Dispose(); }
    }
}
