using System.Text.Json;
using System.Text.RegularExpressions;

namespace Smpc.Analytics.Reporting.Tests.EndToEnd;

/// <summary>
/// The veterans' study as a plan (data/synthetic/veterans-study.plan.json) against the study as it was hard-wired in C#
/// (Study/VeteransStudy.cs, removed since): HardWired/ holds that run's packet and its report with the inlined scripts
/// taken out, written by `smpc study run` at commit 93a1230. The plan run must release the same tables (same ids,
/// titles, datasets, rules, suppressed cells and values), run the same checks with the same outcomes, and write the
/// same text — title, question, background, findings, narratives, methods, threat model — numbers and reveal lists aside
/// (costs and the comparison outcomes a sort opens differ between runs; released values are compared in the tables), and the
/// engine's name (the embedded default now runs at three party services in the process).
/// </summary>
public sealed partial class PlanEquivalenceTests(StudyRunFixture run) : IClassFixture<StudyRunFixture>
{
    static readonly string Saved = Path.Combine(Repo.Root, "tests", "Smpc.Analytics.Reporting.Tests", "EndToEnd", "HardWired");

    [Fact]
    public void The_plan_releases_the_hard_wired_studys_tables()
    {
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        using var before = JsonDocument.Parse(File.ReadAllText(Path.Combine(Saved, ReportWriter.PacketJson)));
        var old = before.RootElement.GetProperty("releases").EnumerateArray().ToArray();
        var now = run.Packet!.RootElement.GetProperty("releases").EnumerateArray().ToArray();
        Assert.Equal(old.Length, now.Length);
        for (int i = 0; i < old.Length; i++)
        {
            foreach (var field in new[] { "id", "title", "dataset", "outcome", "refusedBy", "rulesApplied", "notes" })
                Assert.Equal(old[i].GetProperty(field).ToString(), now[i].GetProperty(field).ToString());
            // A released query's text is the study API's own; a refusal's is now the request's description too.
            if (old[i].GetProperty("outcome").GetString() == "released")
                Assert.Equal(old[i].GetProperty("query").GetString(), now[i].GetProperty("query").GetString());
            if (old[i].GetProperty("table").ValueKind == JsonValueKind.Null) { Assert.Equal(JsonValueKind.Null, now[i].GetProperty("table").ValueKind); continue; }
            var (a, b) = (old[i].GetProperty("table"), now[i].GetProperty("table"));
            Assert.Equal(a.GetProperty("keyColumns").ToString(), b.GetProperty("keyColumns").ToString());
            Assert.Equal(a.GetProperty("valueColumns").ToString(), b.GetProperty("valueColumns").ToString());
            var (ra, rb) = (a.GetProperty("rows").EnumerateArray().ToArray(), b.GetProperty("rows").EnumerateArray().ToArray());
            Assert.Equal(ra.Length, rb.Length);
            for (int r = 0; r < ra.Length; r++)
            {
                Assert.Equal(ra[r].GetProperty("keys").ToString(), rb[r].GetProperty("keys").ToString());
                Assert.Equal(ra[r].GetProperty("status").GetString(), rb[r].GetProperty("status").GetString());
                Assert.Equal(ra[r].GetProperty("rule").ToString(), rb[r].GetProperty("rule").ToString());
                if (ra[r].GetProperty("values").ValueKind == JsonValueKind.Null) continue;
                var (va, vb) = (ra[r].GetProperty("values").EnumerateArray().ToArray(), rb[r].GetProperty("values").EnumerateArray().ToArray());
                for (int v = 0; v < va.Length; v++)
                    if (va[v].ValueKind == JsonValueKind.Null) Assert.Equal(JsonValueKind.Null, vb[v].ValueKind);
                    // Counts are exact; a fixed-point statistic may differ by its truncation (well under 0.1% here).
                    else Assert.InRange(vb[v].GetDouble(), va[v].GetDouble() - 1e-3 * Math.Max(1, Math.Abs(va[v].GetDouble())), va[v].GetDouble() + 1e-3 * Math.Max(1, Math.Abs(va[v].GetDouble())));
            }
        }
    }

    [Fact]
    public void The_plan_runs_the_same_ground_truth_checks_with_the_same_outcomes()
    {
        using var before = JsonDocument.Parse(File.ReadAllText(Path.Combine(Saved, ReportWriter.PacketJson)));
        var old = before.RootElement.GetProperty("checks").EnumerateArray().ToArray();
        var now = run.Packet!.RootElement.GetProperty("checks").EnumerateArray().ToArray();
        Assert.Equal(46, old.Length);
        Assert.Equal(old.Select(c => (c.GetProperty("what").GetString(), c.GetProperty("expected").GetDouble(), c.GetProperty("tolerance").GetDouble(), c.GetProperty("basis").GetString(), c.GetProperty("outcome").GetString())),
                     now.Select(c => (c.GetProperty("what").GetString(), c.GetProperty("expected").GetDouble(), c.GetProperty("tolerance").GetDouble(), c.GetProperty("basis").GetString(), c.GetProperty("outcome").GetString())));
        Assert.Equal(before.RootElement.GetProperty("linkages").EnumerateArray().Select(l => l.GetProperty("joinedRows").ToString()),
                     run.Packet.RootElement.GetProperty("linkages").EnumerateArray().Select(l => l.GetProperty("joinedRows").ToString()));
    }

    [Fact]
    public void The_report_says_what_the_hard_wired_report_said()
    {
        var old = Texts(File.ReadAllText(Path.Combine(Saved, ReportWriter.ReportHtml)));
        var html = File.ReadAllText(Path.Combine(run.Output, ReportWriter.ReportHtml));
        Assert.Equal(old, Texts(html));
        // The narratives written from released cells are there (with their numbers, compared above in the tables).
        var text = System.Net.WebUtility.HtmlDecode(html);
        Assert.Contains("Linked veterans with a 70–100% rating hold a mean balance of", text);
        Assert.Contains("Holding age fixed, each extra dollar of monthly benefit goes with", text);
        Assert.Contains("fail the bank's p% rule and are withheld", text);
    }

    /// <summary>The text of every paragraph, list item and heading outside scripts, numbers masked, without the lists of
    /// reveals (how many comparison outcomes an oblivious sort opens depends on the run's random shuffle).</summary>
    static List<string> Texts(string html)
    {
        html = Script().Replace(html, "");
        return Element().Matches(html).Select(m => Engine().Replace(Number().Replace(m.Groups[2].Value, "#"), "engine: (the embedded default)."))
            .Where(t => !t.StartsWith("to the compute parties:", StringComparison.Ordinal) && !t.StartsWith("to the analyst:", StringComparison.Ordinal)).ToList();
    }

    [GeneratedRegex(@"<script\b.*?</script>", RegexOptions.Singleline)]
    private static partial Regex Script();

    [GeneratedRegex(@"<(p|li|h1|h2|h3)>(.*?)</\1>", RegexOptions.Singleline)]
    private static partial Regex Element();

    /// <summary>The engine's name: the embedded default ran on the engine itself then, at three party services in the process now.</summary>
    [GeneratedRegex(@"engine: [^.]*\.")]
    private static partial Regex Engine();

    [GeneratedRegex(@"\d[\d,.]*")]
    private static partial Regex Number();
}
