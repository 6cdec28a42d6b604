// An emulated wide-area link: a TCP relay that adds a one-way delay and limits the rate, for tests and benchmarks.
//
// What: listens on a port (loopback unless given an address) and forwards every accepted connection to a target, in both directions. Each
// chunk read at time t is serialised onto the emulated wire after the previous one (rate B: a chunk of s bytes
// occupies the wire for 8s/B seconds) and delivered one-way delay d later:
//     leaves = max(t, previous leaves + previous size·8/B);  delivered = leaves + size·8/B + d.
// So a round trip costs at least 2d (the profile's RTT) and a large message at least its size over the rate, like a
// link of that latency and bandwidth with a deep enough buffer. This machine's kernel has no netem, hence our own.
// Not emulated: loss, jitter, reordering (TCP under it never reorders). Timing precision: the delivery thread sleeps
// to within a millisecond and spins the rest, so delays are never shorter than asked and rarely 0.1 ms longer.
// Security: none needed — it relays the TLS bytes it is given; it sees ciphertext only.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Smpc.Analytics.Transport;

/// <summary>Latency and bandwidth of an emulated link (round-trip time, bits per second in each direction).</summary>
public sealed record LinkProfile(string Name, TimeSpan RoundTrip, double BitsPerSecond)
{
    public static LinkProfile Lan { get; } = new("lan", TimeSpan.FromMilliseconds(1), 1e9);
    public static LinkProfile Wan20 { get; } = new("wan20", TimeSpan.FromMilliseconds(20), 1e9);
    public static LinkProfile Wan60 { get; } = new("wan60", TimeSpan.FromMilliseconds(60), 100e6);
    public static IReadOnlyList<LinkProfile> All { get; } = [Lan, Wan20, Wan60];

    public TimeSpan OneWay => RoundTrip / 2;

    /// <summary>A named profile (lan, wan20, wan60) or "RTTms/Mbit", e.g. "40/200".</summary>
    public static LinkProfile Parse(string text)
    {
        var named = All.FirstOrDefault(p => string.Equals(p.Name, text, StringComparison.OrdinalIgnoreCase));
        if (named is not null) return named;
        var parts = text.Split('/');
        if (parts.Length == 2 && double.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var rtt) && rtt >= 0
            && double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var mbit) && mbit > 0)
            return new LinkProfile(text, TimeSpan.FromMilliseconds(rtt), mbit * 1e6);
        throw new ArgumentException($"Unknown link profile '{text}': use {string.Join(", ", All.Select(p => p.Name))} or RTT-ms/Mbit (e.g. 40/200).");
    }

    public override string ToString() => $"{Name} ({RoundTrip.TotalMilliseconds:G4} ms RTT, {BitsPerSecond / 1e6:G4} Mbit/s)";
}

/// <summary>A TCP relay that delays and rate-limits what passes through (see the file header); on loopback unless
/// given a listening address (<c>smpc relay</c> puts one between hosts).</summary>
public sealed class LinkRelay : IDisposable
{
    readonly TcpListener _listener;
    readonly IPEndPoint _target;
    readonly Action<EndPoint?>? _accepted;
    readonly ConcurrentBag<Socket> _sockets = [];
    volatile bool _closed;

    /// <summary>A relay on a free loopback port (see <see cref="EndPoint"/>) to <paramref name="target"/>.</summary>
    public LinkRelay(IPEndPoint target, LinkProfile profile) : this(new IPEndPoint(IPAddress.Loopback, 0), target, profile) { }

    /// <summary>A relay listening on <paramref name="listen"/> (port 0: a free one) to <paramref name="target"/>;
    /// <paramref name="accepted"/> hears the remote address of each connection it accepts.</summary>
    /// <exception cref="SmpcException">The address cannot be listened on (in use, or not this host's).</exception>
    public LinkRelay(IPEndPoint listen, IPEndPoint target, LinkProfile profile, Action<EndPoint?>? accepted = null)
    {
        _target = target;
        _accepted = accepted;
        Profile = profile;
        _listener = new TcpListener(listen);
        try { _listener.Start(); }
        catch (SocketException e)
        {
            throw new SmpcException($"The relay to {target} cannot listen on {listen}: {e.SocketErrorCode} ({e.Message}).", e);
        }
        new Thread(Accept) { IsBackground = true, Name = $"relay-accept-{target.Port}" }.Start();
    }

    public LinkProfile Profile { get; }

    /// <summary>Where to connect to reach the target through the emulated link.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    void Accept()
    {
        while (!_closed)
        {
            Socket inbound;
            try { inbound = _listener.AcceptSocket(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            inbound.NoDelay = true;
            _sockets.Add(inbound);
            _accepted?.Invoke(inbound.RemoteEndPoint);
            new Thread(() => Open(inbound)) { IsBackground = true, Name = "relay-open" }.Start();
        }
    }

    /// <summary>Connects to the target — retrying while it is not listening yet (a party starting up), as a dialer
    /// would — then relays both directions.</summary>
    void Open(Socket inbound)
    {
        var deadline = DateTime.UtcNow + ConnectTimeout;
        while (!_closed)
        {
            var outbound = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                outbound.Connect(_target);
                _sockets.Add(outbound);
                Pump(inbound, outbound);
                Pump(outbound, inbound);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                outbound.Dispose();
                Thread.Sleep(50);
            }
            catch (SocketException)
            {
                outbound.Dispose();
                break;
            }
        }
        inbound.Close();
    }

    /// <summary>How long a new connection waits for the target to listen.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>One direction: a reader stamps chunks with their delivery time, a writer delivers them on time.</summary>
    void Pump(Socket from, Socket to)
    {
        var queue = new BlockingCollection<(byte[] Data, int Length, long Due)>();
        double ticksPerByte = 8.0 / Profile.BitsPerSecond * Stopwatch.Frequency;
        long oneWay = (long)(Profile.OneWay.TotalSeconds * Stopwatch.Frequency);
        new Thread(() =>
        {
            long wireFree = 0;
            try
            {
                while (true)
                {
                    var buffer = new byte[64 * 1024];
                    int n = from.Receive(buffer);
                    if (n == 0) break;
                    long now = Stopwatch.GetTimestamp();
                    long leaves = Math.Max(now, wireFree);
                    wireFree = leaves + (long)(n * ticksPerByte);
                    queue.Add((buffer, n, wireFree + oneWay));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
            finally { queue.CompleteAdding(); }
        }) { IsBackground = true, Name = "relay-read" }.Start();
        new Thread(() =>
        {
            try
            {
                foreach (var (data, length, due) in queue.GetConsumingEnumerable())
                {
                    WaitUntil(due);
                    int sent = 0;
                    while (sent < length) sent += to.Send(data, sent, length - sent, SocketFlags.None);
                }
                to.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }) { IsBackground = true, Name = "relay-write" }.Start();
    }

    static void WaitUntil(long due)
    {
        while (true)
        {
            long left = due - Stopwatch.GetTimestamp();
            if (left <= 0) return;
            double ms = left * 1000.0 / Stopwatch.Frequency;
            if (ms > 1.5) Thread.Sleep((int)(ms - 1));
            else Thread.SpinWait(200);
        }
    }

    public void Dispose()
    {
        _closed = true;
        _listener.Stop();
        foreach (var s in _sockets) { try { s.Close(); } catch (ObjectDisposedException) { } }
    }
}
