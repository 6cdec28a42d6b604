using System.Reflection;
using System.Runtime.InteropServices;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Reporting;

/// <summary>
/// A study's report in one call, from what the study did: every join and release of <see cref="SecureStudy.History"/>
/// in order, the contributed datasets with their file hashes and terms — the same report, disclosure-review packet and
/// SHA256SUMS as <c>smpc study run</c>. For a notebook: after its <c>#!secure-join</c> / <c>#!secure-aggregate</c> cells
/// or C# calls, <c>StudyReports.Write(study, "out/my-study", title, question)</c> writes them, headless as well
/// (jupyter nbconvert --execute, dotnet-repl). Refused queries are not in the history and so not in this report; no
/// ground-truth checks are made (a study that has a truth file checks its numbers itself and sets
/// <see cref="StudyReport.Checks"/>).
/// </summary>
public static class StudyReports
{
    /// <param name="title">The report's title.</param>
    /// <param name="question">The research question.</param>
    /// <param name="releaseTitle">A release's title (default: its query in words).</param>
    /// <param name="narrative">Narrative sections shown before the datasets (background, findings).</param>
    /// <param name="command">How the run is repeated, e.g. the notebook's nbconvert command.</param>
    public static StudyReport From(SecureStudy study, string title, string question, Func<Release, string>? releaseTitle = null,
                                   IReadOnlyList<ReportSection>? narrative = null, string? command = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        var history = study.History;
        var releases = history.OfType<Release>().Select((r, i) => StudyResults.Release($"R{i + 1:00}", releaseTitle?.Invoke(r) ?? r.Query, r)).ToArray();
        var started = history.Count > 0 ? history[0].At : DateTimeOffset.UtcNow;
        string id = new(study.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return new StudyReport
        {
            Title = title, StudyId = id, Question = question, Narrative = narrative ?? [],
            Datasets = study.Datasets.Where(d => d.IsContributed).Select(d => StudyResults.Dataset(d, Directory.GetCurrentDirectory())).ToArray(),
            Linkages = history.OfType<JoinRelease>().Select(j => StudyResults.Linkage(j)).ToArray(),
            Releases = releases,
            Reproducibility = new Reproducibility
            {
                Command = command ?? "the study's notebook or program, run again on the same files",
                StartedAt = started, Duration = DateTimeOffset.UtcNow - started, Engine = study.Engine.Name,
                Seeds = new Dictionary<string, string> { ["pseudonymisation key and share randomness"] = "fresh from the operating system's random number generator on every run" },
                Versions = new Dictionary<string, string>
                {
                    ["Smpc.Analytics"] = Version(typeof(SmpcException).Assembly),
                    ["Smpc.Analytics.Studies"] = Version(typeof(SecureStudy).Assembly),
                    ["Smpc.Analytics.Reporting"] = Version(typeof(ReportWriter).Assembly),
                    [".NET"] = RuntimeInformation.FrameworkDescription,
                },
                Environment = new Dictionary<string, string> { ["operating system"] = RuntimeInformation.OSDescription },
            },
        };
    }

    /// <summary>Writes the study's report, packet and SHA256SUMS into <paramref name="folder"/> (charts drawn with
    /// <paramref name="figures"/>; none without).</summary>
    public static WrittenReport Write(SecureStudy study, string folder, string title, string question, IFigureBuilder? figures = null,
                                      Func<Release, string>? releaseTitle = null, IReadOnlyList<ReportSection>? narrative = null, string? command = null) =>
        new ReportWriter(figures).Write(From(study, title, question, releaseTitle, narrative, command), folder);

    static string Version(Assembly a) => a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? a.GetName().Version?.ToString() ?? "unknown";
}
