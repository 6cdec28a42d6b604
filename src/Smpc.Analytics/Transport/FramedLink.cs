// A framed, ordered, duplex message link over one byte stream (a TLS 1.3 stream in production).
//
// Wire format of one frame (RFC-style, all integers little-endian):
//   type   : 1 byte   0 = data, 1 = abort, 2 = heartbeat (empty)
//   length : 4 bytes  payload length, 0 ≤ length ≤ MaxFrameBytes
//   payload: length bytes
// A data frame carries one protocol message. An abort frame carries [failed party: 1 byte, 0xFF = unknown]
// [reason: UTF-8, ≤ 4 KiB]: a party that stops because another party failed tells its remaining peers
// which party failed, so every survivor's error names the party that actually went away.
// Liveness: a link that has sent nothing for HeartbeatInterval sends an empty heartbeat frame, and a link that has
// received no byte for SilenceTimeout fails ("sent nothing, not even a heartbeat"), so a peer whose process or host
// died without closing its connection is noticed within seconds, even in the middle of a long computation.
//
// Send never blocks on the peer reading: a background writer drains an unbounded queue (three parties
// sending to each other in a ring cannot deadlock). A background reader receives eagerly, so a closed or
// misbehaving peer is noticed even while this party computes. Leakage to a network observer: frame sizes
// and timing (see LEAKAGE.md, Transport); contents are encrypted and authenticated by TLS.
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Text;

namespace Smpc.Analytics.Transport;

/// <summary>Limits of a framed link.</summary>
public sealed record FramedLinkOptions
{
    /// <summary>Largest payload a peer may send in one frame (default 1 GiB); larger frames are refused as garbage.</summary>
    public int MaxFrameBytes { get; init; } = 1 << 30;

    /// <summary>How long a receive waits for the next message before the peer is reported as silent.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>An idle link sends an empty heartbeat frame this often; zero or infinite turns heartbeats and the silence check off.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A link that received no byte (not even a heartbeat) for this long reports its peer as gone.</summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How long closing waits for queued messages to be written and for the peer to close its side.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public static FramedLinkOptions Default { get; } = new();
}

internal sealed class FramedLink : IDisposable
{
    const byte DataFrame = 0, AbortFrame = 1, HeartbeatFrame = 2;
    const int HeaderSize = 5, MaxAbortReason = 4096;

    readonly Stream _stream;
    readonly IDisposable? _owner;   // the socket/client under the stream, closed last
    readonly FramedLinkOptions _options;
    readonly BlockingCollection<byte[]> _outbox = new(new ConcurrentQueue<byte[]>());
    readonly BlockingCollection<byte[]> _inbox = new(new ConcurrentQueue<byte[]>());
    readonly Thread _writer, _reader;
    readonly Timer? _heartbeat;
    long _lastReceived = Environment.TickCount64, _lastSent = Environment.TickCount64;
    PeerFailureException? _failure;   // first reason the link stopped (read side or write side)
    int _disposed;

    /// <param name="peer">Party id of the peer (0..2), or −1 for the analyst/coordinator.</param>
    /// <param name="peerName">How errors name the peer, e.g. "Party 2" or "The coordinator".</param>
    public FramedLink(Stream stream, int peer, string peerName, FramedLinkOptions? options = null, IDisposable? owner = null)
    {
        _stream = stream;
        _owner = owner;
        Peer = peer;
        PeerName = peerName;
        _options = options ?? FramedLinkOptions.Default;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = $"smpc-write-{peerName}" };
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"smpc-read-{peerName}" };
        _writer.Start();
        _reader.Start();
        var beat = _options.HeartbeatInterval;
        if (beat > TimeSpan.Zero && beat != Timeout.InfiniteTimeSpan)
            _heartbeat = new Timer(_ => Beat(), null, beat, beat);
    }

    /// <summary>Sends a heartbeat when nothing else went out lately; fails the link when the peer has been silent too long.</summary>
    void Beat()
    {
        if (Volatile.Read(ref _disposed) != 0 || _inbox.IsAddingCompleted) return;
        long now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastReceived) > (long)_options.SilenceTimeout.TotalMilliseconds)
        {
            Fail(new PeerFailureException(Peer, $"{PeerName} sent nothing, not even a heartbeat, for {_options.SilenceTimeout.TotalSeconds:0} s: its process or host stopped, or the network to it is down."));
            try { if (_owner is not null) _owner.Dispose(); else _stream.Dispose(); } catch (Exception) { }   // unblocks the reader and writer
            return;
        }
        if (now - Interlocked.Read(ref _lastSent) >= (long)_options.HeartbeatInterval.TotalMilliseconds)
            try { Enqueue(HeartbeatFrame, []); } catch (PeerFailureException) { }
    }

    public int Peer { get; }
    public string PeerName { get; }

    /// <summary>False once the link failed or closed (the peer left, broke the link or fell silent).</summary>
    public bool IsOpen => !_inbox.IsAddingCompleted;

    /// <summary>Why the link stopped (naming the peer), or null while it is open.</summary>
    public PeerFailureException? Stopped => IsOpen ? null : Failure();

    /// <summary>Queues one data message (copied) and returns at once.</summary>
    public void Send(ReadOnlySpan<byte> message) => Enqueue(DataFrame, message);

    /// <summary>Next data message; throws <see cref="PeerFailureException"/> if the peer closed, failed or fell silent.</summary>
    public byte[] Receive()
    {
        if (_inbox.TryTake(out var message, _options.ReceiveTimeout)) return message;
        if (_inbox.IsCompleted) throw Failure();
        throw new PeerFailureException(Peer, $"{PeerName} sent nothing for {_options.ReceiveTimeout.TotalSeconds:0} s; it may have stopped.");
    }

    /// <summary>Tells the peer that this party stops because <paramref name="failedParty"/> failed, then closes.</summary>
    public void Abort(int failedParty, string reason)
    {
        var text = Encoding.UTF8.GetBytes(reason);
        var payload = new byte[1 + Math.Min(text.Length, MaxAbortReason)];
        payload[0] = (uint)failedParty <= 2 ? (byte)failedParty : (byte)0xFF;
        text.AsSpan(0, payload.Length - 1).CopyTo(payload.AsSpan(1));
        try { Enqueue(AbortFrame, payload); } catch (PeerFailureException) { }
        Dispose();
    }

    void Enqueue(byte type, ReadOnlySpan<byte> payload)
    {
        var frame = GC.AllocateUninitializedArray<byte>(HeaderSize + payload.Length);
        frame[0] = type;
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame.AsSpan(HeaderSize));
        try { _outbox.Add(frame); }
        catch (InvalidOperationException) { throw Failure(); }
    }

    PeerFailureException Failure() =>
        Volatile.Read(ref _failure) ?? new PeerFailureException(Peer, $"The link to {Lower(PeerName)} is closed.");

    void Fail(PeerFailureException e)
    {
        Interlocked.CompareExchange(ref _failure, e, null);
        _inbox.CompleteAdding();
        _outbox.CompleteAdding();
    }

    PeerFailureException Closed(Exception? inner = null)
    {
        var msg = $"{PeerName} closed the connection.";
        return inner is null ? new PeerFailureException(Peer, msg) : new PeerFailureException(Peer, $"{PeerName} closed the connection ({inner.Message}).", inner);
    }

    void WriteLoop()
    {
        try
        {
            foreach (var frame in _outbox.GetConsumingEnumerable())
            {
                _stream.Write(frame);
                Interlocked.Exchange(ref _lastSent, Environment.TickCount64);
            }
            _stream.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException or InvalidOperationException)
        {
            if (Volatile.Read(ref _disposed) == 0) Fail(Closed(e));
        }
    }

    void ReadLoop()
    {
        var header = new byte[HeaderSize];
        try
        {
            while (true)
            {
                int got = ReadFully(header);
                if (got == 0) { Fail(Closed()); return; }
                if (got < HeaderSize) { Fail(Garbage($"the connection ended inside a frame header ({got} of {HeaderSize} bytes)")); return; }
                byte type = header[0];
                int length = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(1));
                if (type is not (DataFrame or AbortFrame or HeartbeatFrame)) { Fail(Garbage($"a frame of unknown type 0x{type:X2}")); return; }
                if (type == HeartbeatFrame)
                {
                    if (length != 0) { Fail(Garbage($"a heartbeat frame of {(uint)length:N0} bytes")); return; }
                    continue;
                }
                if (length < 0 || length > _options.MaxFrameBytes || (type == AbortFrame && length > MaxAbortReason + 1))
                {
                    Fail(Garbage($"a frame of {(uint)length:N0} bytes, more than the limit of {(type == AbortFrame ? MaxAbortReason + 1 : _options.MaxFrameBytes):N0}"));
                    return;
                }
                var payload = GC.AllocateUninitializedArray<byte>(length);
                int read = ReadFully(payload);
                if (read < length) { Fail(new PeerFailureException(Peer, $"{PeerName} closed the connection in the middle of a message ({read:N0} of {length:N0} bytes).")); return; }
                if (type == DataFrame) { _inbox.Add(payload); continue; }
                Fail(AbortReceived(payload));
                return;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            if (Volatile.Read(ref _disposed) != 0) { Fail(Failure()); return; }
            Fail(e.InnerException is System.Net.Sockets.SocketException || e is ObjectDisposedException
                ? Closed(e)
                : new PeerFailureException(Peer, $"{PeerName} broke the connection ({e.Message}); the link was closed.", e));
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; every chunk counts as a sign of life.</summary>
    int ReadFully(byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = _stream.Read(buffer, total, buffer.Length - total);
            if (n == 0) break;
            total += n;
            Interlocked.Exchange(ref _lastReceived, Environment.TickCount64);
        }
        return total;
    }

    PeerFailureException Garbage(string what, Exception? inner = null)
    {
        var msg = $"{PeerName} sent {what}; the link was closed.";
        return inner is null ? new PeerFailureException(Peer, msg) : new PeerFailureException(Peer, msg, inner);
    }

    PeerFailureException AbortReceived(byte[] payload)
    {
        int failed = payload.Length > 0 && payload[0] <= 2 ? payload[0] : -1;
        string reason = payload.Length > 1 ? Encoding.UTF8.GetString(payload, 1, payload.Length - 1) : "no reason given";
        return failed >= 0 && failed != Peer
            ? new PeerFailureException(failed, $"Party {failed} failed (reported by {Lower(PeerName)}): {reason}")
            : new PeerFailureException(Peer, $"{PeerName} stopped: {reason}");
    }

    static string Lower(string name) => name.Length > 0 ? char.ToLowerInvariant(name[0]) + name[1..] : name;

    /// <summary>Writes what is queued, closes this side (TLS close_notify), waits briefly for the peer to close, then releases the socket.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _heartbeat?.Dispose();
        _outbox.CompleteAdding();
        _writer.Join(_options.CloseTimeout);
        try
        {
            if (_stream is SslStream ssl) ssl.ShutdownAsync().Wait(_options.CloseTimeout);
            (_owner as System.Net.Sockets.TcpClient)?.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            (_stream as InProcessStream)?.ShutdownSend();
        }
        // Closing must not throw: a peer that already went away makes the TLS close_notify fail in several ways
        // (IOException, SocketException, and on Linux OpenSSL's own internal SslException type), none of which matters here.
        catch (Exception) { }
        _reader.Join(_options.CloseTimeout);   // lingering close: the peer reads what we sent before our socket goes away
        try { _stream.Dispose(); } catch (Exception) { }
        _owner?.Dispose();
        _reader.Join(_options.CloseTimeout);
        Interlocked.CompareExchange(ref _failure, new PeerFailureException(Peer, $"The link to {Lower(PeerName)} was closed by this party."), null);
        _inbox.CompleteAdding();
    }
}
