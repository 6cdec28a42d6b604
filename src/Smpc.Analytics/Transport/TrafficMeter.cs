namespace Smpc.Analytics.Transport;

/// <summary>Counts what one party sent and received and how many communication rounds it ran.</summary>
/// <remarks>Thread-safe: a channel's background writer and the protocol thread may both update it.</remarks>
public sealed class TrafficMeter
{
    long _bytesSent, _bytesReceived, _messagesSent, _rounds;

    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);
    public long MessagesSent => Interlocked.Read(ref _messagesSent);
    public long Rounds => Interlocked.Read(ref _rounds);

    internal void AddSent(long bytes) { Interlocked.Add(ref _bytesSent, bytes); Interlocked.Increment(ref _messagesSent); }
    internal void AddReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);
    internal void AddRounds(long rounds) => Interlocked.Add(ref _rounds, rounds);

    public TrafficSnapshot Snapshot() => new(BytesSent, BytesReceived, MessagesSent, Rounds);
}

/// <summary>Meter readings at one moment; subtract two to get the cost of what ran between them.</summary>
public readonly record struct TrafficSnapshot(long BytesSent, long BytesReceived, long MessagesSent, long Rounds)
{
    public static TrafficSnapshot operator -(TrafficSnapshot a, TrafficSnapshot b) =>
        new(a.BytesSent - b.BytesSent, a.BytesReceived - b.BytesReceived, a.MessagesSent - b.MessagesSent, a.Rounds - b.Rounds);

    public static TrafficSnapshot operator +(TrafficSnapshot a, TrafficSnapshot b) =>
        new(a.BytesSent + b.BytesSent, a.BytesReceived + b.BytesReceived, a.MessagesSent + b.MessagesSent, a.Rounds + b.Rounds);

    public override string ToString() => $"{BytesSent:N0} B sent, {BytesReceived:N0} B received, {Rounds} rounds";
}
