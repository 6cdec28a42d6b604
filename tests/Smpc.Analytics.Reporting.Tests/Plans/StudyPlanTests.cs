using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Plans;

namespace Smpc.Analytics.Reporting.Tests.Plans;

/// <summary>
/// Study plans as files: a field a file leaves out keeps its default; every problem names the plan file, the JSON path
/// and what is wrong, and names or columns that do not exist are found before anything is contributed.
/// </summary>
public sealed class StudyPlanTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("smpc-plan").FullName;
    static string Examples => Path.Combine(Repo.Root, "data", "examples");

    string Write(string json)
    {
        var path = Path.Combine(_folder, "study.plan.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>A plan over the example files with one query whose fields are given by <paramref name="query"/>.</summary>
    string Plan(string query, string joins = "", string extra = "") => Write($$"""
        {
          "name": "t", "title": "T", "data": "{{Examples.Replace("\\", "\\\\")}}", {{extra}}
          "datasets": [ { "name": "tenants", "inferSchema": true,
                          "identifiers": { "national_no": "ssn", "given": "firstName", "family": "lastName", "birth_date": "dateOfBirth" } },
                        { "name": "clinic", "inferSchema": true } ],
          "joins": [ {{joins}} ],
          "queries": [ {{query}} ]
        }
        """);

    /// <summary>A YAML plan is the same plan: the example in YAML reads to exactly the example in JSON.</summary>
    [Fact]
    public void The_yaml_example_plan_is_the_json_example_plan()
    {
        var json = StudyPlanFile.Load(Path.Combine(Examples, "tenants-health.plan.json"));
        var yaml = StudyPlanFile.Load(Path.Combine(Examples, "tenants-health.plan.yaml"));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(json.Plan, StudyPlanJson.Default.StudyPlan),
                     System.Text.Json.JsonSerializer.Serialize(yaml.Plan, StudyPlanJson.Default.StudyPlan));
        Assert.Equal(json.Resolve().Select(s => (s.Name, s.DataFile)), yaml.Resolve().Select(s => (s.Name, s.DataFile)));
    }

    [Fact]
    public void A_yaml_plan_reports_problems_with_their_line_and_column()
    {
        string Yaml(string body)
        {
            var path = Path.Combine(_folder, "study.plan.yaml");
            File.WriteAllText(path, $"name: t\ntitle: T\ndata: '{Examples}'\ndatasets:\n  - name: tenants\n    inferSchema: true\n{body}");
            return path;
        }
        // A field of the wrong type: the JSON path and where it is written.
        var e = Assert.Throws<PlanException>(() => StudyPlanFile.Load(Yaml("queries:\n  - title: x\n    dataset: tenants\n    bins: many\n")));
        Assert.Equal("$.queries[0].bins", e.Path);
        Assert.Contains("line 10, column 11", e.Problem);
        // A column that does not exist, found when the plan is resolved.
        var file = StudyPlanFile.Load(Yaml("queries:\n  - title: x\n    dataset: tenants\n    statistics: [mean]\n    column: rent\n"));
        e = Assert.Throws<PlanException>(() => file.Resolve());
        Assert.Equal("$.queries[0].column", e.Path);
        Assert.Contains("no column 'rent'", e.Problem);
        Assert.Contains("line 11, column 13", e.Problem);
        // Not YAML at all.
        e = Assert.Throws<PlanException>(() => StudyPlanFile.Load(Yaml("queries: [unclosed\n")));
        Assert.Contains("not valid YAML at line", e.Problem);
        // A quoted number stays text; a plain one is a number.
        var quoted = StudyPlanFile.Load(Yaml("queries:\n  - title: '2024'\n    dataset: tenants\n"));
        Assert.Equal("2024", quoted.Plan.Queries[0].Title);
    }

    [Fact]
    public void Fields_a_file_leaves_out_keep_their_defaults()
    {
        var file = StudyPlanFile.Load(Plan("""{ "title": "Tenants", "dataset": "tenants" }""", """{ "datasets": ["tenants", "clinic"] }"""));
        var plan = file.Plan;
        Assert.Equal(StudyPlan.CurrentFormat, plan.Format);
        Assert.Equal("study-analyst", plan.Analyst);
        Assert.Null(plan.Truth);
        Assert.Null(plan.Remote);
        Assert.Empty(plan.Methods);
        var join = file.Join(0);
        Assert.Equal("tenants_clinic", join.ResultName);
        Assert.Equal([LinkageKeyKind.Ssn, LinkageKeyKind.Demographic], join.Passes);
        Assert.Equal(Smpc.Analytics.Linkage.JoinKind.Inner, join.Kind);
        Assert.Equal(PseudonymiserKind.KeyedHash, join.Pseudonymiser);
        var q = plan.Queries[0];
        Assert.Equal(["count"], q.Statistics);
        Assert.Equal("auto", q.Chart);
        Assert.Empty(q.GroupBy);
        Assert.Empty(q.Narrative);
        var request = file.Request(0);
        Assert.Equal([StatisticKind.Count], request.Statistics);
        Assert.Null(request.Filter);
        Assert.False(plan.Datasets[1].Identifiers.Count > 0);
    }

    [Fact]
    public void Given_fields_replace_the_defaults()
    {
        var file = StudyPlanFile.Load(Plan("""{ "title": "BMI", "dataset": "linked", "statistics": ["count", "mean"], "column": "bmi", "groupBy": ["district"], "filter": "rooms >= 2", "chart": "bar" }""",
                                           """{ "name": "linked", "datasets": ["tenants", "clinic"], "passes": ["ssn"], "kind": "left" }""", "\"analyst\": \"analyst\","));
        Assert.Equal("analyst", file.Plan.Analyst);
        Assert.Equal([LinkageKeyKind.Ssn], file.Join(0).Passes);
        Assert.Equal(Smpc.Analytics.Linkage.JoinKind.Left, file.Join(0).Kind);
        var request = file.Request(0);
        Assert.Equal([StatisticKind.Count, StatisticKind.Mean], request.Statistics);
        Assert.Equal(["bmi"], request.Columns);
        Assert.Equal("rooms >= 2", request.Filter);
    }

    [Theory]
    [InlineData("""{ "title": "x", "dataset": "nowhere" }""", "$.queries[0].dataset", "'nowhere' is neither a dataset nor a join")]
    [InlineData("""{ "title": "x", "dataset": "tenants", "statistics": ["count", "averidge"] }""", "$.queries[0].statistics[1]", "Unknown statistic 'averidge'")]
    [InlineData("""{ "title": "x", "dataset": "tenants", "chart": "pie" }""", "$.queries[0].chart", "Unknown plot 'pie'")]
    [InlineData("""{ "title": "", "dataset": "tenants" }""", "$.queries[0].title", "needs a title")]
    [InlineData("""{ "title": "x", "dataset": "tenants", "bins": [0, 5, 3] }""", "$.queries[0].bins[2]", "ascend")]
    [InlineData("""{ "title": "x", "dataset": "tenants", "probabilities": [0.5, 1.5] }""", "$.queries[0].probabilities[1]", "between 0 and 1")]
    [InlineData("""{ "title": "x", "dataset": "tenants", "narrative": ["a {mean(rooms)@Riverside"] }""", "$.queries[0].narrative[0]", "is not closed")]
    [InlineData("""{ "title": "x", "dataset": "tenants", "weight": "rooms" }""", "$.queries[0].weightKind", "needs its kind")]
    [InlineData("""{ "title": "x", "dataset": "tenants", "colour": "red" }""", "$.queries[0].colour", "could not be mapped")]
    [InlineData("""{ "title": "x", "dataset": "tenants", "bins": "wide" }""", "$.queries[0].bins", "could not be converted")]
    public void A_bad_field_is_named_by_file_and_JSON_path(string query, string path, string problem)
    {
        var plan = Plan(query);
        var e = Assert.Throws<PlanException>(() => StudyPlanFile.Load(plan));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem);
        Assert.StartsWith(plan + ": " + path + ": ", e.Message);
    }

    [Fact]
    public void A_join_of_an_unknown_dataset_or_with_an_unknown_pass_is_refused()
    {
        var e = Assert.Throws<PlanException>(() => StudyPlanFile.Load(Plan("""{ "title": "x", "dataset": "tenants" }""", """{ "datasets": ["tenants", "bank"] }""")));
        Assert.Equal("$.joins[0].datasets[1]", e.Path);
        e = Assert.Throws<PlanException>(() => StudyPlanFile.Load(Plan("""{ "title": "x", "dataset": "tenants" }""", """{ "datasets": ["tenants", "clinic"], "passes": ["ssn", "shoe-size"] }""")));
        Assert.Equal("$.joins[0].passes[1]", e.Path);
        e = Assert.Throws<PlanException>(() => StudyPlanFile.Load(Plan("""{ "title": "x", "dataset": "tenants" }""", """{ "datasets": ["tenants", "clinic"], "passes": ["ssn", "fuzzy"], "threshold": 1.2 }""")));
        Assert.Equal("$.joins[0].threshold", e.Path);
        Assert.Contains("Dice coefficient", e.Problem);
    }

    [Theory]
    [InlineData("""{ "title": "x", "dataset": "tenants", "statistics": ["mean"], "column": "rent" }""", "$.queries[0].column", "no column 'rent'")]
    [InlineData("""{ "title": "x", "dataset": "tenants_clinic", "statistics": ["mean"], "column": "bmi", "groupBy": ["district", "ward"] }""", "$.queries[0].groupBy[1]", "no column 'ward'")]
    [InlineData("""{ "title": "x", "dataset": "tenants_clinic", "statistics": ["ols"], "columns": ["bmi", "rooms", "age"] }""", "$.queries[0].columns[2]", "no column 'age'")]
    public void A_column_that_does_not_exist_is_reported_before_anything_runs(string query, string path, string problem)
    {
        var file = StudyPlanFile.Load(Plan(query, """{ "datasets": ["tenants", "clinic"] }"""));
        var e = Assert.Throws<PlanException>(() => file.Resolve());
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void Columns_of_a_join_are_its_datasets_shared_columns_and_resolve_reads_no_row_into_a_study()
    {
        var file = StudyPlanFile.Load(Plan("""{ "title": "x", "dataset": "tenants_clinic", "statistics": ["mean"], "column": "bmi", "groupBy": ["district"] }""",
                                           """{ "datasets": ["tenants", "clinic"] }"""));
        var sources = file.Resolve();
        Assert.Equal(["tenants", "clinic"], sources.Select(s => s.Name));
        Assert.Equal(["district", "rooms", "monthly_rent"], sources[0].Schema.Columns.Select(c => c.Name));
        Assert.DoesNotContain(sources[0].Schema.Columns, c => c.Name is "national_no" or "given" or "family");
    }

    [Fact]
    public void A_missing_data_file_or_truth_file_is_named()
    {
        var plan = Write($$"""{ "name": "t", "title": "T", "data": "{{_folder.Replace("\\", "\\\\")}}", "datasets": [ { "name": "absent" } ] }""");
        var e = Assert.Throws<PlanException>(() => StudyPlanFile.Load(plan).Resolve());
        Assert.Equal("$.datasets[0].file", e.Path);
        e = Assert.Throws<PlanException>(() => StudyPlanFile.Load(Plan("""{ "title": "x", "dataset": "tenants" }""", "", "\"truth\": \"truth.json\",")));
        Assert.Equal("$.truth", e.Path);
    }

    [Fact]
    public void The_veterans_plan_loads_and_resolves_against_the_synthetic_agencies()
    {
        var file = StudyPlanFile.Load(Path.Combine(Repo.Root, "data", "synthetic", "veterans-study.plan.json"));
        Assert.Equal(14, file.Plan.Queries.Count);
        Assert.Equal(["veterans", "bank", "survey"], file.Resolve().Select(s => s.Name));
        Assert.True(File.Exists(file.TruthFile));
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
