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
        Assert.Equal("in-process", x.Link.Kind);
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
        Assert.Equal("in-process", x.Link.Kind);
        Assert.False(x.Refused, x.Refusal);
        Assert.Empty(study.History);
        var release = study.Aggregate(request);
        Assert.True(Math.Abs(x.Rounds - release.Cost.Rounds) <= 1, $"{x.Rounds} estimated, {release.Cost.Rounds} run");   // the engine's release is not opened among parties
    }
}

/// <summary>Progress of long operations (issue 16.4): the parties report a join's passes, an ordering's levels and a
/// regression's pivots while they run, and the analyst's study passes them on; every line is a stage with public numbers
/// only (pass names, level and pivot numbers, the inputs' released sizes), never a data-dependent count.</summary>
public sealed class ProgressTests
{
    static readonly string[] Allowed =
    [
        @"^linking [\w ⋈]+: shuffling [\d,]+( and [\d,]+)* rows$",
        @"^linkage pass '[\w-]+' \(\d+ of \d+\): opening pseudonyms to the parties and matching$",
        @"^ordering: level \d+$",
        @"^solving the normal equations: pivot \d+ of \d+$",
    ];

    [Fact]
    public void The_parties_report_stages_of_joins_orderings_and_regressions_as_they_run()
    {
        using var study = SecureStudy.OpenDemo(size: 800, seed: 13, name: "progress");
        var lines = new List<string>();
        study.Progress = line => { lock (lines) lines.Add(line); };
        study.Join("veterans", "bank", "vb");
        study.Median("veterans", "monthly_benefit");
        study.Ols("vb", "balance", "monthly_benefit", "age");
        study.Progress = null;
        Assert.Contains(lines, l => l.StartsWith("linkage pass 'ssn' (1 of 2)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("linkage pass 'name-dob' (2 of 2)", StringComparison.Ordinal));
        Assert.Contains("linking veterans ⋈ bank: shuffling 640 and 800 rows", lines);       // the contributed sizes
        Assert.Contains("ordering: level 1", lines);
        Assert.Contains("solving the normal equations: pivot 3 of 3", lines);
        Assert.All(lines, l => Assert.True(Allowed.Any(p => System.Text.RegularExpressions.Regex.IsMatch(l, p)), $"unexpected progress line: {l}"));
    }

    [Fact]
    public void On_the_engine_in_this_process_the_same_stages_reach_the_study()
    {
        using var study = SecureStudy.OpenDemo(size: 800, seed: 13, name: "progress-direct", engine: new SecureEngine());
        var lines = new List<string>();
        study.Progress = lines.Add;
        study.Median("veterans", "monthly_benefit");
        Assert.Contains("ordering: level 1", lines);
    }
}
