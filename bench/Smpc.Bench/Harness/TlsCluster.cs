using System.Net;
using System.Net.Sockets;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Bench.Harness;

/// <summary>
/// Three parties on threads of this process, each with its own <see cref="TlsNetwork"/>: real TCP sockets on
/// 127.0.0.1 with TLS 1.3 and mutual certificate authentication, for a study generated into a temporary folder.
/// Protocol code, messages and meters are exactly those of <see cref="LocalCluster"/>; only the links differ.
/// </summary>
public sealed class TlsCluster : IBenchCluster
{
    readonly string _directory;
    readonly StudyCredentials[] _credentials = new StudyCredentials[3];
    readonly TlsNetwork[] _networks = new TlsNetwork[3];
    readonly MpcSession[] _sessions = new MpcSession[3];

    public TlsCluster()
    {
        _directory = Path.Combine(Path.GetTempPath(), "smpc-bench-tls-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var config = StudyCertificates.Create("bench", _directory, FreePorts());
            OnPartyThreads(p =>
            {
                _credentials[p] = StudyCredentials.Load(config, StudyMember.Party(p));
                _networks[p] = TlsNetwork.Connect(config, _credentials[p]);
                _sessions[p] = MpcSession.Establish(p, _networks[p].Next, _networks[p].Prev);
                return true;
            });
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public T[] Run<T>(Func<MpcSession, T> program) => OnPartyThreads(p => program(_sessions[p]));

    public IReadOnlyList<TrafficSnapshot> Traffic() => _sessions.Select(s => s.Traffic).ToArray();

    static T[] OnPartyThreads<T>(Func<int, T> body)
    {
        var results = new T[3];
        var errors = new Exception?[3];
        var threads = Enumerable.Range(0, 3).Select(p => new Thread(() =>
        {
            try { results[p] = body(p); }
            catch (Exception e) { errors[p] = e; }
        }, maxStackSize: 4 << 20) { IsBackground = true, Name = $"bench-tls-party-{p}" }).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        var first = errors.FirstOrDefault(e => e is not null and not Smpc.Analytics.PeerFailureException) ?? errors.FirstOrDefault(e => e is not null);
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        return results;
    }

    static int[] FreePorts()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }

    public void Dispose()
    {
        // Closing waits for the peer to close its side too: close all three at once, as three processes would.
        // A failure while closing (after the figures are taken) is reported, not allowed to end the process.
        var closers = _networks.Where(n => n is not null).Select(n => new Thread(() =>
        {
            try { n.Dispose(); }
            catch (Exception e) { Console.Error.WriteLine($"  closing party {n.PartyId}'s TLS links failed: {e.GetType().Name}: {e.Message}"); }
        }) { IsBackground = true }).ToArray();
        foreach (var t in closers) t.Start();
        foreach (var t in closers) t.Join();
        foreach (var c in _credentials) c?.Dispose();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
