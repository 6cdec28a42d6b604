using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>Explanations on the embedded default and on a study on the engine directly: the party services answer an
/// explain request with nothing opened (their reveal logs and traffic show only the request's agreement), and a study on
/// the secure engine explains in this process, on its measured in-process links.</summary>
public sealed class ExplainTests
{
    [Fact]
    public void At_the_party_services_an_explanation_opens_nothing_and_its_rounds_are_those_of_the_run()
    {
        using var study = SecureStudy.OpenDemo(size: 800, seed: 11, name: "explain");
        var join = study.Join("veterans", "bank", "vb");
        var request = new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Mean], Columns = ["monthly_benefit"], GroupBy = ["service_era"] };
        int reveals = study.Engine.Reveals.Count;
        var before = study.Engine.Traffic.Select(t => t.BytesSent).ToArray();
        var x = study.Explain(request);
        Assert.Equal(reveals, study.Engine.Reveals.Count);
        var after = study.Engine.Traffic.Select(t => t.BytesSent).ToArray();
        for (int p = 0; p < 3; p++) Assert.True(after[p] - before[p] < 1024, $"party {p} sent {after[p] - before[p]} bytes for an explanation");
        Assert.Equal("loopback", x.Link.Kind);
        var release = study.Aggregate(request);
        Assert.Equal(release.Cost.Rounds, x.Rounds);
        Assert.True(Math.Abs(x.Bytes - release.Cost.Bytes) <= 0.1 * release.Cost.Bytes, $"{x.Bytes:N0} estimated, {release.Cost.Bytes:N0} run");

        // A query on the join's result uses the join's released (rounded) size, never the exact one.
        var onJoin = study.Explain(new AggregateRequest { Dataset = "vb", GroupBy = ["service_era"] });
        Assert.Equal(join.JoinedRows, (int)onJoin.Rows);
        // A statistic the terms forbid on one of the joined datasets.
        var forbidden = study.Explain(new AggregateRequest { Dataset = "vb", Statistics = [StatisticKind.Median], Columns = ["balance"] });
        Assert.True(forbidden.Refused);
        Assert.Equal("AllowedOperations", forbidden.Rule);
    }

    [Fact]
    public void On_the_secure_engine_the_study_explains_in_this_process_and_matches_the_run()
    {
        using var study = SecureStudy.OpenDemo(size: 800, seed: 12, name: "direct", engine: new SecureEngine());
        var request = new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Median], Columns = ["monthly_benefit"] };
        var x = study.Explain(request);
        Assert.Equal("loopback", x.Link.Kind);
        Assert.False(x.Refused, x.Refusal);
        Assert.Empty(study.History);
        var release = study.Aggregate(request);
        Assert.True(Math.Abs(x.Rounds - release.Cost.Rounds) <= 1, $"{x.Rounds} estimated, {release.Cost.Rounds} run");   // the engine's release is not opened among parties
    }
}
