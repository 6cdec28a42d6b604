using System.Runtime.InteropServices;

namespace Smpc.Analytics.Transport;

/// <summary>
/// Base of every channel: meters bytes in one place, so in-memory and TLS links count alike,
/// and offers an optional transcript recorder used by the leakage tests.
/// </summary>
public abstract class Channel : IChannel
{
    protected Channel(int self, int peer)
    {
        if ((uint)self > 2) throw Errors.PartyId(self, nameof(self));
        if ((uint)peer > 2 || peer == self) throw Errors.PartyId(peer, nameof(peer));
        Self = self;
        Peer = peer;
    }

    public int Self { get; }
    public int Peer { get; }
    public TrafficMeter Meter { get; } = new();

    /// <summary>When set, every message sent and received is handed to it (copying is the recorder's business).</summary>
    public ITranscriptRecorder? Recorder { get; set; }

    public void Send(ReadOnlySpan<byte> message)
    {
        Recorder?.Record(Self, Peer, sent: true, message);
        SendCore(message);
        Meter.AddSent(message.Length);
    }

    public void Receive(Span<byte> destination)
    {
        var message = ReceiveCore();
        if (message.Length != destination.Length) throw Errors.Desync(Peer, destination.Length, message.Length);
        message.CopyTo(destination);
        Account(message);
    }

    public byte[] Receive()
    {
        var message = ReceiveCore();
        Account(message);
        return message;
    }

    void Account(byte[] message)
    {
        Meter.AddReceived(message.Length);
        Recorder?.Record(Self, Peer, sent: false, message);
    }

    /// <summary>Copies or writes the message; must not block on the peer reading.</summary>
    protected abstract void SendCore(ReadOnlySpan<byte> message);

    /// <summary>Returns the next whole message or throws <see cref="PeerFailureException"/>.</summary>
    protected abstract byte[] ReceiveCore();

    public abstract void Dispose();
}

/// <summary>Receives a copy of every message a channel moves (for transcript and leakage tests).</summary>
public interface ITranscriptRecorder
{
    void Record(int self, int peer, bool sent, ReadOnlySpan<byte> message);
}

/// <summary>Typed helpers: ring elements travel as little-endian 64-bit words.</summary>
public static class ChannelExtensions
{
    public static void SendWords(this IChannel channel, ReadOnlySpan<ulong> words) =>
        channel.Send(MemoryMarshal.AsBytes(words));

    public static void ReceiveWords(this IChannel channel, Span<ulong> destination) =>
        channel.Receive(MemoryMarshal.AsBytes(destination));

    public static ulong[] ReceiveWords(this IChannel channel, int count)
    {
        var words = GC.AllocateUninitializedArray<ulong>(count);
        channel.ReceiveWords(words);
        return words;
    }
}
