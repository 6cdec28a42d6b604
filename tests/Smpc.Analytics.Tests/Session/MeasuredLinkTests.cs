using Smpc.Analytics.Engine;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Tests.Session;

/// <summary>The links as the parties measure them when they start (what an explanation's expected time rests on): the
/// three parties agree on one profile; in one process it says so, behind a relay adding 20 ms round trips it is a
/// WAN with at least the relay's one-way delay per protocol round. Only lower bounds on times are asserted (the relay
/// adds its delay for certain; how much more the machine adds is noise).</summary>
public sealed class MeasuredLinkTests
{
    [Fact]
    public void The_three_parties_measure_one_profile_and_parties_in_one_process_say_so()
    {
        using var cluster = new LocalCluster();
        Assert.True(cluster.InMemory);
        var profiles = cluster.Run(s => MeasuredLink.Measure(s, "in-process"));
        Assert.All(profiles, p => Assert.Equal(profiles[0], p));
        Assert.Equal("in-process", profiles[0].Kind);       // known, not classified: a loaded machine slows in-memory rounds
        Assert.True(profiles[0].BytesPerSecond > 0);
        var measured = cluster.Run(s => MeasuredLink.Measure(s));
        Assert.Equal(MeasuredLink.KindOf(measured[0].SecondsPerRound), measured[0].Kind);
    }

    [Fact]
    public void Behind_a_20_ms_relay_the_parties_measure_a_WAN_of_at_least_its_one_way_delay_per_round()
    {
        using var cluster = LoopbackTlsCluster.Start(LinkProfile.Wan20);
        var profile = cluster.Run(s => MeasuredLink.Measure(s))[0];
        Assert.Equal("WAN", profile.Kind);
        Assert.True(profile.SecondsPerRound >= LinkProfile.Wan20.OneWay.TotalSeconds * 0.95, profile.ToString());
        // The expected time of an operation grows with its rounds on this link: 100 rounds wait at least 1 s.
        Assert.True(profile.Expected(100, 0, TimeSpan.Zero) >= TimeSpan.FromSeconds(0.95));
        Assert.Equal(TimeSpan.FromSeconds(1), MeasuredLink.None.Expected(100, 1 << 20, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Primitive_costs_are_the_party_engine_s_own_counts()
    {
        // A multiply of n elements: one round, 8 bytes per element sent by each party (one reshare), as measured.
        var multiply = PrimitiveCosts.Of("multiply");
        Assert.Equal(1, multiply.Rounds);
        Assert.All(Enumerable.Range(0, 3), p => Assert.InRange(multiply.BytesOf(p, 1000), 8 * 1000, 8 * 1000 + 64));
        // A linear operation costs nothing and is never measured.
        Assert.Contains("add", PrimitiveCosts.Local);
        Assert.Throws<ArgumentException>(() => PrimitiveCosts.Of("no-such-primitive"));
    }
}
