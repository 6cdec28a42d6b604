// A duplex byte stream between two ends in one process: what one end writes the other reads, in order. Used for the
// analyst's links to compute party services that run in the same process (the embedded default): the same framing,
// heartbeats and failure reporting (FramedLink) as over TLS, without a socket. Disposing one end ends the other's reads
// (they return 0, as a closed socket does) and fails its writes.
// Leakage: none (memory of one process).
namespace Smpc.Analytics.Transport;

internal sealed class InProcessStream : Stream
{
    readonly Pipe _incoming, _outgoing;

    InProcessStream(Pipe incoming, Pipe outgoing) => (_incoming, _outgoing) = (incoming, outgoing);

    /// <summary>Two connected ends.</summary>
    public static (InProcessStream A, InProcessStream B) Pair()
    {
        Pipe ab = new(), ba = new();
        return (new InProcessStream(ba, ab), new InProcessStream(ab, ba));
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override int Read(byte[] buffer, int offset, int count) => _incoming.Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer) => _incoming.Read(buffer);
    public override void Write(byte[] buffer, int offset, int count) => _outgoing.Write(buffer.AsSpan(offset, count));
    public override void Write(ReadOnlySpan<byte> buffer) => _outgoing.Write(buffer);

    /// <summary>Ends this side's writing (as a TCP half-close): the other end reads what was written, then 0.</summary>
    public void ShutdownSend() => _outgoing.Close();

    protected override void Dispose(bool disposing)
    {
        _outgoing.Close();
        _incoming.Close();
        base.Dispose(disposing);
    }

    /// <summary>One direction: chunks written, read in order; closed by either end.</summary>
    sealed class Pipe
    {
        readonly Queue<byte[]> _chunks = new();
        readonly object _gate = new();
        int _offset;
        bool _closed;

        public void Write(ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty) return;
            var copy = data.ToArray();
            lock (_gate)
            {
                if (_closed) throw new IOException("The other end of the in-process link is closed.");
                _chunks.Enqueue(copy);
                Monitor.PulseAll(_gate);
            }
        }

        public int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty) return 0;
            lock (_gate)
            {
                while (_chunks.Count == 0 && !_closed) Monitor.Wait(_gate);
                int n = 0;
                while (n < buffer.Length && _chunks.Count > 0)
                {
                    var head = _chunks.Peek();
                    int take = Math.Min(buffer.Length - n, head.Length - _offset);
                    head.AsSpan(_offset, take).CopyTo(buffer[n..]);
                    n += take;
                    _offset += take;
                    if (_offset == head.Length)
                    {
                        _chunks.Dequeue();
                        _offset = 0;
                    }
                }
                return n;   // 0 only when closed and drained
            }
        }

        public void Close()
        {
            lock (_gate)
            {
                _closed = true;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
