using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Tests.Transport;

/// <summary>The framing layer under TLS, fed hand-made bytes over a real loopback socket.</summary>
public sealed class FramingTests
{
    /// <summary>A channel (this side, party 0 talking to party 1) and the raw socket stream of the other side.</summary>
    static (TlsChannel Channel, NetworkStream Raw, IDisposable Cleanup) Pair(int maxFrameBytes = 1 << 20)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        client.Connect((IPEndPoint)listener.LocalEndpoint);
        var server = listener.AcceptTcpClient();
        listener.Stop();
        var options = new FramedLinkOptions { MaxFrameBytes = maxFrameBytes, ReceiveTimeout = TimeSpan.FromSeconds(20), CloseTimeout = TimeSpan.FromSeconds(1) };
        var channel = TlsChannel.Over(0, 1, server.GetStream(), options, server);
        return (channel, client.GetStream(), client);
    }

    static byte[] Frame(byte type, int length, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = type;
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1), length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    [Fact]
    public void Messages_round_trip_in_order_and_are_metered()
    {
        var (channel, raw, cleanup) = Pair();
        using (cleanup) using (channel)
        {
            raw.Write(Frame(0, 3, [1, 2, 3]));
            raw.Write(Frame(0, 0, []));
            raw.Write(Frame(0, 2, [9, 8]));
            Assert.Equal([1, 2, 3], channel.Receive());
            Assert.Empty(channel.Receive());
            var two = new byte[2];
            channel.Receive(two);
            Assert.Equal([9, 8], two);
            channel.Send([7, 7, 7, 7]);
            var back = new byte[9];
            raw.ReadExactly(back);
            Assert.Equal(Frame(0, 4, [7, 7, 7, 7]), back);
            Assert.Equal((4L, 5L), (channel.Meter.BytesSent, channel.Meter.BytesReceived));
        }
    }

    [Fact]
    public void An_oversized_frame_is_refused_naming_the_party()
    {
        var (channel, raw, cleanup) = Pair(maxFrameBytes: 1024);
        using (cleanup) using (channel)
        {
            raw.Write(Frame(0, 1 << 30, []));
            var e = Assert.Throws<PeerFailureException>(() => channel.Receive());
            Assert.Equal(1, e.Peer);
            Assert.Contains("Party 1 sent a frame of 1,073,741,824 bytes, more than the limit of 1,024", e.Message);
        }
    }

    [Fact]
    public void Garbage_is_refused_naming_the_party()
    {
        var (channel, raw, cleanup) = Pair();
        using (cleanup) using (channel)
        {
            raw.Write("GET / HTTP/1.1\r\n\r\n"u8);
            var e = Assert.Throws<PeerFailureException>(() => channel.Receive());
            Assert.Contains("Party 1 sent a frame of unknown type 0x47", e.Message);
        }
    }

    [Fact]
    public void A_message_cut_short_by_a_closed_connection_is_reported()
    {
        var (channel, raw, cleanup) = Pair();
        using (channel)
        {
            raw.Write(Frame(0, 100, new byte[10]));
            cleanup.Dispose();
            var e = Assert.Throws<PeerFailureException>(() => channel.Receive());
            Assert.Contains("Party 1 closed the connection in the middle of a message (10 of 100 bytes)", e.Message);
        }
    }

    [Fact]
    public void A_wrong_length_is_a_desync_error_not_a_silent_misread()
    {
        var (channel, raw, cleanup) = Pair();
        using (cleanup) using (channel)
        {
            raw.Write(Frame(0, 8, new byte[8]));
            var e = Assert.Throws<PeerFailureException>(() => channel.ReceiveWords(2));
            Assert.Contains("expected a message of 16 bytes, got 8", e.Message);
        }
    }

    [Fact]
    public void Send_does_not_block_when_the_peer_never_reads()
    {
        var (channel, raw, cleanup) = Pair();
        using (cleanup) using (channel)
        {
            var big = new byte[16 << 20];
            for (int i = 0; i < 8; i++) channel.Send(big);   // 128 MiB queued; the peer reads nothing
            Assert.Equal(8L * big.Length, channel.Meter.BytesSent);
            _ = raw;
        }
    }
}
