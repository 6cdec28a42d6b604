using Smpc.Governance.Transparency;

namespace Smpc.Registry.Tests.Governance;

/// <summary>What the registry accepts as a compute party's record of a computation, and the entry it makes of it.</summary>
public sealed class ComputationRecordTests
{
    static readonly string[] Datasets = ["veterans", "bank"];

    static readonly ComputationRecord Release = new()
    {
        Kind = "release", Party = 1, Analyst = "alex@research.example", Operation = "aggregate", Request = "mean of balance by state on 'vb'",
        Datasets = ["veterans", "bank"], ResultSha256 = new string('a', 64), Epsilon = 0.25, TokenId = "0123abcd", Sequence = 2,
    };

    [Fact]
    public void A_release_query_and_refusal_are_accepted_and_become_entries_of_their_kind()
    {
        Assert.Null(Release.Problem(Datasets));
        var query = Release with { Kind = "query", Operation = "join", Epsilon = null };
        var refusal = Release with { Kind = "refusal", ResultSha256 = null, Epsilon = null, Rule = "AllowedColumns", Datasets = [] };
        Assert.Null(query.Problem(Datasets));
        Assert.Null(refusal.Problem(Datasets));
        Assert.Equal([LogEntryKind.Release, LogEntryKind.Query, LogEntryKind.Refusal], new[] { Release, query, refusal }.Select(r => r.EntryKind));

        var data = Release.Data("org-1");
        Assert.Equal("0.25", data["epsilon"]);
        Assert.Equal("veterans,bank", data["datasets"]);
        Assert.Equal(new string('a', 64), data["resultSha256"]);
        Assert.False(data.ContainsKey("rule"));
        Assert.Equal("AllowedColumns", refusal.Data("org-1")["rule"]);
        Assert.Equal("Compute party 1 (Bank) released mean of balance by state on 'vb' to alex@research.example: table sha256 aaaaaaaaaaaaaaaa…, ε 0.25.", Release.Summary("Bank"));
        Assert.EndsWith("(AllowedColumns).", refusal.Summary("Bank"));
    }

    [Fact]
    public void A_record_that_is_not_one_is_refused_naming_the_field()
    {
        var cases = new (ComputationRecord Record, string Problem)[]
        {
            (Release with { Kind = "rows" }, "kind"),
            (Release with { Party = 3 }, "party"),
            (Release with { Analyst = "" }, "analyst"),
            (Release with { Operation = "open" }, "operation"),
            (Release with { Operation = "join" }, "a release entry records an aggregate"),
            (Release with { Request = new string('x', ComputationRecord.MaxRequestLength + 1) }, "request"),
            (Release with { Datasets = ["elsewhere"] }, "'elsewhere' is not a dataset"),
            (Release with { ResultSha256 = null }, "resultSha256"),
            (Release with { ResultSha256 = "1234" }, "resultSha256"),
            (Release with { Rule = "AllowedColumns" }, "only a refusal"),
            (Release with { Epsilon = -1 }, "epsilon"),
            (Release with { TokenId = "a'%" }, "tokenId"),
            (Release with { Kind = "refusal", ResultSha256 = null, Epsilon = null, Rule = null }, "names its rule"),
            (Release with { Kind = "refusal", Epsilon = null, Rule = "X" }, "no result digest"),
            (Release with { Kind = "query", Operation = "join" }, "a join spends no ε"),
        };
        foreach (var (record, problem) in cases)
            Assert.Contains(problem, record.Problem(Datasets) ?? $"(accepted: {record})");
    }
}
