using System.Text.Json;
using Smpc.EndToEnd.Tests;

namespace Smpc.Analytics.Reporting.Tests.EndToEnd;

/// <summary>
/// The main job on three `smpc party --serve` processes (`smpc study run --config study.json`, TLS 1.3 on loopback):
/// every release (outcome and table) and every linkage (match counts, joined rows) equals the in-process run's.
/// bench/study-wan.sh runs the same comparison with relays in front of the parties.
/// </summary>
public sealed class StudyRunOnPartyProcessesTests(StudyRunFixture inProcess) : IClassFixture<StudyRunFixture>
{
    static readonly TimeSpan Generous = TimeSpan.FromMinutes(15);

    [Fact]
    public void The_main_job_on_three_party_processes_releases_what_it_releases_in_process()
    {
        var dir = CliProcess.TempFolder("smpc-study-parties");
        var parties = new List<CliProcess>();
        try
        {
            using (var certs = CliProcess.Start(dir, "certs", "--study", "study-parties", "--out", "certs", "--ports", string.Join(',', CliProcess.FreePorts(3))))
                Assert.True(certs.WaitForExit(Generous) == 0, certs.ToString());
            var config = Path.Combine(dir, "certs", "study.json");
            parties.AddRange(Enumerable.Range(0, 3).Select(i => CliProcess.Start(dir, "party", "--id", $"{i}", "--config", config, "--serve", "--connect-timeout", "300")));
            var output = Path.Combine(dir, "out");
            using var run = CliProcess.Start(Repo.Root, "study", "run", "--config", config, "--out", output);
            Assert.True(run.WaitForExit(Generous) == 0, run.ToString());
            Assert.Contains("Three compute party processes of", run.Stdout);
            Assert.True(parties[0].WaitForOutput("job ended after", TimeSpan.FromMinutes(1)), parties[0].ToString());   // the operations ran there

            Assert.Equal(0, inProcess.ExitCode);
            using var packet = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, ReportWriter.PacketJson)));
            string Releases(JsonDocument d) => string.Join("\n", d.RootElement.GetProperty("releases").EnumerateArray()
                .Select(r => $"{r.GetProperty("id")} {r.GetProperty("outcome")} {r.GetProperty("table").GetRawText()}"));
            string Linkages(JsonDocument d) => string.Join("\n", d.RootElement.GetProperty("linkages").EnumerateArray()
                .Select(l => $"{l.GetProperty("name")} {l.GetProperty("matchCounts").GetRawText()} {l.GetProperty("joinedRows")}"));
            Assert.Equal(Releases(inProcess.Packet!), Releases(packet));
            Assert.Equal(Linkages(inProcess.Packet!), Linkages(packet));
            Assert.Equal(14, packet.RootElement.GetProperty("releases").GetArrayLength());
        }
        finally
        {
            foreach (var p in parties) p.Dispose();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
