using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smpc.Analytics.Columnar;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// Faults at three `smpc party serve` processes: a party killed in the middle of a join — the analyst's `smpc analyze`
/// fails at once naming the party and its endpoint and receives no release, the two survivors log which party failed
/// and wait for it, the stores are untouched, and after the party restarts with its store the same question gets the
/// same answer. A party restarted with a revocation list refuses the analyst's revoked certificate with the reason at
/// once; a party restarted with an empty store is refused by all three (the stores' contributions differ); a party
/// started with another party's store refuses to start; a party whose process is frozen (SIGSTOP) is named by the
/// analyst and the survivors once its heartbeats stop.
/// </summary>
[Collection("processes")]
public sealed class PartyServiceFaultProcessTests : IDisposable
{
    static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);
    static readonly string[] Wards = VisitsAndClaims.Wards;
    readonly string _dir = CliProcess.TempFolder("smpc-faults");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    string Log(int party) => File.Exists(Path.Combine(_dir, $"party-{party}.jsonl")) ? File.ReadAllText(Path.Combine(_dir, $"party-{party}.jsonl")) : "";

    /// <summary>The party log's events and messages, unescaped ("event: message" per line).</summary>
    string Messages(int party) => string.Join("\n", Log(party).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        return $"{root.GetProperty("event").GetString()}: {(root.TryGetProperty("message", out var m) ? m.GetString() : "")}";
    }));

    /// <summary>SHA-256 of every file in a party's store (datasets, staging, store.json), by relative path.</summary>
    Dictionary<string, string> StoreFiles(int party)
    {
        var root = Path.Combine(_dir, $"store-{party}");
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "service.lock")   // held open by the service
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
    }

    CliProcess Analyze(params string[] extra) => CliProcess.Start(_dir, [
        "analyze", "--config", "certs/study.json", "--join", "visits,claims", "--passes", "ssn",
        "--stat", "count,mean", "--column", "cost", "--group-by", "ward", "--format", "csv", "--connect-timeout", "60", .. extra]);

    static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            Thread.Sleep(50);
        }
        return condition();
    }

    [Fact]
    public void A_party_killed_mid_query_is_named_nothing_is_released_and_the_restarted_party_gives_the_same_answer()
    {
        var ports = CliProcess.FreePorts(6);
        using (var certs = CliProcess.Start(_dir, "certs", "--study", "faults-e2e", "--out", "certs", "--ports", string.Join(',', ports[..3]),
                   "--upload-ports", string.Join(',', ports[3..]), "--contributors", "clinic,insurer"))
            Assert.True(certs.WaitForExit(Generous) == 0, certs.ToString());

        // Two files large enough that the join runs for a while: 8,000 visits and 7,999 claims, 6,000 people in both.
        var random = new Random(11);
        var people = Enumerable.Range(1, 9999).Select(i => $"{random.Next(100, 600)}{random.Next(10, 99)}{i:D4}").Distinct().ToArray();
        var data = VisitsAndClaims.Write(_dir, people, 8000, 2000, random, "fault test", ["join","groupby","count","sum","mean","quantile"]);
        var (visits, claims) = (data.Visits, data.Claims);

        var parties = new[] { 0, 1, 2 }.Select(i => PartyServiceProcesses.Serve(_dir, i)).ToArray();
        try
        {
            foreach (var (dataset, contributor) in new[] { ("visits", "clinic"), ("claims", "insurer") })
                using (var c = CliProcess.Start(_dir, "contribute", "--config", "certs/study.json", "--dataset", dataset, "--file", $"{dataset}.csv",
                           "--schema", $"{dataset}.schema.json", "--terms", $"{dataset}.terms.json", "--contributor", contributor, "--timeout", "30"))
                    Assert.True(c.WaitForExit(Generous) == 0, c.ToString());

            // The reference answer, checked against plaintext.
            PartyServiceProcesses.WaitServing(_dir, parties);
            string reference;
            using (var a = Analyze())
            {
                Assert.True(a.WaitForExit(Generous) == 0, a.ToString());
                reference = a.Stdout;
            }
            var linked = (from v in visits join c in claims on v.Ssn equals c.Ssn select v).ToList();
            var lines = reference.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal("ward,count,mean(cost),status,rule", lines[0]);
            foreach (var ward in Wards)
            {
                var cells = lines.Single(l => l.StartsWith(ward + ",")).Split(',');
                var rows = linked.Where(v => v.Ward == ward).ToList();
                Assert.True(cells[1].Length > 0 && cells[2].Length > 0, reference);
                Assert.Equal(rows.Count, long.Parse(cells[1], CultureInfo.InvariantCulture));
                Assert.InRange(double.Parse(cells[2], CultureInfo.InvariantCulture) - rows.Average(v => v.Cost), -0.01, 0.01);
            }
            var storesBefore = Enumerable.Range(0, 3).Select(StoreFiles).ToArray();

            // Party 1 is killed as soon as the three start the join (a join, then medians over the joined rows, follow).
            int joinsBefore = Log(0).Split("\"join ").Length;
            var analyst = CliProcess.Start(_dir, "analyze", "--config", "certs/study.json", "--join", "visits,claims", "--passes", "ssn", "--name", "second_join",
                "--stat", "median", "--column", "cost", "--group-by", "ward", "--format", "csv", "--connect-timeout", "60");
            Assert.True(WaitFor(() => Log(0).Split("\"join ").Length > joinsBefore, Generous), $"the join never started: {analyst}");
            parties[1].Kill();
            var killed = Stopwatch.StartNew();
            int code = analyst.WaitForExit(Generous);
            var noticed = killed.Elapsed;
            Assert.True(code != 0, $"the analyst got an answer although party 1 was killed {noticed} before: {analyst}\n{string.Join("\n", Log(0).Split('\n').TakeLast(8))}");
            Assert.True(analyst.Stderr.Contains($"Party 1 (127.0.0.1:{ports[1]}) failed during the request"), $"{analyst}\n{Messages(0)}");
            Assert.Contains("nothing was released", analyst.Stderr);
            Assert.DoesNotContain("ward,count", analyst.Stdout);   // no release reached the analyst
            Assert.True(noticed < TimeSpan.FromSeconds(10), $"the analyst's error came {noticed} after the kill");
            analyst.Dispose();

            // The survivors log which party failed and go back to waiting for it; they neither die nor hang.
            foreach (var survivor in new[] { 0, 2 })
            {
                Assert.True(WaitFor(() => Log(survivor).Contains("party-failed"), TimeSpan.FromSeconds(10)), Log(survivor));
                Assert.Contains($"party 1 (127.0.0.1:{ports[1]}) failed", Messages(survivor));
                Assert.False(parties[survivor].HasExited, parties[survivor].ToString());
                Assert.Contains(PartyServiceProcesses.ComputeState(parties[survivor]), new[] { "connecting", "reconnecting" });
            }
            // Nothing half-written: every store holds exactly the files it held before.
            for (int p = 0; p < 3; p++) Assert.Equal(storesBefore[p], StoreFiles(p));

            // Party 1 restarts with a revocation list naming the analyst's certificate: the analyst is told why at once.
            var studyJson = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "certs", "study.json")))!;
            var analystCert = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_dir, "certs", "analyst.crt"));
            studyJson["revokedCertificates"] = new JsonArray(new JsonObject { ["serial"] = analystCert.SerialNumber, ["reason"] = "analyst left the project" });
            File.WriteAllText(Path.Combine(_dir, "certs", "study-revoking.json"), studyJson.ToJsonString());
            parties[1] = PartyServiceProcesses.Serve(_dir, 1, config: "certs/study-revoking.json");
            PartyServiceProcesses.WaitServing(_dir, parties);
            using (var refused = Analyze())
            {
                Assert.NotEqual(0, refused.WaitForExit(TimeSpan.FromSeconds(30)));
                Assert.Contains($"party 1 at 127.0.0.1:{ports[1]} refused this member's certificate", refused.Stderr);
                Assert.Contains("is revoked by study 'faults-e2e': analyst left the project", refused.Stderr);
            }
            Assert.True(WaitFor(() => Messages(1).Contains("is revoked by study 'faults-e2e': analyst left the project"), TimeSpan.FromSeconds(10)), Messages(1));

            // Party 1 restarted with an empty store: all three refuse to compute together, and say why.
            parties[1].Kill();
            parties[1] = PartyServiceProcesses.Serve(_dir, 1, store: "store-1-empty");
            foreach (var p in new[] { 0, 1, 2 })
                Assert.True(WaitFor(() => Log(p).Contains("store-mismatch"), Generous), Log(p));
            Assert.Contains("party 1 holds nothing of 'claims', parties 0 and 2 hold upload", Messages(0));
            Assert.Contains("Party 1's store holds no contribution of the study", Messages(2));
            Assert.Equal("refused (the parties' stores differ)", PartyServiceProcesses.ComputeState(parties[0]));

            // Party 1 started with party 0's store refuses to start.
            parties[1].Kill();
            using (var wrong = CliProcess.Start(_dir, "party", "serve", "--id", "1", "--store", "store-0", "--config", "certs/study.json", "--health-urls", "http://127.0.0.1:0"))
            {
                Assert.NotEqual(0, wrong.WaitForExit(Generous));
                Assert.Contains("belongs to party 0", wrong.Stderr);
            }

            // Back with its own store: the study continues from the stored shares, and the same question gets the same answer.
            parties[1] = PartyServiceProcesses.Serve(_dir, 1);
            PartyServiceProcesses.WaitServing(_dir, parties);
            using (var again = Analyze())
            {
                Assert.True(again.WaitForExit(Generous) == 0, again.ToString());
                Assert.Equal(reference, again.Stdout);
            }

            // A party that hangs without closing its connections (its process stopped, as a dead host or a cut network
            // would look) is noticed by the missing heartbeats: the analyst's error names it within seconds.
            int connectedBefore = Log(2).Split("connected").Length;
            using (var frozen = Analyze("--name", "frozen_join"))
            {
                Assert.True(WaitFor(() => Log(2).Split("connected").Length > connectedBefore, Generous), $"the analyst never reached party 2: {frozen}");
                using (var stop = Process.Start("kill", ["-STOP", $"{parties[2].Id}"])) stop.WaitForExit();
                var stopped = Stopwatch.StartNew();
                int frozenCode = frozen.WaitForExit(Generous);
                var frozenNoticed = stopped.Elapsed;
                Assert.True(frozenCode != 0, $"the analyst got an answer although party 2 was stopped: {frozen}");
                Assert.Contains($"Party 2 (127.0.0.1:{ports[2]}) failed during the request", frozen.Stderr);
                Assert.Contains("not even a heartbeat", frozen.Stderr);
                Assert.DoesNotContain("ward,", frozen.Stdout);
                Assert.True(frozenNoticed < TimeSpan.FromSeconds(10), $"the analyst's error came {frozenNoticed} after party 2 stopped");
            }
            foreach (var survivor in new[] { 0, 1 })
                Assert.True(WaitFor(() => Messages(survivor).Contains($"party 2 (127.0.0.1:{ports[2]}) failed"), TimeSpan.FromSeconds(15)), Messages(survivor));
        }
        finally
        {
            foreach (var p in parties) p.Dispose();
        }
        var logs = string.Concat(Enumerable.Range(0, 3).Select(Log));
        foreach (var v in visits.Take(50)) Assert.DoesNotContain(v.Ssn, logs);
    }
}
