using System.Net;
using System.Net.Sockets;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Tests.Transport;

/// <summary>A study generated into a temporary folder with free loopback ports, and helpers to run three parties on threads.</summary>
internal sealed class TlsTestStudy : IDisposable
{
    public TlsTestStudy(string name = "transport-test", IReadOnlyList<int>? ports = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "smpc-tls-" + Guid.NewGuid().ToString("N")[..12]);
        Config = StudyCertificates.Create(name, Directory, ports ?? FreePorts(3));
    }

    public string Directory { get; }
    public StudyConfig Config { get; }

    public StudyCredentials Credentials(StudyMember member) => StudyCredentials.Load(Config, member);

    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }

    /// <summary>Runs <paramref name="body"/> for parties 0..2 on their own threads; returns results or exceptions.</summary>
    public static (T?[] Results, Exception?[] Errors) OnThreads<T>(Func<int, T> body, int parties = 3)
    {
        var results = new T?[parties];
        var errors = new Exception?[parties];
        var threads = Enumerable.Range(0, parties).Select(p => new Thread(() =>
        {
            try { results[p] = body(p); }
            catch (Exception e) { errors[p] = e; }
        }) { IsBackground = true }).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads)
            Assert.True(t.Join(TimeSpan.FromMinutes(2)), "a party thread did not finish within two minutes");
        return (results, errors);
    }

    public static TlsNetworkOptions QuickOptions(int connectSeconds = 20) => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(connectSeconds),
        Link = new FramedLinkOptions { ReceiveTimeout = TimeSpan.FromSeconds(30), CloseTimeout = TimeSpan.FromSeconds(2) },
    };

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
