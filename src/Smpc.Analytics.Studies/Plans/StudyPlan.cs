namespace Smpc.Analytics.Studies.Plans;

/// <summary>
/// A study described in a file (<c>smpc study run --plan FILE</c>): its datasets, the joins that link them, the
/// questions as named queries with titles and charts, the narrative written from released cells, the introduction and
/// methods text, and an optional ground-truth file. Every property has a default, so a field a file leaves out keeps
/// it; <see cref="StudyPlanFile.Load"/> reads and checks a plan, and <see cref="StudyPlanFile.Validate"/> checks its
/// datasets and columns before anything runs. The format is documented in docs/plans.md.
/// </summary>
public sealed class StudyPlan
{
    /// <summary>The format written in the file; only <see cref="CurrentFormat"/> is read.</summary>
    public const string CurrentFormat = "smpc-study-plan/1";

    public string Format { get; set; } = CurrentFormat;

    /// <summary>Study identifier (letters, digits, '-', '_'): the packet's study and the transparency log's.</summary>
    public string Name { get; set; } = "";

    public string Title { get; set; } = "";

    /// <summary>The research question in one or two sentences.</summary>
    public string Question { get; set; } = "";

    /// <summary>The analyst's account the data-use terms' allowedAnalysts are checked against.</summary>
    public string Analyst { get; set; } = "study-analyst";

    /// <summary>The folder of the data files, relative to the plan file.</summary>
    public string Data { get; set; } = ".";

    /// <summary>A study.json of three compute parties (relative to the plan file) to run on instead of the embedded
    /// default; <c>--config</c> overrides it.</summary>
    public string? Remote { get; set; }

    /// <summary>A plaintext ground-truth file (relative to the plan file): the report then carries checks against it.</summary>
    public string? Truth { get; set; }

    public List<PlanDataset> Datasets { get; set; } = [];
    public List<PlanJoin> Joins { get; set; } = [];
    public List<PlanQuery> Queries { get; set; } = [];

    /// <summary>The introduction's paragraphs; "{data}" is replaced by the data folder as the report shows it.</summary>
    public List<string> Background { get; set; } = [];

    /// <summary>Methods sections; empty: the toolkit's own description. "{pseudonymisation}" and "{passes}" are
    /// replaced by the first linkage's pseudonymisation and number of passes.</summary>
    public List<PlanSection> Methods { get; set; } = [];

    /// <summary>Threat-model statements; empty: the toolkit's own.</summary>
    public List<string> ThreatModel { get; set; } = [];
}

/// <summary>A contributed dataset: its data file, schema and data-use terms (each relative to the plan's data folder).</summary>
public sealed class PlanDataset
{
    public string Name { get; set; } = "";

    /// <summary>The data file (CSV, Arrow IPC, Parquet); default: NAME with one of the supported extensions.</summary>
    public string? File { get; set; }

    /// <summary>The schema; default NAME.schema.json. Ignored with <see cref="InferSchema"/>.</summary>
    public string? Schema { get; set; }

    /// <summary>The data-use terms; default NAME.terms.json.</summary>
    public string? Terms { get; set; }

    /// <summary>Draft the schema from the file (<see cref="SchemaInference"/>) instead of reading one.</summary>
    public bool InferSchema { get; set; }

    /// <summary>With <see cref="InferSchema"/>: identifier columns and their kinds (ssn, firstName, lastName, dateOfBirth, sex, recordId).</summary>
    public Dictionary<string, string> Identifiers { get; set; } = [];
}

/// <summary>A linkage of contributed datasets (<see cref="JoinRequest"/>); it runs just before the first query on it.</summary>
public sealed class PlanJoin
{
    /// <summary>The joined dataset's name; default: the dataset names joined by '_'.</summary>
    public string? Name { get; set; }

    /// <summary>Contributed datasets, base first.</summary>
    public List<string> Datasets { get; set; } = [];

    /// <summary>Linkage passes in order (ssn, demographic, name-dob, name-dob-sex; fuzzy last).</summary>
    public List<string> Passes { get; set; } = ["ssn", "demographic"];

    /// <summary>With a fuzzy pass: the Dice coefficient it needs (default 0.85).</summary>
    public double? Threshold { get; set; }

    /// <summary>inner or left.</summary>
    public string Kind { get; set; } = "inner";

    public string Pseudonymiser { get; set; } = "keyed-hash";

    /// <summary>keep-first or reject.</summary>
    public string Duplicates { get; set; } = "keep-first";

    /// <summary>Notes for the report's linkage section.</summary>
    public List<string> Notes { get; set; } = [];
}

/// <summary>One question: an aggregate on a dataset (<see cref="AggregateRequest"/>), its title, chart and narrative.</summary>
public sealed class PlanQuery
{
    /// <summary>The release's id in the report; default R01, R02, … in plan order.</summary>
    public string? Id { get; set; }

    public string Title { get; set; } = "";
    public string Dataset { get; set; } = "";
    public List<string> Statistics { get; set; } = ["count"];

    /// <summary>The summarised column (shorthand for one <see cref="Columns"/> entry).</summary>
    public string? Column { get; set; }

    /// <summary>Summarised columns: for OLS the response first; for a correlation two.</summary>
    public List<string> Columns { get; set; } = [];

    public List<string> GroupBy { get; set; } = [];
    public string? Filter { get; set; }
    public List<double> Bins { get; set; } = [];
    public List<double> Probabilities { get; set; } = [];
    public string? Weight { get; set; }

    /// <summary>frequency, analytic or probability; required with <see cref="Weight"/>.</summary>
    public string? WeightKind { get; set; }

    public double? Epsilon { get; set; }

    /// <summary>auto, none, bar, histogram, heatmap, box, regression.</summary>
    public string Chart { get; set; } = "auto";

    /// <summary>The value column to draw, e.g. "mean(balance)"; default the last statistic column.</summary>
    public string? Value { get; set; }

    /// <summary>An OLS fit drawn as fitted lines at chosen values of one covariate.</summary>
    public PlanFitChart? FitChart { get; set; }

    /// <summary>Sentences with templates filled from the released cells (<see cref="NarrativeTemplate"/>); a sentence
    /// whose cell is suppressed is left out.</summary>
    public List<string> Narrative { get; set; } = [];

    /// <summary>All columns of the request (<see cref="Column"/> first).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> AllColumns => Column is null ? Columns : [Column, .. Columns];
}

/// <summary>Fitted lines of an OLS release: response = intercept + b(x)·x + b(at)·value, one line per value of <see cref="At"/>.</summary>
public sealed class PlanFitChart
{
    public string X { get; set; } = "";
    public string At { get; set; } = "";
    public List<double> Values { get; set; } = [];
    public double XMin { get; set; }
    public double XMax { get; set; } = 1;
    public string? Title { get; set; }
    public string? XTitle { get; set; }
    public string? YTitle { get; set; }
}

/// <summary>A heading and its paragraphs.</summary>
public sealed class PlanSection
{
    public string Heading { get; set; } = "";
    public List<string> Paragraphs { get; set; } = [];
}
