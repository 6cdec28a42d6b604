using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Smpc.Analytics;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Reporting;
using Smpc.Analytics.Studies.Plans;
using Smpc.Analytics.Session;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Transport;
using Smpc.Cli.Study;
using System.Text.Json;

namespace Smpc.Cli.Commands;

/// <summary>
/// The main job: a study plan (<c>--plan</c>; default the veterans' financial well-being study,
/// data/synthetic/veterans-study.plan.json) on the embedded default (three compute parties in this process) or on three
/// party processes (<c>--config study.json</c>); its report, disclosure-review packet and SHA256SUMS; checks against
/// the ground truth when the plan names a truth file. Exit code 0 when every check passed, 1 when a check failed, 2 on
/// bad input (the plan's problems name the file and the JSON path, before anything runs).
/// </summary>
internal static class StudyRun
{
    /// <summary>The plan <c>smpc study run</c> runs without --plan, under data/synthetic.</summary>
    public const string DefaultPlan = "veterans-study.plan.json";

    public static int Execute(DirectoryInfo output, DirectoryInfo? data, string[] tokens, FileInfo? planPath = null, FileInfo? config = null, FileInfo? connect = null)
    {
        if (config is not null && connect is not null) { Console.Error.WriteLine("study run: give --config (party processes driven by this one) or --connect (party services), not both."); return 2; }
        if (connect is not null && !connect.Exists) { Console.Error.WriteLine($"study run: --connect '{connect.FullName}' does not exist."); return 2; }
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        if (File.Exists(output.FullName)) { Console.Error.WriteLine($"study run: --out '{output.FullName}' is a file, not a folder."); return 2; }
        if (data is not null && !data.Exists) { Console.Error.WriteLine($"study run: --data '{data.FullName}' does not exist."); return 2; }
        if (config is not null && !config.Exists) { Console.Error.WriteLine($"study run: --config '{config.FullName}' does not exist."); return 2; }
        StudyCredentials? credentials = null;
        try
        {
            var file = StudyPlanFile.Load(planPath?.FullName ?? Locate(data));
            var plan = file.Plan;
            var sources = file.Resolve(data?.FullName);
            string folder = file.DataFolder(data?.FullName), display = Display(folder);
            var truth = file.TruthFile is { } t ? new GroundTruth(JsonDocument.Parse(File.ReadAllText(t)).RootElement) : null;
            string? remote = config?.FullName ?? file.RemoteConfig;

            Console.WriteLine(plan.Title);
            SecureStudy opened;
            var uploaded = new Dictionary<string, long>(StringComparer.Ordinal);   // dataset → rows the three parties acknowledged
            if (connect is not null)
            {
                var studyConfig = StudyConfig.Load(connect.FullName);
                Console.WriteLine($"Three compute party services of study '{studyConfig.Study}' ({Display(connect.FullName)}), over mutually authenticated TLS; data: {display}");
                foreach (var source in sources) uploaded[source.Name] = Upload(studyConfig, source);
                opened = SecureStudy.Connect(connect.FullName, StudyCredentials.Load(studyConfig, StudyMember.Analyst), TimeSpan.FromSeconds(60));
            }
            else if (remote is null)
            {
                Console.WriteLine($"Embedded default: three compute party services in this process (in-memory links), each running the study on its own shares; data: {display}");
                opened = SecureStudy.Embedded(plan.Name, plan.Analyst, UploadPseudonymiser(file));
            }
            else
            {
                var studyConfig = StudyConfig.Load(remote);
                credentials = StudyCredentials.Load(studyConfig, StudyMember.Analyst);
                Console.WriteLine($"Three compute party processes of study '{studyConfig.Study}' ({Display(remote)}), over mutually authenticated TLS; data: {display}");
                opened = new SecureStudy(plan.Name, RemoteEngine.Connect(studyConfig, credentials, TimeSpan.FromSeconds(30)), plan.Analyst);
            }
            using var study = opened;
            foreach (var source in sources)
                if (study.IsConnected)   // uploaded above: listed for the report from the files, without reading the data again
                    study.Contributed(source.Schema, DataUseTerms.Load(source.TermsFile), checked((int)uploaded[source.Name]), [.. source.Files.Select(DatasetFile.Of)]);
                else study.Contribute(source.Contributor());
            Console.WriteLine(study.IsEmbedded || study.IsConnected
                ? "Contributors: each read its file against its schema, pseudonymised its identifiers and secret-shared its rows, each party receiving only its own share file"
                : "Contributors: each read its file against its schema and secret-shared its analysis columns under its own terms");
            foreach (var d in study.Datasets) Console.WriteLine($"  {d.Name}: {d.RowCount:N0} rows, {d.Table.Columns.Count} shared columns");
            Console.WriteLine("Linkages and queries:");
            var record = new StudyLog(plan.Name);
            var steps = new StudySteps(study, Console.Out, record);
            PlanRunner.Run(steps, file);

            var datasets = study.Datasets.Where(d => d.IsContributed).Select(d => StudyResults.Dataset(d, Directory.GetCurrentDirectory())).ToArray();
            var checks = truth?.Check(steps.Releases, steps.Linkages, datasets) ?? [];
            var figures = new PlotlyFigures();
            string pseudonyms = steps.Linkages.FirstOrDefault()?.Pseudonymisation ?? "none";
            var narrative = new List<ReportSection>();
            if (plan.Background.Count > 0) narrative.Add(new ReportSection("Background", plan.Background.Select(p => p.Replace("{data}", display, StringComparison.Ordinal)).ToArray()));
            narrative.Add(StudyText.Findings(steps.Releases, steps.Linkages));
            var report = new StudyReport
            {
                Title = plan.Title, StudyId = plan.Name, Question = plan.Question, Narrative = narrative,
                Methods = StudyText.Methods(plan.Methods, pseudonyms, steps.Linkages.FirstOrDefault()?.Passes.Count ?? 0),
                ThreatModel = plan.ThreatModel.Count > 0 ? plan.ThreatModel : StudyText.ThreatModel,
                Datasets = datasets, Linkages = steps.Linkages, Releases = record.WithProofs(steps.Releases), Checks = checks,
                TransparencyLogJson = record.ExportJson(),
                Reproducibility = Reproducibility(tokens, started, clock.Elapsed, study.Engine, figures, truth, folder),
            };
            var written = new ReportWriter(figures).Write(report, output.FullName);

            int failed = checks.Count(c => c.Failed), withheld = checks.Count(c => c.Outcome == CheckOutcome.NotReleased);
            if (truth is null) Console.WriteLine("Ground truth: none named by the plan; no checks.");
            else Console.WriteLine(failed == 0
                ? $"Ground truth: {checks.Count(c => c.Passed)} of {checks.Count} checks passed{(withheld > 0 ? $", {withheld} not checked (the number was suppressed)" : "")}."
                : $"Ground truth: {failed} of {checks.Count} checks FAILED:");
            foreach (var c in checks.Where(c => c.Failed))
                Console.WriteLine($"  {c.What}: expected {Html.Number(c.Expected)} ± {Html.Number(c.Tolerance)}, released {(c.Actual is { } v ? Html.Number(v) : "nothing")}");
            Console.WriteLine($"Report: {written.ReportHtml}");
            Console.WriteLine($"Disclosure-review packet: {written.PacketJson} and {written.PacketMarkdown}");
            Console.WriteLine($"Manifest (SHA-256 of every output file): {written.Manifest}");
            return failed == 0 ? 0 : 1;
        }
        catch (Exception e) when (e is SmpcException or IOException or UnauthorizedAccessException or JsonException)
        {
            Console.Error.WriteLine($"study run: {e.Message}");
            return 2;
        }
        finally { credentials?.Dispose(); }
    }

    /// <summary>Uploads one plan dataset to the party services as its steward (smpc contribute): the contributor certificate
    /// named after the dataset, or the study's only one; the contributors' key of study.json unless the study uses the OPRF.</summary>
    static long Upload(StudyConfig config, PlanSource source)
    {
        var name = config.Contributors.Any(c => c.Name == source.Name) ? source.Name
            : config.Contributors.Count == 1 ? config.Contributors[0].Name
            : throw new SmpcException($"study.json has no contributor certificate for dataset '{source.Name}' (contributors: {(config.Contributors.Count == 0 ? "none" : string.Join(", ", config.Contributors.Select(c => c.Name)))}); issue them with smpc certs --contributors.");
        using var contributor = StudyCredentials.Load(config, StudyMember.ContributorNamed(name));
        var upload = Smpc.Analytics.Studies.Store.DatasetUpload.Run(config, contributor, source.Name, source.DataFile, source.Schema, DataUseTerms.Load(source.TermsFile),
            ContributeCommand.PseudonymKey(config, null), new Smpc.Analytics.Studies.Store.UploadOptions { Timeout = TimeSpan.FromSeconds(60) });
        Console.WriteLine($"  uploaded {source.Name}: {upload.Rows:N0} rows {(upload.WasAlreadyCommitted ? "(already committed)" : "committed")} at the three parties, upload {upload.UploadId[..12]}…");
        return upload.Rows;
    }

    /// <summary>The embedded party services pseudonymise at upload with one scheme, as a study.json does: the OPRF when the
    /// plan's joins ask for it, else the keyed hash. A plan that asks for both is refused before anything runs.</summary>
    static PseudonymiserKind UploadPseudonymiser(StudyPlanFile file)
    {
        var kinds = Enumerable.Range(0, file.Plan.Joins.Count).Select(i => file.Join(i).Pseudonymiser).Distinct().ToArray();
        if (kinds.Length > 1)
            throw new PlanException(file.Path, "$.joins", "the joins ask for both the keyed hash and the OPRF; on the embedded party services the contributors pseudonymise " +
                                                          "at upload with one scheme (as a study.json's \"pseudonymiser\"): give every join the same pseudonymiser");
        return kinds.Length == 1 ? kinds[0] : PseudonymiserKind.KeyedHash;
    }

    /// <summary>The default plan: in the --data folder when it holds one, else data/synthetic/veterans-study.plan.json
    /// found by walking up from the working directory.</summary>
    static string Locate(DirectoryInfo? data)
    {
        if (data is not null && File.Exists(Path.Combine(data.FullName, DefaultPlan))) return Path.Combine(data.FullName, DefaultPlan);
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "synthetic", DefaultPlan);
            if (File.Exists(candidate)) return candidate;
        }
        throw new PlanException(DefaultPlan, "$", $"no data/synthetic/{DefaultPlan} in '{Directory.GetCurrentDirectory()}' or above it; run from the repository or pass --plan");
    }

    /// <summary>A folder as the report shows it: relative to the working directory when inside it.</summary>
    static string Display(string folder)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), folder);
        return (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? folder : relative).Replace('\\', '/');
    }

    static Reproducibility Reproducibility(string[] tokens, DateTimeOffset started, TimeSpan elapsed, IComputeEngine engine, PlotlyFigures figures, GroundTruth? truth, string folder)
    {
        static string Version(Assembly a) => a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? a.GetName().Version?.ToString() ?? "unknown";
        var plotly = typeof(Smpc.Charts.Figures).Assembly.GetReferencedAssemblies().FirstOrDefault(n => n.Name == "Plotly.NET");
        return new Reproducibility
        {
            Command = "dotnet run -c Release --project src/Smpc.Cli -- " + string.Join(' ', tokens.Select(Quote)),
            Seeds = Seeds(truth),
            Versions = new Dictionary<string, string>
            {
                ["Smpc.Analytics"] = Version(typeof(SecureEngine).Assembly),
                ["Smpc.Analytics.Reporting"] = Version(typeof(ReportWriter).Assembly),
                ["smpc"] = Version(typeof(StudyRun).Assembly),
                ["Plotly.NET"] = plotly?.Version?.ToString() ?? "unknown",
                ["plotly.js (inlined)"] = figures.PlotlyJsVersion,
                [".NET"] = RuntimeInformation.FrameworkDescription,
            },
            StartedAt = started, Duration = elapsed, Engine = engine.Name,
            Environment = new Dictionary<string, string>
            {
                ["operating system"] = RuntimeInformation.OSDescription,
                ["processors"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["git commit"] = GitCommit(folder),
                ["ground-truth format"] = truth?.Text("format_version") ?? "none (the plan names no truth file)",
            },
        };
    }

    static Dictionary<string, string> Seeds(GroundTruth? truth)
    {
        var seeds = new Dictionary<string, string>();
        if (truth?.Text("generator.seed") is { } seed) seeds["synthetic data"] = $"{seed} ({truth.Text("generator.command")})";
        seeds["pseudonymisation key and share randomness"] = "fresh from the operating system's random number generator on every run; " +
            "released values do not depend on it beyond each mean's stated fixed-point error bound";
        return seeds;
    }

    static string Quote(string s) => s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || "-_./=:".Contains(c)) ? s : $"'{s.Replace("'", "'\\''")}'";

    /// <summary>The commit of the repository holding the data folder, or "unknown" (no git, not a repository).</summary>
    static string GitCommit(string folder)
    {
        try
        {
            var info = new ProcessStartInfo("git", ["-C", folder, "rev-parse", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var git = Process.Start(info);
            if (git is null) return "unknown";
            var text = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit(5000);
            var dirty = git.ExitCode == 0 && Status(folder) ? " (with uncommitted changes)" : "";
            return git.ExitCode == 0 && text.Length == 40 ? text + dirty : "unknown";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException) { return "unknown"; }
    }

    static bool Status(string folder)
    {
        var info = new ProcessStartInfo("git", ["-C", folder, "status", "--porcelain", "--untracked-files=no"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var git = Process.Start(info);
        if (git is null) return false;
        var text = git.StandardOutput.ReadToEnd();
        git.WaitForExit(5000);
        return text.Trim().Length > 0;
    }
}
