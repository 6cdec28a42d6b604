using System.Runtime.CompilerServices;
using Smpc.Analytics.Protocols;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Session;

/// <summary>The embedded cluster: long-lived party threads, failure handling, and ending the threads.</summary>
public class LocalClusterTests
{
    [Fact]
    public void Every_program_runs_on_the_same_three_party_threads_and_gives_correct_results()
    {
        using var cluster = new LocalCluster();
        var x = ReplicatedSharing.Share([5UL, 7UL]);
        var first = cluster.Run(s => (s.PartyId, Thread.CurrentThread.ManagedThreadId));
        for (int i = 0; i < 200; i++)
        {
            var product = cluster.Run(s => Open.RevealToAll(s, Multiplication.Multiply(s, x[s.PartyId], x[s.PartyId])));
            Assert.All(product, p => Assert.Equal([25UL, 49UL], p));
        }
        var last = cluster.Run(s => (s.PartyId, Thread.CurrentThread.ManagedThreadId));
        Assert.Equal(first, last);
        Assert.Equal(3, first.Select(f => f.ManagedThreadId).Distinct().Count());
        Assert.Equal([0, 1, 2], first.Select(f => f.PartyId));
    }

    [Fact]
    public void A_party_error_is_rethrown_and_the_cluster_then_refuses_to_run()
    {
        using var cluster = new LocalCluster();
        var e = Assert.Throws<InvalidOperationException>(() => cluster.Run(s =>
        {
            if (s.PartyId == 1) throw new InvalidOperationException("party 1 broke");
            return s.Prev.Receive();   // the others wait for a message that never comes, until the links close
        }));
        Assert.Equal("party 1 broke", e.Message);
        var refused = Assert.Throws<SmpcException>(() => cluster.Run(s => s.PartyId));
        Assert.Contains("stopped after a party failed", refused.Message);
    }

    [Fact]
    public void Running_after_dispose_is_refused()
    {
        var cluster = new LocalCluster();
        cluster.Dispose();
        Assert.Throws<ObjectDisposedException>(() => cluster.Run(s => s.PartyId));
    }

    [Fact]
    public void The_party_threads_of_a_disposed_or_abandoned_cluster_end()
    {
        var disposed = new LocalCluster();
        var disposedThreads = disposed.Run(_ => Thread.CurrentThread);
        disposed.Dispose();
        var abandonedThreads = RunAndAbandon();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        foreach (var t in disposedThreads.Concat(abandonedThreads))
            Assert.True(t.Join(TimeSpan.FromSeconds(30)), $"{t.Name} is still running");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static Thread[] RunAndAbandon() => new LocalCluster().Run(_ => Thread.CurrentThread);
}
