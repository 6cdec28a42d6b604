using System.Text.Json.Nodes;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Tests.Columnar;
using Smpc.Analytics.Tests.Statistics;

namespace Smpc.Analytics.Tests.Study;

/// <summary>
/// Issue 10, point 8: data-use terms are validated when they are loaded (and when a study API is built on them), with
/// a SchemaException naming the file, the field as written in the file and the allowed range — not a query that fails
/// later with ArgumentOutOfRangeException. Each bad file is the committed bank terms with one field changed.
/// </summary>
public class TermsValidationTests
{
    static string DataDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "data", "synthetic", "bank.terms.json"))) return Path.Combine(dir.FullName, "data", "synthetic");
        throw new DirectoryNotFoundException("data/synthetic not found above " + AppContext.BaseDirectory);
    }

    [Theory]
    [InlineData("bank")]
    [InlineData("veterans")]
    [InlineData("survey")]
    public void The_committed_terms_load(string dataset)
    {
        var terms = DataUseTerms.Load(Path.Combine(DataDir(), dataset + ".terms.json"));
        Assert.Equal(dataset, terms.Dataset);
        Assert.Same(terms, terms.Validate());
    }

    [Fact]
    public void Before_the_check_a_p_of_250_loaded_and_every_query_failed_later()
    {
        // What the issue saw: terms built with p = 250 reach the query, whose rules throw ArgumentOutOfRangeException.
        var terms = SurveyData.Terms(more: t => t.DominanceP = 250);
        Assert.Throws<ArgumentOutOfRangeException>(() => terms.DisclosureRules().Validate());
        // Now the study API refuses the terms themselves, naming the field and the range.
        using var engine = new PlaintextEngine();
        var e = Assert.Throws<SchemaException>(() => new SecureAnalysis(SurveyData.Generate(20, 1).Share(engine), terms));
        Assert.Contains("`dominanceP` is 250", e.Message);
        Assert.Contains("greater than 0 and less than 100", e.Message);
    }

    [Theory]
    [InlineData("dominanceP", "100", "`dominanceP` is 100", "greater than 0 and less than 100")]
    [InlineData("dominanceP", "250", "`dominanceP` is 250", "greater than 0 and less than 100")]
    [InlineData("dominanceP", "0", "`dominanceP` is 0", "greater than 0 and less than 100")]
    [InlineData("dominanceP", "-5", "`dominanceP` is -5", "greater than 0 and less than 100")]
    [InlineData("minCellSize", "-1", "`minCellSize` is -1", "from 0 to 10,000")]
    [InlineData("minCellSize", "1000000", "`minCellSize` is 1000000", "from 0 to 10,000")]
    [InlineData("minCellSize", "2.5", "`minCellSize` cannot be read", "from 0 to 10,000")]
    [InlineData("roundingBase", "0", "`roundingBase` is 0", "from 1 (no rounding) to 1,000,000")]
    [InlineData("epsilonBudget", "0", "`epsilonBudget` is 0", "finite number greater than 0")]
    [InlineData("epsilonBudget", "-1.5", "`epsilonBudget` is -1.5", "finite number greater than 0")]
    [InlineData("expires", "\"2027-02-30\"", "`expires` cannot be read", "a date written yyyy-MM-dd")]
    [InlineData("expires", "\"next year\"", "`expires` cannot be read", "a date written yyyy-MM-dd")]
    [InlineData("access", "\"everything\"", "`access` cannot be read", "metadataOnly, aggregates, synthetic")]
    [InlineData("allowedOperations", "[\"count\", \"median\"]", "unknown operation 'median'", "count, sum, mean, variance, quantile, min, max, histogram, groupby, crosstab, correlation, ols, join")]
    [InlineData("allowedColumns", "[\"state\", \"\"]", "`allowedColumns[1]` is empty", "a non-empty name")]
    [InlineData("linkageColumns", "[\" \"]", "`linkageColumns[0]` is empty", "a non-empty name")]
    [InlineData("dominanceColumns", "[\"\"]", "`dominanceColumns[0]` is empty", "a non-empty name")]
    [InlineData("allowedAnalysts", "null", "`allowedAnalysts` is null", "a list of names")]
    [InlineData("steward", "\"\"", "`steward` is empty", "a non-empty text")]
    [InlineData("formatVersion", "3", "`formatVersion` is 3", "1 or 2")]
    [InlineData("formatVersion", "\"two\"", "`formatVersion` cannot be read", "1 or 2")]
    [InlineData("scope", "{\"metadata\": []}", "`scope` is a format-2 member", "with \"formatVersion\": 2 only")]
    public void A_bad_field_is_refused_when_the_file_is_loaded_naming_file_field_and_range(string field, string json, string problem, string range)
    {
        using var dir = new TempDirectory();
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(DataDir(), "bank.terms.json")))!.AsObject();
        node[field] = JsonNode.Parse(json);
        string path = dir.File("bank.terms.json");
        File.WriteAllText(path, node.ToJsonString());

        var e = Assert.Throws<SchemaException>(() => DataUseTerms.Load(path));
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Contains(range, e.Message);
    }

    [Fact]
    public void A_format_2_file_with_recipients_and_scope_loads_and_saves_unchanged()
    {
        using var dir = new TempDirectory();
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(DataDir(), "bank.terms.json")))!.AsObject();
        node["formatVersion"] = 2;
        node["redisclosure"]!["projectRecipients"] = new JsonArray("research", "va");
        node["scope"] = JsonNode.Parse("""{ "metadata": ["compute parties"], "fullDataset": [], "synthetic": [] }""");
        string path = dir.File("bank.terms.json");
        File.WriteAllText(path, node.ToJsonString());

        var terms = DataUseTerms.Load(path);
        Assert.Equal(2, terms.FormatVersion);
        Assert.Equal(["research", "va"], terms.Redisclosure.ProjectRecipients!);
        Assert.Equal(["compute parties"], terms.Scope!.Metadata!);
        Assert.Empty(terms.Scope.FullDataset!);
        terms.Save(dir.File("again.terms.json"));
        var again = DataUseTerms.Load(dir.File("again.terms.json"));
        Assert.Equal(terms.Scope.Metadata, again.Scope!.Metadata);
        Assert.Equal(terms.Redisclosure.ProjectRecipients, again.Redisclosure.ProjectRecipients);
        // A format-1 file saves without the new members.
        DataUseTerms.Load(Path.Combine(DataDir(), "bank.terms.json")).Save(dir.File("v1.terms.json"));
        string v1 = File.ReadAllText(dir.File("v1.terms.json"));
        Assert.DoesNotContain("formatVersion", v1);
        Assert.DoesNotContain("scope", v1);
    }

    [Fact]
    public void Every_problem_of_a_file_is_listed_at_once()
    {
        using var dir = new TempDirectory();
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(DataDir(), "bank.terms.json")))!.AsObject();
        node["dominanceP"] = 100;
        node["roundingBase"] = 0;
        node["minCellSize"] = -3;
        string path = dir.File("bad.terms.json");
        File.WriteAllText(path, node.ToJsonString());
        var e = Assert.Throws<SchemaException>(() => DataUseTerms.Load(path));
        foreach (var f in new[] { "`dominanceP` is 100", "`roundingBase` is 0", "`minCellSize` is -3" }) Assert.Contains(f, e.Message);
    }
}
