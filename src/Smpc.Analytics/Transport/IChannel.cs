namespace Smpc.Analytics.Transport;

/// <summary>
/// An ordered, reliable, authenticated message link from this party to one peer.
/// Protocols see only this interface: the same code runs in one process or across hosts.
/// </summary>
public interface IChannel : IDisposable
{
    /// <summary>Party id of the peer at the other end.</summary>
    int Peer { get; }

    /// <summary>Bytes and messages that crossed this link.</summary>
    TrafficMeter Meter { get; }

    /// <summary>Queues one message; never blocks on the peer reading it (no send/send deadlock).</summary>
    void Send(ReadOnlySpan<byte> message);

    /// <summary>Blocks until the next message arrives and copies it into <paramref name="destination"/>,
    /// whose length must equal the message length.</summary>
    void Receive(Span<byte> destination);

    /// <summary>Blocks until the next message arrives and returns it whatever its length.</summary>
    byte[] Receive();
}
