using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies.Tests.Linking;

/// <summary>
/// The fuzzy pass as a study runs it (<c>--passes ssn,demographic,fuzzy [--threshold t]</c>): on the secure engine with
/// contributors in this process (each encodes when the join asks), and at the party services with the encodings the
/// contributors uploaded because their schemas declare one. Checked against the exact passes on the same study (more
/// people linked, no more than the people the two files share: precision), against the released per-pass counts, and
/// for every refusal: a fuzzy pass not last, a threshold without one or out of range, terms that forbid linkage on the
/// names, a dataset uploaded without the encoding. The links themselves are compared with the hashed mode's decisions
/// in the engine's test (SyntheticAgenciesLinkageTests).
/// </summary>
public sealed class FuzzyJoinTests
{
    /// <summary>Veteran records whose person has a bank record (truth/records.csv): no inner join links more without a false link.</summary>
    static readonly int LinkableVeterans = Linkable();

    static int Linkable()
    {
        var rows = File.ReadLines(Path.Combine(SyntheticAgencies.Locate(null), "truth", "records.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var banked = rows.Where(r => r[0] == "bank").Select(r => r[2]).ToHashSet();
        return rows.Count(r => r[0] == "veterans" && banked.Contains(r[2]));
    }

    static JoinRequest Request(string name, double? threshold = null, params LinkageKeyKind[] passes) =>
        new() { Datasets = ["veterans", "bank"], Name = name, Passes = passes, FuzzyThreshold = threshold };

    static void CheckAgainstExact(SecureStudy study, double threshold)
    {
        var exact = study.Join(Request("exact", null, LinkageKeyKind.Ssn, LinkageKeyKind.Demographic));
        var fuzzy = study.Join(Request("fuzzy", threshold, LinkageKeyKind.Ssn, LinkageKeyKind.Demographic, LinkageKeyKind.Fuzzy));
        Assert.Equal(["ssn", "name-dob", "fuzzy"], fuzzy.MatchCounts.Select(c => c.Pass));
        long linkedFuzzily = fuzzy.MatchCounts[2].Count!.Value;
        int rounding = fuzzy.RoundingBase;
        Assert.True(linkedFuzzily > 0, "the fuzzy pass links records the exact passes left");
        // The exact passes link the same rows with or without a fuzzy pass after them; the fuzzy pass adds its own links.
        Assert.Equal(exact.MatchCounts[0].Count, fuzzy.MatchCounts[0].Count);
        Assert.Equal(exact.MatchCounts[1].Count, fuzzy.MatchCounts[1].Count);
        Assert.InRange(fuzzy.JoinedRows!.Value, exact.JoinedRows!.Value + linkedFuzzily - 2 * rounding, exact.JoinedRows.Value + linkedFuzzily + 2 * rounding);
        Assert.True(fuzzy.JoinedRows <= LinkableVeterans + rounding, $"{fuzzy.JoinedRows} rows joined; {LinkableVeterans} veteran records have a person in the bank's file");
        // The joined dataset is analysed like any other: its count is the joined rows (rounded alike).
        var count = study.Count("fuzzy");
        Assert.Equal((double?)fuzzy.JoinedRows, count.Value(0, "count"));
        Assert.DoesNotContain(fuzzy.Columns, c => c.Contains("fuzzy_", StringComparison.Ordinal));
    }

    [Fact]
    public void On_the_secure_engine_contributors_encode_when_the_join_asks_and_the_fuzzy_pass_adds_links()
    {
        using var study = SecureStudy.OpenSynthetic(engine: new SecureEngine());
        CheckAgainstExact(study, 0.85);
    }

    [Fact]
    public void At_the_party_services_the_pass_uses_the_encodings_uploaded_with_the_schemas_that_declare_one()
    {
        string folder = SyntheticAgencies.Locate(null);
        using var study = SecureStudy.Embedded("fuzzy");
        foreach (var name in new[] { "veterans", "bank", "survey" })
        {
            var schema = TableSchema.Load(Path.Combine(folder, $"{name}.schema.json"));
            if (name != "survey") schema = schema with { Fuzzy = new FuzzyEncodingSpec() };
            study.Contribute(Path.Combine(folder, $"{name}.csv"), schema, DataUseTerms.Load(Path.Combine(folder, $"{name}.terms.json")));
        }
        // Explained before it runs: allowed, with the fuzzy pass's openings named and more rounds than the exact passes alone.
        var exactPlan = study.Explain(Request("exact-plan", null, LinkageKeyKind.Ssn, LinkageKeyKind.Demographic));
        var fuzzyPlan = study.Explain(Request("fuzzy-plan", 0.9, LinkageKeyKind.Ssn, LinkageKeyKind.Demographic, LinkageKeyKind.Fuzzy));
        Assert.False(fuzzyPlan.Refused, fuzzyPlan.Refusal);
        Assert.True(fuzzyPlan.Rounds > exactPlan.Rounds, $"{fuzzyPlan.Rounds} rounds with the fuzzy pass, {exactPlan.Rounds} without");
        Assert.Contains(fuzzyPlan.RevealLines(), l => l.Contains("blocking pseudonyms", StringComparison.Ordinal));
        CheckAgainstExact(study, 0.9);
        // The survey's contributor declared no encoding: a fuzzy pass with it is refused, naming the dataset and the remedy.
        var e = Assert.ThrowsAny<SmpcException>(() => study.Join(new JoinRequest { Datasets = ["veterans", "survey"], Name = "vs", Passes = [LinkageKeyKind.Ssn, LinkageKeyKind.Fuzzy] }));
        Assert.Contains("'survey'", e.Message);
        Assert.Contains("fuzzy encoding", e.Message);
    }

    [Fact]
    public void Requests_a_fuzzy_pass_cannot_serve_are_refused_before_anything_is_linked()
    {
        using var study = SecureStudy.OpenSynthetic(engine: new PlaintextEngine());
        var notLast = Assert.Throws<QueryException>(() => study.Join(Request("a", null, LinkageKeyKind.Fuzzy, LinkageKeyKind.Ssn)));
        Assert.Contains("last", notLast.Message);
        var without = Assert.Throws<QueryException>(() => study.Join(Request("b", 0.8, LinkageKeyKind.Ssn)));
        Assert.Contains("fuzzy pass only", without.Message);
        var range = Assert.Throws<QueryException>(() => study.Join(Request("c", 1.5, LinkageKeyKind.Ssn, LinkageKeyKind.Fuzzy)));
        Assert.Contains("at most 1", range.Message);
        Assert.Empty(study.History.OfType<JoinRelease>());
    }

    [Fact]
    public void Terms_that_forbid_linkage_on_the_names_refuse_the_fuzzy_pass_naming_the_columns()
    {
        string folder = SyntheticAgencies.Locate(null);
        using var study = SecureStudy.Embedded("strict");
        foreach (var name in new[] { "veterans", "bank" })
        {
            var schema = TableSchema.Load(Path.Combine(folder, $"{name}.schema.json")) with { Fuzzy = new FuzzyEncodingSpec() };
            var terms = DataUseTerms.Load(Path.Combine(folder, $"{name}.terms.json"));
            if (name == "bank") terms = terms with { LinkageColumns = ["ssn"] };
            if (name == "bank")
            {
                // The contributor's own check refuses the encoding at upload: it reads names the terms keep out of linkage.
                var upload = Assert.ThrowsAny<SmpcException>(() => study.Contribute(Path.Combine(folder, $"{name}.csv"), schema, terms));
                Assert.Contains("last_name", upload.Message);
                study.Contribute(Path.Combine(folder, $"{name}.csv"), schema with { Fuzzy = null }, terms);
            }
            else study.Contribute(Path.Combine(folder, $"{name}.csv"), schema, terms);
        }
        var e = Assert.ThrowsAny<SmpcException>(() => study.Join(Request("vb", null, LinkageKeyKind.Ssn, LinkageKeyKind.Fuzzy)));
        Assert.Contains("'bank'", e.Message);
    }
}
