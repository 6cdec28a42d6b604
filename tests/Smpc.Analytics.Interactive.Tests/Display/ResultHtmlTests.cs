using Microsoft.Data.Analysis;
using Smpc.Analytics.Interactive.Display;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Interactive.Tests.Display;

/// <summary>A release logged by registry-gated party services shows each party's "log entry #N" in its footer, linked to
/// the entry's inclusion proof at the registry; an address that is not http(s) is shown but not linked; a release
/// without entries shows none.</summary>
public sealed class ResultHtmlTests
{
    static Release Release(IReadOnlyList<LogEntryReference> log) => new()
    {
        Sequence = 1, At = DateTimeOffset.UtcNow, Cost = new OperationCost(10, 3, 100, TimeSpan.FromMilliseconds(5), []),
        Request = new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Count] }, Family = StatisticFamily.Table, Query = "count on 'veterans'",
        Table = new DataFrame(new DoubleDataFrameColumn("count", [12.0]), new StringDataFrameColumn("status", ["released"]), new StringDataFrameColumn("rule", [""])),
        KeyColumns = [], ValueColumns = ["count"], RulesApplied = [], LogEntries = log,
    };

    [Fact]
    public void The_footer_links_each_partys_log_entry()
    {
        var html = ResultHtml.Release(Release(
        [
            new(0, 41, "https://registry.example/api/studies/s1/log/41"),
            new(1, 42, "https://registry.example/api/studies/s1/log/42"),
            new(2, 43, "javascript:alert(1)"),
        ]));
        Assert.Contains("<a href=\"https://registry.example/api/studies/s1/log/41\"", html);
        Assert.Contains(">log entry #41</a> (party 0)", html);
        Assert.Contains(">log entry #42</a> (party 1)", html);
        Assert.Contains("log entry #43 (party 2)", html);
        Assert.DoesNotContain("javascript:", html);
        Assert.DoesNotContain("log entry", ResultHtml.Release(Release([])));
    }
}
