using System.Text.Json;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Plans;

namespace Smpc.Analytics.Reporting.Tests.Plans;

/// <summary>
/// A notebook's or program's releases written as a report in one call (<see cref="StudyReports.Write"/>): a secure study
/// of the example files (a join, a mean by district, a median) gives a report and packet whose tables are the releases'
/// own, whose manifest verifies, and which has no checks (no truth file).
/// </summary>
public sealed class StudyReportsTests : IDisposable
{
    readonly string _out = Directory.CreateTempSubdirectory("smpc-report").FullName;

    [Fact]
    public void The_studys_history_becomes_the_report_and_packet()
    {
        var file = StudyPlanFile.Load(Path.Combine(Repo.Root, "data", "examples", "tenants-health.plan.json"));
        using var study = new SecureStudy("notebook study", new SecureEngine(), file.Plan.Analyst);
        foreach (var source in file.Resolve()) study.Contribute(source.Contributor());
        var join = study.Join(file.Join(0));
        var bmi = study.Mean(join.Dataset, "bmi", "district");
        var rent = study.Median(join.Dataset, "monthly_rent");

        var written = StudyReports.Write(study, _out, "Tenants' health (notebook)", "Does BMI differ by district?",
                                         releaseTitle: r => ReferenceEquals(r, bmi) ? "Mean BMI by district" : r.Query);
        Assert.Empty(Manifest.Verify(_out, ReportWriter.ManifestSums));
        using var packet = JsonDocument.Parse(File.ReadAllText(written.PacketJson));
        var root = packet.RootElement;
        Assert.Equal("notebook-study", root.GetProperty("study").GetString());
        Assert.Empty(root.GetProperty("checks").EnumerateArray());
        Assert.Equal(join.Dataset, root.GetProperty("linkages")[0].GetProperty("name").GetString());
        var releases = root.GetProperty("releases").EnumerateArray().ToArray();
        Assert.Equal(["Mean BMI by district", rent.Query], releases.Select(r => r.GetProperty("title").GetString()));
        foreach (var (entry, release) in releases.Zip(new[] { bmi, rent }))
        {
            var rows = entry.GetProperty("table").GetProperty("rows").EnumerateArray().ToArray();
            Assert.Equal(release.RowCount, rows.Length);
            for (int r = 0; r < rows.Length; r++)
            {
                Assert.Equal(release.IsSuppressed(r), rows[r].GetProperty("values").ValueKind == JsonValueKind.Null);
                if (!release.IsSuppressed(r))
                    Assert.Equal(release.ValueColumns.Select(c => release.Value(r, c)), rows[r].GetProperty("values").EnumerateArray().Select(v => (double?)v.GetDouble()));
            }
        }
        Assert.True(bmi.Table.Columns["status"].Cast<string>().Count(s => s == "suppressed") >= 2, "the small district and its complement are suppressed");
        Assert.DoesNotContain("Checks against the plaintext ground truth", File.ReadAllText(written.ReportHtml));
    }

    public void Dispose()
    {
        try { Directory.Delete(_out, recursive: true); } catch (IOException) { }
    }
}
