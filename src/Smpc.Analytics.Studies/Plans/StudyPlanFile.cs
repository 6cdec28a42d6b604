using System.Text.Json;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies.Plans;

/// <summary>
/// A study plan read from its file and checked: the fields (<see cref="Load"/>), then the datasets' files, schemas and
/// columns (<see cref="Resolve"/>), all before any row is read for contribution. Every problem names the plan file,
/// the JSON path and what is wrong — in a YAML plan (<c>.yaml</c>, <c>.yml</c>: <see cref="YamlPlan"/>) also the line and
/// column where the field is written.
/// </summary>
public sealed class StudyPlanFile
{
    StudyPlanFile(string path, StudyPlan plan, IReadOnlyDictionary<string, (long Line, long Column)>? yaml)
    {
        Path = path;
        Plan = plan;
        _yaml = yaml;
    }

    readonly IReadOnlyDictionary<string, (long Line, long Column)>? _yaml;

    /// <summary>A problem of a YAML plan with the line and column of its field added.</summary>
    static PlanException Located(PlanException e, IReadOnlyDictionary<string, (long Line, long Column)>? yaml) =>
        yaml is null || YamlPlan.Locate(yaml, e.Path) is not { Length: > 0 } at || e.Problem.Contains("(line ", StringComparison.Ordinal) ? e
            : new PlanException(e.File, e.Path, $"{e.Problem} ({at})");

    /// <summary>The plan file's full path.</summary>
    public string Path { get; }
    public StudyPlan Plan { get; }

    /// <summary>The folder holding the plan file; the plan's relative paths start here.</summary>
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>The data folder (the plan's <see cref="StudyPlan.Data"/>, or <paramref name="overrideFolder"/>).</summary>
    public string DataFolder(string? overrideFolder = null) => System.IO.Path.GetFullPath(overrideFolder ?? System.IO.Path.Combine(Folder, Plan.Data));

    public string? TruthFile => Plan.Truth is null ? null : System.IO.Path.GetFullPath(System.IO.Path.Combine(Folder, Plan.Truth));
    public string? RemoteConfig => Plan.Remote is null ? null : System.IO.Path.GetFullPath(System.IO.Path.Combine(Folder, Plan.Remote));

    /// <summary>Reads and checks a plan (fields, names, statistics, charts, templates, files named).</summary>
    public static StudyPlanFile Load(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new PlanException(path, "$", "the plan file does not exist");
        StudyPlan? plan;
        string text = File.ReadAllText(full);
        IReadOnlyDictionary<string, (long Line, long Column)>? yaml = null;
        if (YamlPlan.IsYaml(full)) (text, yaml) = YamlPlan.ToJson(path, text);
        try { plan = JsonSerializer.Deserialize(text, StudyPlanJson.Default.StudyPlan); }
        catch (JsonException e)
        {
            string where = yaml is not null ? $" ({YamlPlan.Locate(yaml, e.Path ?? "$")})" : e.LineNumber is { } line ? $" (line {line + 1})" : "";
            throw new PlanException(path, e.Path ?? "$", FirstSentence(e.Message) + where);
        }
        if (plan is null) throw new PlanException(path, "$", "the file holds null, not a plan");
        var file = new StudyPlanFile(full, plan, yaml);
        try { new PlanChecks(path, plan).Fields(); }
        catch (PlanException e) { throw Located(e, yaml); }
        return file;
    }

    /// <summary>Each dataset's files and schema (read or inferred), checked: every dataset, column, group-by and weight a
    /// join or query names exists in its dataset. Nothing is contributed yet.</summary>
    public IReadOnlyList<PlanSource> Resolve(string? dataFolder = null)
    {
        try { return ResolveSources(dataFolder); }
        catch (PlanException e) { throw Located(e, _yaml); }
    }

    IReadOnlyList<PlanSource> ResolveSources(string? dataFolder)
    {
        string folder = DataFolder(dataFolder);
        var checks = new PlanChecks(Path, Plan);
        if (!Directory.Exists(folder)) throw new PlanException(Path, "$.data", $"the data folder '{folder}' does not exist");
        var sources = Plan.Datasets.Select((d, i) => Source(folder, d, $"$.datasets[{i}]")).ToArray();
        checks.Columns(sources.ToDictionary(s => s.Name, s => (IReadOnlyList<string>)s.Schema.Columns.Select(c => c.Name).ToArray()));
        return sources;
    }

    PlanSource Source(string folder, PlanDataset d, string at)
    {
        string Existing(string? given, string fallback, string field)
        {
            var p = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, given ?? fallback));
            return File.Exists(p) ? p : throw new PlanException(Path, $"{at}.{field}", $"dataset '{d.Name}': the file '{p}' does not exist");
        }
        string data = d.File is not null ? Existing(d.File, d.File, "file")
            : DatasetReader.Extensions.Select(e => System.IO.Path.Combine(folder, d.Name + e)).FirstOrDefault(File.Exists)
              ?? throw new PlanException(Path, $"{at}.file", $"dataset '{d.Name}': no data file {d.Name}{{{string.Join(",", DatasetReader.Extensions)}}} in '{folder}'");
        string terms = Existing(d.Terms, d.Name + ".terms.json", "terms");
        if (d.InferSchema)
        {
            var kinds = new Dictionary<string, IdentifierKind>(StringComparer.Ordinal);
            foreach (var (column, kind) in d.Identifiers)
                kinds[column] = Enum.TryParse<IdentifierKind>(kind, ignoreCase: true, out var k) && Enum.IsDefined(k) && !char.IsDigit(kind[0]) ? k
                    : throw new PlanException(Path, $"{at}.identifiers.{column}", $"'{kind}' is not an identifier kind (ssn, firstName, lastName, dateOfBirth, sex, recordId)");
            TableSchema inferred;
            try { inferred = SchemaInference.Infer(data, new InferenceOptions { Name = d.Name, IdentifierKinds = kinds }).Schema; }
            catch (QueryException e) { throw new PlanException(Path, $"{at}.identifiers", e.Message); }
            return new PlanSource(d.Name, data, inferred, terms, [data, terms]);
        }
        string schema = Existing(d.Schema, d.Name + ".schema.json", "schema");
        return new PlanSource(d.Name, data, TableSchema.Load(schema), terms, [data, schema, terms]);
    }

    /// <summary>The join request of the plan's join <paramref name="index"/>.</summary>
    public JoinRequest Join(int index) => PlanChecks.JoinRequest(Path, Plan, index);

    /// <summary>The aggregate request of the plan's query <paramref name="index"/>.</summary>
    public AggregateRequest Request(int index)
    {
        var q = Plan.Queries[index];
        return new AggregateRequest
        {
            Dataset = q.Dataset, Statistics = q.Statistics.Select(StatisticKinds.Parse).ToArray(), Columns = q.AllColumns, GroupBy = q.GroupBy,
            Filter = q.Filter, Weight = q.Weight, WeightKind = q.WeightKind is { } k ? WeightKinds.Parse(k) : null, Epsilon = q.Epsilon,
            Bins = q.Bins, Probabilities = q.Probabilities,
        };
    }

    static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

/// <summary>A dataset of a plan, resolved: its data file, schema (read or drafted), terms file, and the files the
/// disclosure-review packet hashes.</summary>
public sealed record PlanSource(string Name, string DataFile, TableSchema Schema, string TermsFile, IReadOnlyList<string> Files)
{
    /// <summary>Reads and checks the data file against the schema (every problem with file, line and column) and holds
    /// it under the terms: the contributor the study shares.</summary>
    public Contributor Contributor() => Contributors.From(DataFile, Schema, DataUseTerms.Load(TermsFile), Files);
}
