using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Smpc.Analytics.Reporting;

namespace Smpc.Analytics.Reporting.Tests;

public sealed class WriterTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "smpc-report-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    static StudyReport WithChart() => Samples.Report(Samples.Released(chart: ChartRequest.HeatmapOf("count", "Era × band", "band", "era")), Samples.Refused());

    [Fact]
    public void The_html_report_marks_suppressed_cells_shows_refusals_and_draws_charts_offline()
    {
        var figures = new RecordingFigures();
        var writer = new HtmlReportWriter(figures);
        var report = WithChart();
        var html = writer.Render(report, [.. report.Releases.Select(r => ReportCharts.For(r, figures)).OfType<ReportFigure>()]);

        Assert.Equal(2, Regex.Matches(html, "class=\"smpc-suppressed\"[^>]*>suppressed \\(").Count);
        Assert.Contains("suppressed (cell size &lt; 20)", html);
        Assert.Contains("<b>Refused</b> (AllowedOperations)", html);
        // One chart, in the markup scripts/check-charts.py looks for, and plotly.js inlined once, never from a CDN.
        Assert.Single(Regex.Matches(html, "<div id=\"smpc-chart-[0-9a-f]+\" class=\"smpc-chart\" data-chart-kind=\"heatmap\""));
        Assert.Single(Regex.Matches(html, Regex.Escape(figures.PlotlyJs)));
        Assert.DoesNotContain("cdn.", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script src=", html);
        // Threat model, leakage summary, reproducibility, check outcomes.
        Assert.Contains("Semi-honest, honest majority.", html);
        Assert.Contains("Leakage summary", html);
        Assert.Contains("<code>smpc study run</code>", html);
        Assert.Contains("not checked: suppressed", html);
        Assert.Contains(new string('a', 64), html);
    }

    [Fact]
    public void Text_from_the_study_is_escaped()
    {
        var report = Samples.Report(Samples.Released() with { Title = "<script>alert(1)</script>" });
        var html = new HtmlReportWriter(null).Render(report, []);
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script", html);   // no figure builder, no charts: no script at all
    }

    [Fact]
    public void The_json_packet_has_nulls_for_suppressed_cells_reveals_by_audience_and_refusal_rules()
    {
        using var doc = JsonDocument.Parse(PacketJsonWriter.Render(Samples.Report()));
        var root = doc.RootElement;
        Assert.Equal(PacketJsonWriter.Format, root.GetProperty("format").GetString());
        var releases = root.GetProperty("releases").EnumerateArray().ToArray();
        var rows = releases[0].GetProperty("table").GetProperty("rows").EnumerateArray().ToArray();
        var suppressed = rows.Where(r => r.GetProperty("status").GetString() == "suppressed").ToArray();
        Assert.Equal(2, suppressed.Length);
        Assert.All(suppressed, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("values").ValueKind));
        Assert.Equal("cell size < 20", suppressed[1].GetProperty("rule").GetString());
        Assert.Equal(14, releases[0].GetProperty("revealedToAnalyst")[0].GetProperty("elements").GetInt32());
        Assert.Equal(9, releases[0].GetProperty("revealedToComputeParties")[0].GetProperty("elements").GetInt32());
        Assert.Equal("refused", releases[1].GetProperty("outcome").GetString());
        Assert.Equal("AllowedOperations", releases[1].GetProperty("refusedBy").GetString());
        Assert.Equal(JsonValueKind.Null, releases[1].GetProperty("table").ValueKind);
        Assert.Equal(new string('a', 64), root.GetProperty("datasets")[0].GetProperty("files")[0].GetProperty("sha256").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("linkages")[0].GetProperty("matchCounts")[1].GetProperty("count").ValueKind);
        Assert.Equal(20, root.GetProperty("datasets")[0].GetProperty("terms").GetProperty("minCellSize").GetInt32());
        Assert.True(root.GetProperty("checksPassed").GetBoolean());
        Assert.Equal("notReleased", root.GetProperty("checks")[1].GetProperty("outcome").GetString());
        // Totals add the linkage and the releases.
        Assert.Equal((1 << 20) + 2048, root.GetProperty("totals").GetProperty("bytes").GetInt64());
    }

    [Fact]
    public void The_markdown_packet_lists_files_releases_refusals_and_reveals()
    {
        var md = PacketMarkdownWriter.Render(Samples.Report());
        Assert.Contains("| `data/bank.csv` | data | 123 | `" + new string('a', 64) + "` |", md);
        Assert.Contains("**Refused** (AllowedOperations)", md);
        Assert.Contains("*suppressed (cell size < 20)*", md);
        Assert.Contains("| name + dob | last_name + first_name + dob | bank | suppressed |", md);
        Assert.Contains("to the compute parties: 18,000 values — linkage pass 'ssn': shuffled pseudonyms", md);
    }

    [Fact]
    public void Written_files_are_listed_in_SHA256SUMS_with_their_real_hashes_and_a_changed_file_is_caught()
    {
        var written = new ReportWriter(new RecordingFigures()).Write(WithChart(), _dir);
        string[] expected = ["figures/R01.json", ReportWriter.ReportHtml, ReportWriter.PacketJson, ReportWriter.PacketMarkdown];
        var lines = File.ReadAllLines(written.Manifest);
        Assert.Equal(expected, lines.Select(l => l[66..]).ToArray());
        foreach (var line in lines)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_dir, line[66..]))));
            Assert.Equal(hash, line[..64]);
        }
        Assert.Empty(Manifest.Verify(_dir, ReportWriter.ManifestSums));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));

        File.AppendAllText(written.PacketJson, " ");
        File.Delete(Path.Combine(_dir, "figures", "R01.json"));
        var problems = Manifest.Verify(_dir, ReportWriter.ManifestSums);
        Assert.Contains($"{ReportWriter.PacketJson}: SHA-256 differs from the manifest", problems);
        Assert.Contains("figures/R01.json: missing", problems);
    }

    [Fact]
    public void Rewriting_into_the_same_folder_drops_figures_of_releases_that_are_gone()
    {
        var writer = new ReportWriter(new RecordingFigures());
        writer.Write(WithChart(), _dir);
        writer.Write(Samples.Report(), _dir);   // no chart requested this time
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, ReportWriter.FiguresFolder)));
        Assert.Empty(Manifest.Verify(_dir, ReportWriter.ManifestSums));
    }

    [Fact]
    public void Duplicate_release_ids_are_refused_before_anything_is_written()
    {
        var error = Assert.Throws<ArgumentException>(() => new ReportWriter(null).Write(Samples.Report(Samples.Released("R01"), Samples.Refused("R01")), _dir));
        Assert.Contains("'R01'", error.Message);
        Assert.False(Directory.Exists(_dir));
    }
}
