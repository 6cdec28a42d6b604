using System.Text;

namespace Smpc.Analytics.Reporting;

/// <summary>The files of one written report, with their digests.</summary>
public sealed record WrittenReport(string Folder, string ReportHtml, string PacketJson, string PacketMarkdown, string Manifest, IReadOnlyList<FileDigest> Files);

/// <summary>
/// Writes a study's outputs into one folder: <c>report.html</c> (the report, charts drawn offline),
/// <c>disclosure-review.json</c> and <c>disclosure-review.md</c> (the packet), <c>figures/&lt;id&gt;.json</c> (each chart's
/// plotly figure) and <c>SHA256SUMS</c>, the SHA-256 of every other file. Files are written to a temporary name first
/// and moved into place, so an interrupted run never leaves a half-written report that the manifest vouches for.
/// </summary>
public sealed class ReportWriter(IFigureBuilder? figures)
{
    public const string ReportHtml = "report.html";
    public const string PacketJson = "disclosure-review.json";
    public const string PacketMarkdown = "disclosure-review.md";
    public const string ManifestSums = "SHA256SUMS";
    public const string FiguresFolder = "figures";
    public const string TransparencyLog = "transparency-log.json";

    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Builds the figures of every release that asks for a chart (none without a figure builder).</summary>
    public IReadOnlyList<ReportFigure> Figures(StudyReport report) =>
        figures is null ? [] : report.Releases.Select(r => ReportCharts.For(r, figures)).OfType<ReportFigure>().ToList();

    public WrittenReport Write(StudyReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var dup in report.Releases.GroupBy(r => r.Id).Where(g => g.Count() > 1))
            throw new ArgumentException($"Two releases share the id '{dup.Key}'; ids name anchors and figure files and must be unique.", nameof(report));
        var built = Figures(report);
        Directory.CreateDirectory(folder);
        var files = new List<FileDigest>();
        void Put(string name, string text, string role)
        {
            var target = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temp = target + ".tmp";
            File.WriteAllText(temp, text, Utf8);
            File.Move(temp, target, overwrite: true);
            files.Add(Manifest.Digest(target, name.Replace('\\', '/'), role));
        }

        var figureDir = Path.Combine(folder, FiguresFolder);
        if (Directory.Exists(figureDir)) foreach (var old in Directory.GetFiles(figureDir, "*.json")) File.Delete(old);
        foreach (var f in built) Put($"{FiguresFolder}/{f.ReleaseId}.json", f.Json + "\n", $"plotly figure of {f.ReleaseId}");
        if (report.TransparencyLogJson is { } log) Put(TransparencyLog, log.TrimEnd() + "\n", "transparency log (every release and refusal, signed tree heads)");
        Put(ReportHtml, new HtmlReportWriter(figures).Render(report, built), "report");
        Put(PacketJson, PacketJsonWriter.Render(report), "disclosure-review packet (JSON)");
        var listed = files.Append(new FileDigest(PacketMarkdown, "disclosure-review packet (Markdown)", 0, "")).ToDictionary(f => f.Path);
        Put(PacketMarkdown, PacketMarkdownWriter.Render(report, listed), "disclosure-review packet (Markdown)");
        Put(ManifestSums, Manifest.Render(files), "manifest");
        return new WrittenReport(Path.GetFullPath(folder), Path.GetFullPath(Path.Combine(folder, ReportHtml)), Path.GetFullPath(Path.Combine(folder, PacketJson)),
                                 Path.GetFullPath(Path.Combine(folder, PacketMarkdown)), Path.GetFullPath(Path.Combine(folder, ManifestSums)), files);
    }
}
