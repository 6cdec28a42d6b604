using System.Collections.Concurrent;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Tests.Security;

/// <summary>Keeps a copy of every message any party sent or received, for leakage tests.</summary>
public sealed class TranscriptRecorder : ITranscriptRecorder
{
    public readonly ConcurrentQueue<(int Self, int Peer, bool Sent, byte[] Bytes)> Messages = new();

    public void Record(int self, int peer, bool sent, ReadOnlySpan<byte> message) => Messages.Enqueue((self, peer, sent, message.ToArray()));

    public long TotalBytes => Messages.Sum(m => (long)m.Bytes.Length);

    /// <summary>Whether the 8-byte little-endian encoding of <paramref name="value"/> occurs at any byte offset of any message.</summary>
    public bool Contains(ulong value)
    {
        Span<byte> pattern = stackalloc byte[8];
        BitConverter.TryWriteBytes(pattern, value);
        foreach (var m in Messages)
            if (m.Bytes.AsSpan().IndexOf(pattern) >= 0) return true;
        return false;
    }
}
