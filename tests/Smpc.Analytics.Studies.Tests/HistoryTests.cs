namespace Smpc.Analytics.Studies.Tests;

/// <summary>The study records every join and release, in order, with what it cost and revealed.</summary>
public sealed class HistoryTests
{
    [Fact]
    public void Joins_and_releases_are_numbered_in_order_and_refusals_are_not_recorded()
    {
        using var study = SecureStudy.OpenDemo(size: 400, seed: 3, engine: new Engine.PlaintextEngine());
        var join = study.Join("veterans", "bank");
        Assert.Equal("veterans_bank", join.Dataset);
        var count = study.Count("veterans_bank", "service_era");
        Assert.ThrowsAny<SmpcException>(() => study.Median("veterans_bank", "balance"));
        var mean = study.Mean("veterans", "monthly_benefit");
        Assert.Equal([1, 2, 3], study.History.Select(e => e.Sequence));
        Assert.Same(join, study.Joins.Single());
        Assert.Equal([count, mean], study.Releases);
        Assert.All(study.History, e => Assert.NotEmpty(e.Cost.Reveals));
        Assert.Contains("veterans_bank", study.History[0].Summary);
        Assert.Contains("count by service_era", study.History[1].Summary);
    }

    [Fact]
    public void A_disposed_study_refuses_work()
    {
        var study = SecureStudy.OpenDemo(size: 400, seed: 3, engine: new Engine.PlaintextEngine());
        study.Dispose();
        Assert.Throws<ObjectDisposedException>(() => study.Count("veterans"));
    }
}
