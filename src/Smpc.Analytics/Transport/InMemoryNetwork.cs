using System.Collections.Concurrent;

namespace Smpc.Analytics.Transport;

/// <summary>
/// Three parties in one process: a full mesh of in-memory links. The embedded default for
/// teaching, tests and notebooks over synthetic data. Messages are copied, so a party never
/// sees another party's buffers.
/// </summary>
public sealed class InMemoryNetwork : IDisposable
{
    readonly InMemoryChannel[,] _channels = new InMemoryChannel[3, 3];

    public InMemoryNetwork(TimeSpan? receiveTimeout = null)
    {
        var timeout = receiveTimeout ?? TimeSpan.FromMinutes(10);
        var queues = new Mailbox[3, 3];
        for (int from = 0; from < 3; from++)
            for (int to = 0; to < 3; to++)
                if (from != to) queues[from, to] = new Mailbox();
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                if (a != b) _channels[a, b] = new InMemoryChannel(a, b, outbox: queues[a, b], inbox: queues[b, a], timeout);
    }

    /// <summary>The link from <paramref name="self"/> to <paramref name="peer"/>.</summary>
    public IChannel Channel(int self, int peer) => _channels[self, peer];

    /// <summary>Closes every link, waking any party blocked in a receive (used when one party fails).</summary>
    public void Abort()
    {
        foreach (var c in _channels) c?.Dispose();
    }

    public void Dispose() => Abort();

    internal sealed class Mailbox
    {
        public readonly BlockingCollection<byte[]> Queue = new(new ConcurrentQueue<byte[]>());
    }
}

internal sealed class InMemoryChannel : Channel
{
    readonly InMemoryNetwork.Mailbox _outbox, _inbox;
    readonly TimeSpan _timeout;

    public InMemoryChannel(int self, int peer, InMemoryNetwork.Mailbox outbox, InMemoryNetwork.Mailbox inbox, TimeSpan timeout)
        : base(self, peer)
    {
        _outbox = outbox;
        _inbox = inbox;
        _timeout = timeout;
    }

    protected override void SendCore(ReadOnlySpan<byte> message)
    {
        var copy = GC.AllocateUninitializedArray<byte>(message.Length);   // overwritten at once: skip zeroing
        message.CopyTo(copy);
        try { _outbox.Queue.Add(copy); }
        catch (InvalidOperationException) { throw Errors.Closed(Peer); }
    }

    protected override byte[] ReceiveCore()
    {
        try
        {
            if (_inbox.Queue.TryTake(out var message, _timeout)) return message;
        }
        catch (InvalidOperationException) { throw Errors.Closed(Peer); }
        if (_inbox.Queue.IsCompleted) throw Errors.Closed(Peer);
        throw Errors.Silent(Peer, _timeout);
    }

    public override void Dispose()
    {
        _outbox.Queue.CompleteAdding();
        _inbox.Queue.CompleteAdding();
    }
}
