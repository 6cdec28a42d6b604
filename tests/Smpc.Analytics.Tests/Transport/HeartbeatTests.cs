using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Tests.Transport;

/// <summary>Liveness of framed links: idle links stay up on heartbeats; a peer that goes silent without closing
/// (a frozen process, a dead host) is reported by name after the silence timeout, even while this side only waits.</summary>
public sealed class HeartbeatTests
{
    static readonly FramedLinkOptions Quick = new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(200), SilenceTimeout = TimeSpan.FromSeconds(1.5),
        ReceiveTimeout = TimeSpan.FromSeconds(60), CloseTimeout = TimeSpan.FromSeconds(1),
    };

    static (TcpClient A, TcpClient B) Pair()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var a = new TcpClient();
        a.Connect((IPEndPoint)listener.LocalEndpoint);
        var b = listener.AcceptTcpClient();
        listener.Stop();
        return (a, b);
    }

    [Fact]
    public void An_idle_link_stays_open_on_heartbeats_and_still_carries_messages()
    {
        var (a, b) = Pair();
        using var left = TlsChannel.Over(0, 1, a.GetStream(), Quick, a);
        using var right = TlsChannel.Over(1, 0, b.GetStream(), Quick, b);
        Thread.Sleep(TimeSpan.FromSeconds(4));   // well past the 1.5 s silence timeout, with nothing but heartbeats
        Assert.True(left.IsOpen && right.IsOpen);
        left.Send([1, 2, 3]);
        Assert.Equal([1, 2, 3], right.Receive());
        Assert.Equal(3, right.Meter.BytesReceived);   // heartbeats are not protocol traffic
    }

    [Fact]
    public void A_peer_that_falls_silent_without_closing_is_reported_by_name()
    {
        var (a, silent) = Pair();   // the peer's socket stays open but never sends a byte
        try
        {
            using var link = TlsChannel.Over(0, 2, a.GetStream(), Quick, a);
            var clock = Stopwatch.StartNew();
            var e = Assert.Throws<PeerFailureException>(() => link.Receive());
            Assert.Equal(2, e.Peer);
            Assert.Contains("Party 2 sent nothing, not even a heartbeat, for 2 s", e.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"noticed only after {clock.Elapsed} (the receive timeout is 60 s)");
            Assert.False(link.IsOpen);
        }
        finally { silent.Dispose(); }
    }
}
