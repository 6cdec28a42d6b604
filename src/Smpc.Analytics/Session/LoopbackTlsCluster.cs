using System.Net;
using System.Net.Sockets;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Session;

/// <summary>
/// Three parties in this process over real TLS 1.3 sockets on loopback, with mutual certificate authentication for a
/// study generated into a temporary folder — optionally with an emulated wide-area link (<see cref="LinkRelay"/>) on
/// every party-to-party connection. Returns a <see cref="LocalCluster"/>, so a <see cref="Engine.SecureEngine"/> runs
/// every layer above it unchanged: the benchmark's WAN profiles and the end-to-end tests use it.
/// </summary>
public static class LoopbackTlsCluster
{
    public static LocalCluster Start(LinkProfile? profile = null, MpcOptions? options = null)
    {
        // The ports are found free, released, then bound by the parties: in between, another process on this machine may
        // take one (e.g. as the source port of an outgoing connection). Then the cluster starts again on other ports.
        for (int attempt = 1; ; attempt++)
        {
            try { return StartOnce(profile, options); }
            catch (Exception e) when (attempt < 3 && PortTaken(e)) { }
        }
    }

    static bool PortTaken(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }) return true;
        return false;
    }

    static LocalCluster StartOnce(LinkProfile? profile, MpcOptions? options)
    {
        var directory = Path.Combine(Path.GetTempPath(), "smpc-loopback-" + Guid.NewGuid().ToString("N")[..12]);
        var owner = new Owner(directory);
        try
        {
            var config = StudyCertificates.Create("loopback", directory, FreePorts());
            if (profile is not null)
                for (int j = 0; j < 3; j++) owner.Relays[j] = new LinkRelay(config.EndPoint(j), profile);
            var tlsOptions = profile is null ? TlsNetworkOptions.Default
                : TlsNetworkOptions.Default with { DialEndPoint = j => owner.Relays[j]!.EndPoint };
            return new LocalCluster(p =>
            {
                owner.Credentials[p] = StudyCredentials.Load(config, StudyMember.Party(p));
                var network = TlsNetwork.Connect(config, owner.Credentials[p]!, tlsOptions);
                owner.Networks[p] = network;
                return (network.Next, network.Prev);
            }, owner.Abort, owner, options);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    static int[] FreePorts()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }

    sealed class Owner(string directory) : IDisposable
    {
        public readonly TlsNetwork?[] Networks = new TlsNetwork?[3];
        public readonly StudyCredentials?[] Credentials = new StudyCredentials?[3];
        public readonly LinkRelay?[] Relays = new LinkRelay?[3];

        public void Abort()
        {
            foreach (var n in Networks) n?.Abort(new SmpcException("Another party of this cluster failed."));
        }

        public void Dispose()
        {
            // Closing waits for the peer to close its side too: close all three at once, as three processes would.
            var closers = Networks.Where(n => n is not null).Select(n => new Thread(() => { try { n!.Dispose(); } catch (Exception) { } })).ToArray();
            foreach (var t in closers) t.Start();
            foreach (var t in closers) t.Join(TimeSpan.FromSeconds(10));
            foreach (var r in Relays) r?.Dispose();
            foreach (var c in Credentials) c?.Dispose();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
