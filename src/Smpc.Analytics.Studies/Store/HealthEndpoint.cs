// A party service's health endpoint: a minimal HTTP/1.1 responder on loopback (or the given addresses) answering
// every GET with 200 and a JSON status: party, uptime, and per study its name, dataset count and upload port.
// No secrets, no dataset contents, no client certificates. Meant for an operator's monitoring, not the internet.
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Smpc.Analytics.Studies.Store;

/// <summary>Serves <c>GET /health</c> (any path) with the service's status as JSON.</summary>
public sealed class HealthEndpoint : IDisposable
{
    readonly List<TcpListener> _listeners = [];
    readonly Func<object> _status;
    readonly List<Thread> _threads = [];

    /// <param name="urls">e.g. <c>http://127.0.0.1:47200</c>; port 0 picks a free port (see <see cref="Ports"/>).</param>
    public HealthEndpoint(IEnumerable<string> urls, Func<object> status)
    {
        _status = status;
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http")
                throw new StoreException($"--health-urls: '{url}' is not an http:// URL (e.g. http://127.0.0.1:47200).");
            var address = uri.Host is "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip
                : throw new StoreException($"--health-urls: '{url}' must name an IP address or localhost.");
            var listener = new TcpListener(address, uri.Port);
            try { listener.Start(); }
            catch (SocketException e) { throw new StoreException($"--health-urls: cannot listen on {url} ({e.SocketErrorCode}).", e); }
            _listeners.Add(listener);
            var thread = new Thread(() => Loop(listener)) { IsBackground = true, Name = "health" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    /// <summary>The ports listened on, in the order of the URLs.</summary>
    public IReadOnlyList<int> Ports => [.. _listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];

    void Loop(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try { client = listener.AcceptTcpClient(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            ThreadPool.QueueUserWorkItem(_ => Answer(client));
        }
    }

    void Answer(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                stream.ReadTimeout = 5000;
                var request = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
                var line = request.ReadLine() ?? "";
                while (!string.IsNullOrEmpty(request.ReadLine())) { }   // headers
                bool get = line.StartsWith("GET ", StringComparison.Ordinal);
                var body = get ? JsonSerializer.Serialize(_status()) : "{\"error\":\"only GET is served\"}";
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {(get ? "200 OK" : "405 Method Not Allowed")}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                stream.Write(Encoding.ASCII.GetBytes(head));
                stream.Write(bytes);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
        }
    }

    public void Dispose()
    {
        foreach (var l in _listeners) l.Stop();
        foreach (var t in _threads) t.Join(TimeSpan.FromSeconds(2));
    }
}
