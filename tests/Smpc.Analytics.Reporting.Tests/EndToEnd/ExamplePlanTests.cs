using System.Diagnostics;
using System.Text.Json;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Plans;
using Smpc.EndToEnd.Tests;

namespace Smpc.Analytics.Reporting.Tests.EndToEnd;

/// <summary>`smpc study run --plan data/examples/tenants-health.plan.json` as a process, once for the class.</summary>
public sealed class ExamplePlanFixture : IDisposable
{
    public static readonly string PlanPath = Path.Combine(Repo.Root, "data", "examples", "tenants-health.plan.json");

    public ExamplePlanFixture()
    {
        Output = CliProcess.TempFolder("smpc-plan");
        using var cli = CliProcess.Start(Repo.Root, "study", "run", "--plan", PlanPath, "--out", Output);
        ExitCode = cli.WaitForExit(TimeSpan.FromMinutes(10));
        Stdout = cli.Stdout + cli.Stderr;
        var packet = Path.Combine(Output, ReportWriter.PacketJson);
        Packet = File.Exists(packet) ? JsonDocument.Parse(File.ReadAllText(packet)) : null;
    }

    public string Output { get; }
    public int ExitCode { get; }
    public string Stdout { get; }
    public JsonDocument? Packet { get; }

    public void Dispose()
    {
        Packet?.Dispose();
        try { Directory.Delete(Output, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// A plan over the bring-your-own-data example files (schemas drafted by SchemaInference, a join, a count, a mean by
/// group, a median): the report, the packet and SHA256SUMS are written (sha256sum -c passes), the released cells equal
/// a plaintext study (PlaintextEngine) of the same files and requests, and with no truth file there are no checks.
/// </summary>
public sealed class ExamplePlanTests(ExamplePlanFixture run) : IClassFixture<ExamplePlanFixture>
{
    [Fact]
    public void It_writes_the_report_the_packet_and_a_manifest_sha256sum_accepts()
    {
        Assert.True(run.ExitCode == 0, run.Stdout);
        foreach (var name in new[] { ReportWriter.ReportHtml, ReportWriter.PacketJson, ReportWriter.PacketMarkdown, ReportWriter.ManifestSums })
            Assert.True(File.Exists(Path.Combine(run.Output, name)), $"{name} missing");
        var info = new ProcessStartInfo("sha256sum", ["-c", ReportWriter.ManifestSums]) { WorkingDirectory = run.Output, RedirectStandardOutput = true, RedirectStandardError = true };
        using var sums = Process.Start(info)!;
        string said = sums.StandardOutput.ReadToEnd() + sums.StandardError.ReadToEnd();
        sums.WaitForExit();
        Assert.True(sums.ExitCode == 0, said);
        Assert.Contains("report.html: OK", said);
    }

    /// <summary>The same plan in YAML (<c>data/examples/tenants-health.plan.yaml</c>) releases the same tables.</summary>
    [Fact]
    public void The_plan_in_yaml_runs_to_the_same_releases()
    {
        Assert.True(run.ExitCode == 0, run.Stdout);
        var output = CliProcess.TempFolder("smpc-plan-yaml");
        try
        {
            using (var cli = CliProcess.Start(Repo.Root, "study", "run", "--plan", Path.ChangeExtension(ExamplePlanFixture.PlanPath, ".yaml"), "--out", output))
                Assert.True(cli.WaitForExit(TimeSpan.FromMinutes(10)) == 0, cli.Stdout + cli.Stderr);
            using var packet = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, ReportWriter.PacketJson)));
            string Tables(JsonDocument d) => string.Join("\n", d.RootElement.GetProperty("releases").EnumerateArray().Select(r => r.GetProperty("table").GetRawText()));
            Assert.Equal(Tables(run.Packet!), Tables(packet));
        }
        finally { try { Directory.Delete(output, recursive: true); } catch (IOException) { } }
    }

    [Fact]
    public void Without_a_truth_file_there_are_no_checks()
    {
        Assert.Empty(run.Packet!.RootElement.GetProperty("checks").EnumerateArray());
        Assert.True(run.Packet.RootElement.GetProperty("checksPassed").GetBoolean());
        var html = File.ReadAllText(Path.Combine(run.Output, ReportWriter.ReportHtml));
        Assert.DoesNotContain("Checks against the plaintext ground truth", html);
        Assert.DoesNotContain("Ground truth:", html);
        Assert.Contains("None: the study names no ground truth.", File.ReadAllText(Path.Combine(run.Output, ReportWriter.PacketMarkdown)));
        Assert.Contains("no checks", run.Stdout);
    }

    [Fact]
    public void Released_cells_equal_a_plaintext_study_of_the_same_files()
    {
        Assert.True(run.ExitCode == 0, run.Stdout);
        var file = StudyPlanFile.Load(ExamplePlanFixture.PlanPath);
        using var plain = new SecureStudy("plain-" + file.Plan.Name, new PlaintextEngine(), file.Plan.Analyst);
        foreach (var source in file.Resolve()) plain.Contribute(source.Contributor());
        plain.Join(file.Join(0));
        var releases = run.Packet!.RootElement.GetProperty("releases").EnumerateArray().ToArray();
        Assert.Equal(file.Plan.Queries.Count, releases.Length);
        int released = 0, suppressed = 0;
        for (int i = 0; i < releases.Length; i++)
        {
            var reference = plain.Aggregate(file.Request(i));
            var rows = releases[i].GetProperty("table").GetProperty("rows").EnumerateArray().ToArray();
            var columns = releases[i].GetProperty("table").GetProperty("valueColumns").EnumerateArray().Select(c => c.GetString()!).ToArray();
            Assert.Equal(reference.RowCount, rows.Length);
            for (int r = 0; r < rows.Length; r++)
            {
                Assert.Equal(reference.KeyColumns.Select(k => reference.Key(r, k)), rows[r].GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
                Assert.Equal(reference.IsSuppressed(r), rows[r].GetProperty("values").ValueKind == JsonValueKind.Null);
                if (reference.IsSuppressed(r)) { suppressed++; continue; }
                var values = rows[r].GetProperty("values").EnumerateArray().ToArray();
                for (int c = 0; c < columns.Length; c++)
                {
                    double expected = reference.Value(r, columns[c])!.Value, actual = values[c].GetDouble();
                    // Counts exact; a mean or median differs from the plaintext engine's only by the secure division's
                    // and truncation's error, far below the 2^-9 the data's fixed point already allows.
                    if (columns[c] == "count") Assert.Equal(expected, actual);
                    else Assert.InRange(actual, expected - Math.Pow(2, -9), expected + Math.Pow(2, -9));
                    released++;
                }
            }
        }
        Assert.True(released >= 10 && suppressed >= 2, $"{released} values released, {suppressed} cells suppressed");
    }

    [Fact]
    public void Narratives_are_filled_from_released_cells_and_leave_out_sentences_over_suppressed_ones()
    {
        var html = File.ReadAllText(Path.Combine(run.Output, ReportWriter.ReportHtml));
        Assert.Contains("Linked tenants of Old Town have a mean BMI of", html);
        Assert.Contains("cells fall under the minimum cell size of 10", html);
        Assert.Contains("Half of the linked tenants pay less than", html);
        Assert.DoesNotContain("Lantern Quay&#39;s mean BMI", html);
        Assert.DoesNotContain("Lantern Quay's mean BMI", html);
        Assert.Contains("data/examples", html);
    }

    [Fact]
    public void A_plan_naming_a_column_its_dataset_lacks_exits_2_naming_file_and_path_and_writes_nothing()
    {
        string folder = CliProcess.TempFolder("smpc-bad-plan"), plan = Path.Combine(folder, "bad.plan.json"), output = Path.Combine(folder, "out");
        try
        {
            var text = File.ReadAllText(ExamplePlanFixture.PlanPath)
                .Replace("\"data\": \".\"", $"\"data\": {JsonSerializer.Serialize(Path.Combine(Repo.Root, "data", "examples"))}")
                .Replace("\"column\": \"monthly_rent\"", "\"column\": \"monthly_rnet\"");
            File.WriteAllText(plan, text);
            using var cli = CliProcess.Start(Repo.Root, "study", "run", "--plan", plan, "--out", output);
            Assert.Equal(2, cli.WaitForExit(TimeSpan.FromMinutes(2)));
            Assert.Contains($"{plan}: $.queries[2].column: dataset 'tenants_clinic' has no column 'monthly_rnet'", cli.Stderr);
            Assert.DoesNotContain("Linkages and queries", cli.Stdout);
            Assert.False(Directory.Exists(output));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
