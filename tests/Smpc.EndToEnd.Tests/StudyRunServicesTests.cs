using System.Text.Json;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// The main job against three `smpc party serve` processes: `smpc certs --contributors … --analyst study-analyst`, then
/// `smpc study run --connect study.json` uploads the plan's three datasets as their stewards and runs the plan as the
/// analyst (one request per join or query; the analyst's process holds no share). Every release's outcome and table
/// and every linkage's counts equal those of the embedded default's run of the same plan; a second run finds the
/// uploads committed and does not repeat them.
/// </summary>
[Collection("processes")]
public sealed class StudyRunServicesTests
{
    [Fact]
    public void The_main_job_runs_at_three_party_services_with_the_answers_of_the_embedded_default()
    {
        string root = CliProcess.RepositoryRoot(), dir = CliProcess.TempFolder("smpc-study-services");
        var parties = new List<CliProcess>();
        try
        {
            var ports = CliProcess.FreePorts(6);
            using (var certs = CliProcess.Start(dir, "certs", "--study", "services", "--out", "certs", "--ports", string.Join(',', ports[..3]),
                       "--upload-ports", string.Join(',', ports[3..]), "--contributors", "veterans,bank,survey", "--analyst", "study-analyst"))
                Assert.True(certs.WaitForExit(PartyServiceProcesses.Generous) == 0, certs.ToString());
            parties.AddRange(Enumerable.Range(0, 3).Select(id => PartyServiceProcesses.Serve(dir, id)));
            PartyServiceProcesses.WaitServing(dir, parties);

            using var remote = CliProcess.Start(root, "study", "run", "--connect", Path.Combine(dir, "certs", "study.json"), "--out", Path.Combine(dir, "remote"));
            Assert.True(remote.WaitForExit(TimeSpan.FromMinutes(10)) == 0, remote.ToString());
            Assert.Contains("Three compute party services", remote.Stdout);
            Assert.Contains("uploaded veterans: 8,000 rows committed", remote.Stdout);
            using var local = CliProcess.Start(root, "study", "run", "--out", Path.Combine(dir, "local"));
            Assert.True(local.WaitForExit(TimeSpan.FromMinutes(10)) == 0, local.ToString());

            var (releases, linkages) = Answers(Path.Combine(dir, "remote"));
            var (expectedReleases, expectedLinkages) = Answers(Path.Combine(dir, "local"));
            Assert.Equal(expectedLinkages, linkages);
            Assert.Equal(expectedReleases.Count, releases.Count);
            for (int i = 0; i < releases.Count; i++) Assert.Equal(expectedReleases[i], releases[i]);
            Assert.Contains(releases, r => r.Contains("refused"));                     // R06: the bank's terms, refused by the parties

            // Again: the uploads are found committed (idempotent), and the answers are the same.
            using var again = CliProcess.Start(root, "study", "run", "--connect", Path.Combine(dir, "certs", "study.json"), "--out", Path.Combine(dir, "again"));
            Assert.True(again.WaitForExit(TimeSpan.FromMinutes(10)) == 0, again.ToString());
            Assert.Contains("(already committed)", again.Stdout);
            Assert.Equal(expectedLinkages, Answers(Path.Combine(dir, "again")).Linkages);
        }
        finally
        {
            foreach (var p in parties) p.Dispose();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Each release as "id outcome table" and each linkage as "name counts rows", from the packet.</summary>
    static (List<string> Releases, List<string> Linkages) Answers(string folder)
    {
        using var packet = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "disclosure-review.json")));
        var r = packet.RootElement;
        return ([.. r.GetProperty("releases").EnumerateArray().Select(x => $"{x.GetProperty("id")} {x.GetProperty("outcome")} {(x.TryGetProperty("table", out var t) ? t.GetRawText() : "")}")],
                [.. r.GetProperty("linkages").EnumerateArray().Select(x => $"{x.GetProperty("name")} {x.GetProperty("matchCounts").GetRawText()} {x.GetProperty("joinedRows")}")]);
    }
}
