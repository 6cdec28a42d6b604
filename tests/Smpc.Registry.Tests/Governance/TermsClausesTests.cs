using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;
using Smpc.Governance;

namespace Smpc.Registry.Tests.Governance;

/// <summary>Terms format 2 states the three distinctions apart; a format-1 document reads with the documented defaults
/// and keeps its canonical hash.</summary>
public sealed class TermsClausesTests
{
    const string Version2 = """
        {
          "formatVersion": 2,
          "dataset": "harbour", "steward": "Harbour authority", "purpose": "Berth statistics",
          "redisclosure": { "internalUseOnly": false, "redisclosureTo": ["public, after review"], "projectRecipients": ["research", "Statistics office"] },
          "access": "synthetic",
          "scope": { "metadata": ["compute parties"], "fullDataset": [], "synthetic": ["research"] },
          "allowedOperations": ["count"], "minCellSize": 15, "expires": "2027-06-30"
        }
        """;

    [Fact]
    public void A_format_1_document_reads_with_each_default_named()
    {
        var bank = TermsClauses.Of(World.Terms("bank"));
        Assert.Equal(1, bank.FormatVersion);
        Assert.True(bank.Use.InternalUseOnly);
        Assert.True(bank.Use.AnyProjectPartner);
        Assert.Equal(AccessScope.DefaultMetadata, bank.Access.Metadata);
        Assert.Empty(bank.Access.FullDataset);
        Assert.Empty(bank.Access.Synthetic);                       // access is aggregates: no synthetic versions
        Assert.Equal(["study team"], TermsClauses.Of(World.Terms("survey")).Access.Synthetic); // access synthetic
        Assert.Equal(["redisclosure.projectRecipients", "scope.metadata", "scope.fullDataset", "scope.synthetic"], bank.Defaulted);
        Assert.All(bank.Defaulted, f => Assert.True(TermsClauses.Defaults.ContainsKey(f)));
        Assert.Equal(20, bank.Controls.MinCellSize);
        Assert.Equal(new DateOnly(2027, 12, 31), bank.Controls.Expires);
    }

    [Fact]
    public void A_format_2_document_states_each_distinction_and_defaults_nothing()
    {
        var t = TermsClauses.Of(TermsDocument.Parse(Version2).Validate());
        Assert.Equal(2, t.FormatVersion);
        Assert.False(t.Use.InternalUseOnly);
        Assert.False(t.Use.AnyProjectPartner);
        Assert.Equal(["research", "Statistics office"], t.Use.ProjectRecipients);
        Assert.Equal(["public, after review"], t.Use.RedisclosureTo);
        Assert.Equal(["compute parties"], t.Access.Metadata);
        Assert.Equal(["research"], t.Access.Synthetic);
        Assert.Empty(t.Defaulted);
    }

    [Fact]
    public void New_members_leave_the_hash_of_a_format_1_document_unchanged()
    {
        var bank = World.Terms("bank");
        string canonical = TermsDocument.Canonical(bank);
        Assert.DoesNotContain("formatVersion", canonical);
        Assert.DoesNotContain("scope", canonical);
        Assert.DoesNotContain("projectRecipients", canonical);
        Assert.Equal(canonical, TermsDocument.Canonical(TermsDocument.Parse(canonical)));
        Assert.Contains("\"formatVersion\":2", TermsDocument.Canonical(TermsDocument.Parse(Version2)));
    }

    [Theory]
    [InlineData("\"formatVersion\": 3,", "`formatVersion` is 3")]
    [InlineData("\"scope\": { \"metadata\": [] },", "`scope` is a format-2 member")]
    [InlineData("\"formatVersion\": 2, \"scope\": { \"synthetic\": [\"public\"] },", "`scope.synthetic` names recipients of synthetic versions but `access` is not synthetic")]
    [InlineData("\"formatVersion\": 2, \"scope\": { \"fullDataset\": [\" \"] },", "`scope.fullDataset[0]` is empty")]
    public void Bad_format_2_members_are_refused_naming_the_field(string members, string problem)
    {
        string json = "{" + members + """ "dataset": "d", "steward": "s", "purpose": "p", "redisclosure": { "internalUseOnly": true } }""";
        var e = Assert.Throws<SchemaException>(() => TermsDocument.Parse(json).Validate());
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void The_committed_terms_files_still_load()
    {
        string dir = Path.Combine(RepoRoot(), "data", "synthetic");
        foreach (var name in new[] { "veterans", "bank", "survey" })
            Assert.Equal(1, TermsClauses.Of(DataUseTerms.Load(Path.Combine(dir, name + ".terms.json"))).FormatVersion);
    }

    static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Smpc.Analytics.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Smpc.Analytics.sln not found above the test's folder.");
    }
}
