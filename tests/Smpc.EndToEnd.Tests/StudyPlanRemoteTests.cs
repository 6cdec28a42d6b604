using System.Text.Json;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// `smpc study run --plan data/examples/tenants-health.plan.json --config study.json` on three `smpc party --serve`
/// processes over TLS: the same report files as on the embedded default, the engine named in the packet, and the
/// tenants' counts by district equal to a plaintext count of the CSV (small districts suppressed by the terms).
/// </summary>
[Collection("processes")]
public sealed class StudyPlanRemoteTests(RemotePartiesFixture parties) : IClassFixture<RemotePartiesFixture>
{
    [Fact]
    public void A_plan_runs_on_three_party_processes_and_releases_the_plaintext_counts()
    {
        string root = CliProcess.RepositoryRoot(), output = CliProcess.TempFolder("smpc-plan-remote");
        try
        {
            using var cli = CliProcess.Start(root, "study", "run", "--plan", Path.Combine(root, "data", "examples", "tenants-health.plan.json"),
                                             "--config", parties.ConfigPath, "--out", output);
            int code = cli.WaitForExit(TimeSpan.FromMinutes(10));
            Assert.True(code == 0, $"exit code {code}\n{cli.Stdout}\n{cli.Stderr}");
            Assert.Contains("Three compute party processes", cli.Stdout);
            foreach (var name in new[] { "report.html", "disclosure-review.json", "disclosure-review.md", "SHA256SUMS" })
                Assert.True(File.Exists(Path.Combine(output, name)), $"{name} missing");

            using var packet = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "disclosure-review.json")));
            Assert.DoesNotContain("in-process", packet.RootElement.GetProperty("reproducibility").GetProperty("engine").GetString());
            var byDistrict = packet.RootElement.GetProperty("releases").EnumerateArray().Single(r => r.GetProperty("title").GetString() == "Tenants by district");
            var rows = byDistrict.GetProperty("table").GetProperty("rows").EnumerateArray()
                .ToDictionary(r => r.GetProperty("keys")[0].GetString()!, r => r.GetProperty("values").ValueKind == JsonValueKind.Null ? (double?)null : r.GetProperty("values")[0].GetDouble());
            var plain = File.ReadLines(Path.Combine(root, "data", "examples", "tenants.csv")).Skip(1).Where(l => l.Length > 0)
                .GroupBy(l => l.Split(',')[5]).ToDictionary(g => g.Key, g => g.Count());
            foreach (var (district, count) in plain)
                if (count < 10) Assert.Null(rows[district]);                          // minimum cell size 10
                else if (rows[district] is { } released) Assert.Equal(count, released);
            Assert.Equal(plain.Values.Sum(), rows["(all)"]);
            Assert.Equal(3, rows.Values.Count(v => v is not null) - 1);              // three districts released, one complementary suppression
        }
        finally
        {
            try { Directory.Delete(output, recursive: true); } catch (IOException) { }
        }
    }
}
