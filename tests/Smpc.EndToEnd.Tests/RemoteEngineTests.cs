using Smpc.Analytics;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.EndToEnd.Tests;

/// <summary>RemoteEngine beyond the conformance suite: it really runs in the party processes, and failures are clear.</summary>
[Collection("processes")]
public sealed class RemoteEngineTests(RemotePartiesFixture parties) : IClassFixture<RemotePartiesFixture>
{
    [Fact]
    public void Operations_run_in_the_party_processes_and_traffic_matches_the_in_process_engine()
    {
        var rng = new Random(5);
        var a = Enumerable.Range(0, 1000).Select(_ => (ulong)rng.Next(-500, 500)).ToArray();
        var b = Enumerable.Range(0, 1000).Select(_ => (ulong)rng.Next(-500, 500)).ToArray();
        using var remote = parties.Connect();
        using var local = new SecureEngine();
        var localStart = local.Traffic;   // after the session's key exchange
        Assert.Contains("party processes over TLS", remote.Name);
        foreach (IComputeEngine engine in new IComputeEngine[] { remote, local })
        {
            var x = engine.Share(a); var y = engine.Share(b);
            Assert.Equal(a.Zip(b, (u, v) => u * v).Aggregate(0UL, (s, t) => s + t), engine.Reveal(engine.Dot([(x, y)]))[0]);
            Assert.Equal(a.Zip(b, (u, v) => (long)u < (long)v), engine.Reveal(engine.LessThan(x, y)));
        }
        // The same protocols ran among the three processes: per-party bytes equal the in-process engine's.
        var remoteTraffic = remote.Traffic;
        var localTraffic = local.Traffic;
        for (int p = 0; p < 3; p++)
        {
            var job = localTraffic[p] - localStart[p];
            Assert.True(remoteTraffic[p].BytesSent > 0);
            Assert.Equal((job.BytesSent, job.BytesReceived, job.Rounds), (remoteTraffic[p].BytesSent, remoteTraffic[p].BytesReceived, remoteTraffic[p].Rounds));
        }
    }
}

/// <summary>A party process that dies while the analyst works: the analyst's error names it, nothing hangs.</summary>
[Collection("processes")]
public sealed class RemoteEngineFailureTests
{
    [Fact]
    public void A_killed_party_process_is_named_in_the_analysts_error()
    {
        using var parties = new RemotePartiesFixture();
        using var engine = parties.Connect();
        var x = engine.Share([1, 2, 3]);
        Assert.Equal([1UL, 4, 9], engine.Reveal(engine.Multiply(x, x)));
        parties.Kill(1);
        var e = Assert.ThrowsAny<SmpcException>(() => engine.Reveal(engine.Multiply(x, x)));
        Assert.Contains("Party 1", e.Message);
        var again = Assert.ThrowsAny<SmpcException>(() => engine.Sum(x));
        Assert.Contains("stopped after a failure", again.Message);
    }
}
