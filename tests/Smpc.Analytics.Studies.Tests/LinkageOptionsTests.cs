using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>A small generated demo study (600 bank records) for the linkage options: pseudonymisers, join kinds, three tables.</summary>
public sealed class DemoStudyFixture : IDisposable
{
    public SecureStudy Study { get; } = SecureStudy.OpenDemo(size: 600, seed: 7, name: "demo", engine: new SecureEngine());   // the engine path: OPRF joins and join datasets' terms are inspected
    public void Dispose() => Study.Dispose();
}

public sealed class LinkageOptionsTests(DemoStudyFixture f) : IClassFixture<DemoStudyFixture>
{
    [Fact]
    public void The_demo_is_generated_deterministically_with_its_ground_truth()
    {
        Assert.Equal(["veterans", "bank", "survey"], f.Study.Datasets.Select(d => d.Name));
        Assert.Equal(600, f.Study.Dataset("bank").RowCount);
        Assert.Equal(480, f.Study.Dataset("veterans").RowCount);
        Assert.Equal("smpc synth --seed 7 --size 600", f.Study.GroundTruth!.Element("generator.command").GetString());
        var files = f.Study.Dataset("bank").Files;
        var sha = f.Study.GroundTruth.Json.GetProperty("files").GetProperty("bank.csv").GetProperty("sha256").GetString();
        Assert.Equal(sha, files.Single(x => x.Path.EndsWith("bank.csv")).Sha256);
    }

    [Fact]
    public void Oprf_and_keyed_hash_pseudonyms_link_the_same_rows()
    {
        var hash = f.Study.Join(new JoinRequest { Datasets = ["veterans", "bank"], Name = "vb_hash" });
        var oprf = f.Study.Join(new JoinRequest { Datasets = ["veterans", "bank"], Pseudonymiser = PseudonymiserKind.Oprf, Name = "vb_oprf" });
        Assert.Equal("hmac-sha256/64", hash.Scheme);
        Assert.Equal("2hashdh-x25519/64", oprf.Scheme);
        Assert.Equal(hash.MatchCounts, oprf.MatchCounts);
        Assert.True(hash.JoinedRows > 100);
        var a = f.Study.Count("vb_hash", "service_era");
        var b = f.Study.Count("vb_oprf", "service_era");
        Assert.Equal(a["count"], b["count"]);
        // The OPRF ran at the compute parties over their links: its traffic is part of the join's cost.
        Assert.True(oprf.Cost.Bytes > hash.Cost.Bytes);
    }

    [Fact]
    public void A_left_join_keeps_every_base_row_and_flags_the_linked_ones()
    {
        var inner = f.Study.Join(new JoinRequest { Datasets = ["veterans", "bank"], Name = "vb_inner" });
        var left = f.Study.Join(new JoinRequest { Datasets = ["veterans", "bank"], Kind = JoinKind.Left, Name = "vb_left" });
        // Every base row stays, except later duplicates of a key, which KeepFirst leaves out (never multiplied).
        Assert.InRange(left.JoinedRows!.Value, 0.97 * 480, 480 + 2);                      // released rounded to the bank's base 5
        Assert.True(left.JoinedRows > inner.JoinedRows);
        Assert.Contains("matched", left.Columns);
        var matched = f.Study.Sum("vb_left", "matched");
        // The sum of the 0/1 'matched' column is a count of linked rows: rounded like the join size, so it cannot undo it.
        Assert.Equal(inner.JoinedRows!.Value, matched.Cell("sum(matched)")!.Value);
        Assert.Equal(0, matched.Cell("sum(matched)")!.Value % 5);
    }

    [Fact]
    public void Three_agencies_link_in_one_join_with_columns_renamed_where_they_collide()
    {
        var join = f.Study.Join(new JoinRequest { Datasets = ["veterans", "bank", "survey"], Name = "all3" });
        Assert.Equal([LinkageKeyKind.Ssn, LinkageKeyKind.NameDateOfBirth], join.Passes);
        Assert.Contains("salary", join.Columns);
        Assert.Contains("bank.state", join.Columns);
        Assert.Contains("survey.state", join.Columns);
        Assert.Equal(4, join.MatchCounts.Count);       // two passes × two linked tables
        var d = f.Study.Dataset("all3");
        Assert.Equal("bank", d.Columns["bank.state"].Dataset);
        Assert.Equal("state", d.Columns["bank.state"].Column);
        Assert.Equal(3, d.Origins.Count);
        Assert.Equal(20, d.Terms.MinCellSize);           // the strictest of 11, 20, 11
        Assert.Equal(10, d.Terms.RoundingBase);          // the survey rounds to 10
        Assert.DoesNotContain("quantile", d.Terms.AllowedOperations);
    }

    [Fact]
    public void Veterans_and_survey_link_on_name_date_of_birth_and_sex_in_the_second_pass()
    {
        var join = f.Study.Join(new JoinRequest { Datasets = ["veterans", "survey"], Name = "vs" });
        Assert.Equal([LinkageKeyKind.Ssn, LinkageKeyKind.NameDateOfBirthSex], join.Passes);
    }
}
