using System.Text.Json.Nodes;
using Smpc.Governance;

namespace Smpc.Registry.Tests.Governance;

/// <summary>The ODRL 2.2 export and the legal brief say, for each of the three distinctions, what the terms say.</summary>
public sealed class OdrlAndBriefTests
{
    static (World W, JsonObject Bank, JsonObject Survey) Exported()
    {
        var w = new World();
        var survey = StudyLifecycle.AddDataset(w.Study, World.A(w.Coordinator), "survey", w.Research, w.T0);
        StudyLifecycle.AddMember(w.Study, World.A(w.Coordinator), w.Coordinator, StudyRole.DataSteward, w.T0);
        StudyLifecycle.DocumentTerms(w.Study, World.A(w.BankSteward), w.BankData, World.Terms("bank"), w.Day(1));
        StudyLifecycle.DocumentTerms(w.Study, World.A(w.Coordinator), survey, World.Terms("survey"), w.Day(1));
        // Round-trip through text: what the API serves is what a JSON-LD processor reads.
        JsonObject Export(Dataset d) => JsonNode.Parse(OdrlPolicy.Of(d, d.CurrentTerms!).ToJsonString())!.AsObject();
        return (w, Export(w.BankData), Export(survey));
    }

    static JsonObject? RuleOf(JsonObject policy, string kind, string clause) =>
        (policy[kind] as JsonArray)?.OfType<JsonObject>().SingleOrDefault(r => r["uid"]!.GetValue<string>().EndsWith(":" + clause));

    static JsonObject ConstraintOf(JsonObject rule, string left) =>
        rule["constraint"]!.AsArray().OfType<JsonObject>().Single(c => c["leftOperand"]!.GetValue<string>() == left);

    [Fact]
    public void The_policy_is_json_ld_shaped_odrl()
    {
        var (w, bank, _) = Exported();
        Assert.Equal("http://www.w3.org/ns/odrl.jsonld", bank["@context"]!.GetValue<string>());
        Assert.Equal("Set", bank["@type"]!.GetValue<string>());
        Assert.Equal("urn:smpc:terms:" + w.BankData.CurrentTerms!.Hash, bank["uid"]!.GetValue<string>());
        foreach (var kind in new[] { "permission", "prohibition" })
            foreach (var rule in bank[kind]!.AsArray().OfType<JsonObject>())
            {
                Assert.False(string.IsNullOrEmpty(rule["action"]?.GetValue<string>()));
                Assert.StartsWith("urn:smpc:dataset:", rule["target"]!.GetValue<string>());
                foreach (var c in (rule["constraint"] as JsonArray ?? []).OfType<JsonObject>())
                    Assert.True(c.ContainsKey("leftOperand") && c.ContainsKey("operator") && c.ContainsKey("rightOperand"), c.ToJsonString());
            }
    }

    [Fact]
    public void Internal_use_only_is_a_prohibition_to_distribute_and_redisclosure_a_permission_to_the_listed_recipients()
    {
        var (_, bank, survey) = Exported();
        Assert.Equal("distribute", RuleOf(bank, "prohibition", "redisclosure")!["action"]!.GetValue<string>());
        Assert.Null(RuleOf(bank, "permission", "redisclosure"));
        var allowed = RuleOf(survey, "permission", "redisclosure")!;
        Assert.Equal(["study team", "public, after the agency's disclosure review board"],
            ConstraintOf(allowed, "recipient")["rightOperand"]!.AsArray().Select(v => v!.GetValue<string>()));
        var use = RuleOf(bank, "permission", "use")!;
        Assert.Equal("eq", ConstraintOf(use, "purpose")["operator"]!.GetValue<string>());
        Assert.Equal("2027-12-31", ConstraintOf(use, "dateTime")["rightOperand"]!["@value"]!.GetValue<string>());
    }

    [Fact]
    public void Metadata_full_dataset_and_synthetic_versions_are_separate_rules()
    {
        var (_, bank, survey) = Exported();
        Assert.Equal(["study team", "compute parties"],
            ConstraintOf(RuleOf(bank, "permission", "metadata")!, "recipient")["rightOperand"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.EndsWith("#metadata", RuleOf(bank, "permission", "metadata")!["target"]!.GetValue<string>());
        Assert.Equal("read", RuleOf(bank, "prohibition", "full-dataset")!["action"]!.GetValue<string>());
        Assert.Equal("derive", RuleOf(bank, "prohibition", "synthetic")!["action"]!.GetValue<string>());
        Assert.Equal("derive", RuleOf(survey, "permission", "synthetic")!["action"]!.GetValue<string>());
        Assert.Null(RuleOf(survey, "prohibition", "synthetic"));
    }

    [Fact]
    public void Controls_are_constraints_and_duties_of_the_analysis_permission()
    {
        var (_, bank, _) = Exported();
        var analysis = RuleOf(bank, "permission", "analysis")!;
        Assert.Equal("aggregate", analysis["action"]!.GetValue<string>());
        Assert.DoesNotContain("quantile", ConstraintOf(analysis, "urn:smpc:terms:operation")["rightOperand"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("balance", ConstraintOf(analysis, "urn:smpc:terms:column")["rightOperand"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.StartsWith("United States", ConstraintOf(analysis, "spatial")["rightOperand"]!.GetValue<string>());
        var duties = analysis["duty"]!.AsArray().OfType<JsonObject>().ToList();
        var anonymize = duties.Single(d => d["action"]!.GetValue<string>() == "anonymize");
        Assert.Equal(20, ConstraintOf(anonymize, "urn:smpc:terms:minCellSize")["rightOperand"]!.GetValue<int>());
        Assert.Equal(5, ConstraintOf(anonymize, "urn:smpc:terms:roundingBase")["rightOperand"]!.GetValue<int>());
        Assert.Equal(10, ConstraintOf(anonymize, "urn:smpc:terms:dominanceP")["rightOperand"]!.GetValue<double>());
        Assert.Equal("gt", ConstraintOf(duties.Single(d => d["action"]!.GetValue<string>() == "delete"), "dateTime")["operator"]!.GetValue<string>());
    }

    [Fact]
    public void The_brief_states_the_three_distinctions_the_defaults_and_the_changes_in_plain_words()
    {
        var (w, _, _) = Exported();
        StudyLifecycle.DocumentTerms(w.Study, World.A(w.BankSteward), w.BankData, World.Terms("bank") with { MinCellSize = 11 }, w.Day(2));
        var brief = TermsBrief.Of(w.BankData, w.BankData.CurrentTerms!);
        Assert.Equal("Data-use terms of 'bank', version 2", brief.Title);
        Assert.Contains(w.BankData.CurrentTerms!.Hash, brief.Subtitle);
        string Section(string start) => string.Join("\n", brief.Sections.Single(s => s.Heading.StartsWith(start)).Lines);
        Assert.Contains("Internal project use only", Section("(a)"));
        Assert.Contains("The full dataset is seen by nobody", Section("(b)"));
        Assert.Contains("Synthetic versions of the data: none", Section("(b)"));
        Assert.Contains("at least 11 people", Section("(c)"));
        Assert.Contains("rounded to a multiple of 5", Section("(c)"));
        Assert.Contains("expire on 2027-12-31", Section("(c)"));
        Assert.Contains("(scope.fullDataset)", Section("Not stated"));
        Assert.Equal("minCellSize: 20 -> 11", Section("Changes from version 1"));
    }
}
