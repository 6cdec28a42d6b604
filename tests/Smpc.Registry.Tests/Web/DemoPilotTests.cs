using System.Diagnostics;
using System.Text.RegularExpressions;
using Smpc.Analytics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Parties;
using Smpc.Governance.Transparency;
using Smpc.Registry.Hosting;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// `smpc registry --demo` as a person starts it: the log that the operator exports offline (`smpc audit export --db`)
/// verifies (`smpc audit verify`) and holds the demo pilot's whole history — approvals, upload receipts, a work token,
/// queries, releases, ε spends and a refusal naming its rule — and every exact release's digest is the digest of the
/// same request computed here, in the clear, on the same generated synthetic data (the plaintext reference engine).
/// A second start runs nothing again: the log it leaves extends the first one with no computation entry more.
/// </summary>
public sealed partial class DemoPilotTests
{
    [GeneratedRegex(@"Pilot study: Veterans' earnings pilot  http://127\.0\.0\.1:\d+/studies/([0-9a-f-]{36})")] private static partial Regex PilotLine();

    [Fact]
    public async Task The_demo_registry_s_log_holds_the_pilot_s_history_whose_releases_are_the_plaintext_tables_and_a_second_start_adds_none()
    {
        string data = Path.Combine(Path.GetTempPath(), "smpc-demo-pilot-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            string first = await RunDemoAsync(data);
            var pilot = PilotLine().Match(first);
            Assert.True(pilot.Success, "the pilot study is not named:\n" + first);
            string studyId = pilot.Groups[1].Value;
            Assert.Contains("mean monthly benefit by state: refused by the compute parties (AllowedColumns), logged", first);

            var log = Export(data, "first.json");
            var entries = log.Entries.Where(e => e.Study == studyId).ToList();
            List<LogEntry> Of(LogEntryKind kind) => entries.Where(e => e.Kind == kind).ToList();

            // The governance history the registry records, and the work token the analyst took.
            Assert.Equal(2, Of(LogEntryKind.Approval).Count);
            Assert.Equal(2, Of(LogEntryKind.UploadReceipt).Count);
            Assert.All(Of(LogEntryKind.UploadReceipt), e => Assert.Matches(@"manifest sha256 [0-9a-f]{12}…", e.Summary));
            Assert.Contains(Of(LogEntryKind.Transition), e => e.Summary.Contains("moved to Analysis", StringComparison.Ordinal));
            string tokenId = Assert.Single(Of(LogEntryKind.WorkToken)).Data["tokenId"];

            // What the three compute parties computed, each entry by its own party, under that token.
            var queries = Of(LogEntryKind.Query);
            var releases = Of(LogEntryKind.Release);
            var refusals = Of(LogEntryKind.Refusal);
            var spends = Of(LogEntryKind.BudgetSpend);
            Assert.Equal(3, queries.Count);
            Assert.Equal(9, releases.Count);
            Assert.Equal(3, refusals.Count);
            Assert.Equal(3, spends.Count);
            foreach (var e in queries.Concat(releases).Concat(refusals).Concat(spends))
            {
                Assert.Equal(DemoPilot.Analyst, e.Data["analyst"]);
                Assert.Equal(tokenId, e.Data["tokenId"]);
            }
            foreach (var group in new[] { queries, refusals, spends })
                Assert.Equal(["0", "1", "2"], group.Select(e => e.Data["party"]).Order());
            Assert.All(refusals, e => Assert.Equal("AllowedColumns", e.Data["rule"]));
            Assert.All(refusals, e => Assert.Contains("(AllowedColumns)", e.Summary));

            // The same requests on the same synthetic data, in the clear: each exact release's and the join's digest is
            // the digest of the table (or join) computed here; the refusal is refused here by the same rule.
            var reference = Reference();
            var exact = releases.Where(e => !e.Data.ContainsKey("epsilon")).ToList();
            Assert.Equal(6, exact.Count);
            foreach (var e in exact.Concat(queries))
            {
                Assert.True(reference.Digests.TryGetValue(e.Data["request"], out var digest), $"no reference for '{e.Data["request"]}'");
                Assert.True(digest == e.Data["resultSha256"], $"{e}: logged sha256 {e.Data["resultSha256"]}, the plaintext reference's {digest}");
            }
            Assert.Equal(2, exact.Select(e => e.Data["request"]).Distinct().Count());
            Assert.All(refusals, e => Assert.Equal(reference.Refused, e.Data["request"]));
            // The noisy count (its noise is drawn by the parties: no one can recompute it) agrees at the three parties,
            // spent ε 0.5, and its budget spends name it by its digest.
            var noisy = releases.Where(e => e.Data.ContainsKey("epsilon")).ToList();
            Assert.Equal(["0", "1", "2"], noisy.Select(e => e.Data["party"]).Order());
            Assert.Single(noisy.Select(e => e.Data["resultSha256"]).Distinct());
            Assert.All(noisy, e => Assert.Equal(reference.Noisy, e.Data["request"]));
            Assert.All(noisy.Concat(spends), e => Assert.Equal("0.5", e.Data["epsilon"]));
            Assert.All(spends, e => Assert.Equal(noisy[0].Data["resultSha256"], e.Data["resultSha256"]));
            Assert.All(spends, e => Assert.Equal("veterans", e.Data["dataset"]));

            // A second start adds no history: the log extends the first (same entries) with no computation, upload or
            // work token more.
            string second = await RunDemoAsync(data);
            Assert.Contains("nothing was run again", second);
            Assert.Equal(studyId, PilotLine().Match(second).Groups[1].Value);
            var again = Export(data, "second.json");
            Assert.True(again.Entries.Count >= log.Entries.Count);
            Assert.Equal(log.Entries.Select(e => Convert.ToHexString(e.LeafHash())), again.Entries.Take(log.Entries.Count).Select(e => Convert.ToHexString(e.LeafHash())));
            Assert.DoesNotContain(again.Entries.Skip(log.Entries.Count), e => e.Study == studyId);
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Starts `smpc registry --demo` on <paramref name="data"/>, reads its output until it waits for Ctrl+C, stops it.</summary>
    static async Task<string> RunDemoAsync(string data)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { CommandLineTests.FindCli(), "registry", "--urls", "http://127.0.0.1:0", "--data", data, "--demo" }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal)) break;
            }
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        string output = string.Join("\n", lines);
        Assert.True(lines.Count > 0 && lines[^1].StartsWith("Press Ctrl+C", StringComparison.Ordinal), "the registry did not start:\n" + output + "\n" + await stderr);
        Assert.DoesNotContain("could not complete", output);
        return output;
    }

    /// <summary>`smpc audit export --db DIR/registry.db --out FILE`, then `smpc audit verify FILE` (exit 0), and the file read.</summary>
    static LogExport Export(string data, string name)
    {
        var file = Path.Combine(data, name);
        var export = AuditCommandLineTests.Smpc("audit", "export", "--db", Path.Combine(data, "registry.db"), "--out", file);
        Assert.True(export.Code == 0, export.Out + export.Err);
        var verify = AuditCommandLineTests.Smpc("audit", "verify", file);
        Assert.True(verify.Code == 0, verify.Out + verify.Err);
        Assert.StartsWith("sound:", verify.Out);
        return LogExport.Load(file);
    }

    /// <summary>The pilot's requests in the clear: the same generated agencies (the project's seeded generator, 1,000
    /// bank records and seed 2026, generated into a folder of this test's own), the pilot's terms, the plaintext
    /// reference engine, the analyst's requests in the same order. Digests by the request in words, the noisy
    /// request's words, and the refused request's words.</summary>
    static (Dictionary<string, string> Digests, string Noisy, string Refused) Reference()
    {
        var cache = Path.Combine(Path.GetTempPath(), "smpc-demo-pilot-reference-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            var folder = DemoAgencies.Folder(1000, 2026, cache);
            using var study = new SecureStudy("veterans-earnings-pilot", new PlaintextEngine(), DemoPilot.Analyst);
            foreach (var name in new[] { "veterans", "survey" })
                study.Contribute(Path.Combine(folder, name + ".csv"), TableSchema.Load(Path.Combine(folder, name + ".schema.json")), DemoPilot.Terms(name));
            var digests = new Dictionary<string, string>(StringComparer.Ordinal);
            var join = study.Join(new JoinRequest { Datasets = ["veterans", "survey"], Name = "linked" });
            digests[join.Request.Describe()] = PartyWire.Digest(join);
            foreach (var release in new[] { study.Count("veterans", "service_era", "branch"), study.Count("linked", "service_era", "highest_degree") })
                digests[release.Request.Describe()] = PartyWire.Digest(release);
            var noisy = new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Count], GroupBy = ["service_era"], Epsilon = 0.5 };
            var refused = Assert.Throws<PolicyException>(() => study.Mean("veterans", "monthly_benefit", "state"));
            Assert.Equal("AllowedColumns", refused.Rule);
            return (digests, noisy.Describe(), new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Mean], Columns = ["monthly_benefit"], GroupBy = ["state"] }.Describe());
        }
        finally
        {
            try { Directory.Delete(cache, recursive: true); } catch (IOException) { }
        }
    }
}
