using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Smpc.Analytics;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Reporting;
using Smpc.Cli.Study;

namespace Smpc.Cli.Commands;

/// <summary>
/// The main job: the veterans' financial well-being study on the embedded default (three compute parties in this
/// process) over the committed synthetic agencies; its report and disclosure-review packet; a check of its key
/// numbers against the ground truth. Exit code 0 when every check passed, 1 when a check failed, 2 on bad input.
/// </summary>
internal static class StudyRun
{
    const string Analyst = "study-analyst";

    /// <param name="config">A study.json of three <c>smpc party --serve</c> processes to run on instead of this process.</param>
    public static int Execute(DirectoryInfo output, DirectoryInfo? data, string[] tokens, FileInfo? config = null)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        string folder;
        try { folder = Locate(data); }
        catch (DirectoryNotFoundException e) { Console.Error.WriteLine($"study run: {e.Message}"); return 2; }
        if (File.Exists(output.FullName)) { Console.Error.WriteLine($"study run: --out '{output.FullName}' is a file, not a folder."); return 2; }
        string display = Display(folder);
        try
        {
            Console.WriteLine($"{StudyText.Title}");
            Console.WriteLine(config is null
                ? $"Embedded default: three compute parties in this process (in-memory links); data: {display}"
                : $"Three compute party processes of {config.FullName} (TLS 1.3); data: {display}");
            using var study = config is null
                ? SecureStudy.OpenSynthetic(folder, StudyText.StudyId, new SecureEngine(), Analyst)
                : SecureStudy.OpenRemote(config.FullName, "synthetic", folder: folder, name: StudyText.StudyId, connectTimeout: TimeSpan.FromSeconds(120), analyst: Analyst);
            Console.WriteLine("Contributors: each agency read its file against its schema and secret-shared its analysis columns under its own terms");
            foreach (var d in study.Datasets) Console.WriteLine($"  {d.Name}: {d.RowCount:N0} rows, {d.Table.Columns.Count} shared columns");
            Console.WriteLine("Linkages and queries:");
            var record = new StudyLog(StudyText.StudyId);
            var steps = new StudySteps(study, Console.Out, record);
            VeteransStudy.Run(steps);

            var datasets = study.Datasets.Where(d => d.IsContributed).Select(d => StudyResults.Dataset(d, Directory.GetCurrentDirectory())).ToArray();
            var truth = new GroundTruth(study.GroundTruth?.Json ?? throw new DirectoryNotFoundException($"'{folder}' has no truth/ground-truth.json."));
            var checks = truth.Check(steps.Releases, steps.Linkages, datasets);
            var figures = new PlotlyFigures();
            string pseudonyms = steps.Linkages.FirstOrDefault()?.Pseudonymisation ?? "none";
            var report = new StudyReport
            {
                Title = StudyText.Title, StudyId = StudyText.StudyId, Question = StudyText.Question,
                Narrative = [StudyText.Background(display), StudyText.Findings(steps.Releases, steps.Linkages)],
                Methods = StudyText.Methods(pseudonyms, steps.Linkages.FirstOrDefault()?.Passes.Count ?? 0), ThreatModel = StudyText.ThreatModel,
                Datasets = datasets, Linkages = steps.Linkages, Releases = record.WithProofs(steps.Releases), Checks = checks,
                TransparencyLogJson = record.ExportJson(),
                Reproducibility = Reproducibility(tokens, started, clock.Elapsed, study.Engine, figures, truth, folder),
            };
            var written = new ReportWriter(figures).Write(report, output.FullName);

            int failed = checks.Count(c => c.Failed), withheld = checks.Count(c => c.Outcome == CheckOutcome.NotReleased);
            Console.WriteLine(failed == 0
                ? $"Ground truth: {checks.Count(c => c.Passed)} of {checks.Count} checks passed{(withheld > 0 ? $", {withheld} not checked (the number was suppressed)" : "")}."
                : $"Ground truth: {failed} of {checks.Count} checks FAILED:");
            foreach (var c in checks.Where(c => c.Failed))
                Console.WriteLine($"  {c.What}: expected {Html.Number(c.Expected)} ± {Html.Number(c.Tolerance)}, released {(c.Actual is { } v ? Html.Number(v) : "nothing")}");
            Console.WriteLine($"Report: {written.ReportHtml}");
            Console.WriteLine($"Disclosure-review packet: {written.PacketJson} and {written.PacketMarkdown}");
            Console.WriteLine($"Manifest (SHA-256 of every output file): {written.Manifest}");
            return failed == 0 ? 0 : 1;
        }
        catch (Exception e) when (e is SmpcException or IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"study run: {e.Message}");
            return 2;
        }
    }

    /// <summary>The data folder: --data, or data/synthetic found by walking up from the working directory.</summary>
    static string Locate(DirectoryInfo? data)
    {
        static bool Holds(string dir) => SyntheticAgencies.Files.All(n => File.Exists(Path.Combine(dir, n + ".csv")))
                                          && File.Exists(Path.Combine(dir, "truth", "ground-truth.json"));
        if (data is not null)
            return Holds(data.FullName) ? data.FullName
                : throw new DirectoryNotFoundException($"--data '{data.FullName}' does not hold the synthetic agencies ({string.Join(", ", SyntheticAgencies.Files.Select(n => n + ".csv"))} and truth/ground-truth.json).");
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "synthetic");
            if (Holds(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"No data/synthetic folder above '{Directory.GetCurrentDirectory()}'; run from the repository or pass --data.");
    }

    /// <summary>A folder as the report shows it: relative to the working directory when inside it.</summary>
    static string Display(string folder)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), folder);
        return (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? folder : relative).Replace('\\', '/');
    }

    static Reproducibility Reproducibility(string[] tokens, DateTimeOffset started, TimeSpan elapsed, IComputeEngine engine, PlotlyFigures figures, GroundTruth truth, string folder)
    {
        static string Version(Assembly a) => a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? a.GetName().Version?.ToString() ?? "unknown";
        var plotly = typeof(Smpc.Charts.Figures).Assembly.GetReferencedAssemblies().FirstOrDefault(n => n.Name == "Plotly.NET");
        return new Reproducibility
        {
            Command = "dotnet run -c Release --project src/Smpc.Cli -- " + string.Join(' ', tokens.Select(Quote)),
            Seeds = new Dictionary<string, string>
            {
                ["synthetic data"] = $"{truth["generator.seed"]} ({truth["generator.command"].GetString()})",
                ["pseudonymisation key and share randomness"] = "fresh from the operating system's random number generator on every run; " +
                    "released values do not depend on it beyond each mean's stated fixed-point error bound",
            },
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
                ["ground-truth format"] = truth["format_version"].ToString(),
            },
        };
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
