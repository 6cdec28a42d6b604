using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Session;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Transport;
using Smpc.Analytics.Tests.Statistics;

namespace Smpc.Analytics.Tests.Transport;

/// <summary>The emulated wide-area link: never faster than its profile (a lower bound, which timing noise cannot break),
/// bytes through it unchanged, and three parties over TLS behind it giving the in-process engine's exact results.</summary>
public class LinkRelayTests
{
    /// <summary>An echo server on loopback; returns its endpoint.</summary>
    static IPEndPoint Echo(CancellationToken stop)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        new Thread(() =>
        {
            try
            {
                using var s = listener.AcceptSocket();
                var buffer = new byte[1 << 16];
                int n;
                while ((n = s.Receive(buffer)) > 0) s.Send(buffer, n, SocketFlags.None);
            }
            catch (SocketException) { }
            finally { listener.Stop(); }
        }) { IsBackground = true }.Start();
        stop.Register(listener.Stop);
        return (IPEndPoint)listener.LocalEndpoint;
    }

    [Theory]
    [InlineData("wan20")]
    [InlineData("lan")]
    public void A_round_trip_takes_at_least_the_profiles_round_trip_time(string name)
    {
        var profile = LinkProfile.Parse(name);
        using var stop = new CancellationTokenSource();
        using var relay = new LinkRelay(Echo(stop.Token), profile);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(relay.EndPoint);
        var ping = new byte[64];
        var pong = new byte[64];
        var times = new List<double>();
        for (int i = 0; i < 10; i++)
        {
            Random.Shared.NextBytes(ping);
            var clock = Stopwatch.StartNew();
            client.Send(ping);
            int got = 0;
            while (got < pong.Length) got += client.Receive(pong, got, pong.Length - got, SocketFlags.None);
            times.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(ping, pong);
        }
        // Both directions pass the relay once per round trip: a full RTT, never less.
        Assert.True(times.Min() >= profile.RoundTrip.TotalMilliseconds * 0.999, $"fastest round trip {times.Min():F3} ms < {profile.RoundTrip.TotalMilliseconds} ms");
    }

    [Fact]
    public void A_relay_listens_where_it_is_told_and_says_so_when_it_cannot()
    {
        using var stop = new CancellationTokenSource();
        var target = Echo(stop.Token);
        var seen = new List<EndPoint?>();
        using var relay = new LinkRelay(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0), target, LinkProfile.Lan, from => { lock (seen) seen.Add(from); });
        Assert.Equal(IPAddress.Parse("127.0.0.2"), relay.EndPoint.Address);
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            client.Connect(relay.EndPoint);
            client.Send([1, 2, 3]);
            var back = new byte[3];
            int got = 0;
            while (got < 3) got += client.Receive(back, got, 3 - got, SocketFlags.None);
            Assert.Equal([1, 2, 3], back);
            lock (seen) Assert.Equal(((IPEndPoint)client.LocalEndPoint!).Port, Assert.IsType<IPEndPoint>(Assert.Single(seen)).Port);
        }
        var busy = Assert.Throws<SmpcException>(() => new LinkRelay(relay.EndPoint, target, LinkProfile.Lan));
        Assert.Contains($"cannot listen on {relay.EndPoint}", busy.Message);
    }

    [Fact]
    public void A_megabyte_takes_at_least_its_size_over_the_rate()
    {
        var profile = new LinkProfile("test", TimeSpan.Zero, 100e6);     // 100 Mbit/s: 1 MiB ≥ 84 ms each way
        using var stop = new CancellationTokenSource();
        using var relay = new LinkRelay(Echo(stop.Token), profile);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(relay.EndPoint);
        var data = new byte[1 << 20];
        Random.Shared.NextBytes(data);
        var clock = Stopwatch.StartNew();
        var sender = new Thread(() => client.Send(data));
        sender.Start();
        var back = new byte[data.Length];
        int got = 0;
        while (got < back.Length) got += client.Receive(back, got, back.Length - got, SocketFlags.None);
        sender.Join();
        Assert.Equal(data, back);
        Assert.True(clock.Elapsed.TotalSeconds >= data.Length * 8 / profile.BitsPerSecond, $"1 MiB came back in {clock.Elapsed.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public void Three_parties_over_tls_behind_emulated_links_give_the_in_process_results_and_rounds()
    {
        var data = SurveyData.Generate(200, seed: 3);
        using var local = new SecureEngine();
        using var remote = new SecureEngine(LoopbackTlsCluster.Start(LinkProfile.Lan), ownsCluster: true);
        QueryResult Run(IComputeEngine e) => new SecureAnalysis(data.Share(e), SurveyData.Terms()).GroupBy("state").Aggregate(Measure.Count(), Measure.Mean("income"));
        var a = Run(local);
        var b = Run(remote);
        Assert.Equal(a.Cells!.Measures.Select(m => m.Values), b.Cells!.Measures.Select(m => m.Values));
        Assert.Equal(a.Rounds, b.Rounds);
        Assert.Equal(a.BytesSent, b.BytesSent);
    }
}
