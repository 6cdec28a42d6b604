using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Columnar;
using Smpc.Governance.Gating;
using Smpc.Governance.Transparency;
using Smpc.Registry.Api;
using Smpc.Registry.Hosting;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// No single keeper of the record: two of the three registry-gated party services are witnesses of the registry's log
/// (each with its own witness key, registered by the administrator, and its own state folder). In normal operation each
/// countersigns the head it sees at service start and after each computation it logs, so the heads covering a release's
/// entries carry both parties' cosignatures and the export verifies with them. Then the registry's operator restores
/// the database from an older copy and lets it grow past the heads the parties hold (a rewritten history): both
/// witnessing parties detect it at service start, refuse the analyst's next request with rule LogConsistency naming
/// the head each holds and the one presented, keep their held heads, and cosign nothing on the rewritten log.
/// </summary>
public sealed class WitnessingPartiesTests
{
    [Fact]
    public async Task Parties_countersign_the_heads_they_see_and_refuse_a_registry_restored_from_an_older_copy()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        var studyId = server.Report.Demo!.StudyId.ToString();
        var (terms, workToken, _, tokenKey) = await ComputationLogScenario.ToAnalysisAsync(server);
        using var admin = server.Client().WithToken(await Http.TokenAsync(server, server.Report.AdminEmail));
        var logJson = JsonDocument.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync()).RootElement.GetProperty("log");
        var logKey = new LogPublicKey(logJson.GetProperty("name").GetString()!, Convert.FromBase64String(logJson.GetProperty("publicKey").GetString()!));
        var dir = Directory.CreateTempSubdirectory("smpc-witnessing-").FullName;
        try
        {
            // Parties 0 and 1 witness: keys created as `smpc audit witness-key` does, registered by the administrator.
            var keys = Enumerable.Range(0, 2).Select(p => LogKey.LoadOrCreate(Path.Combine(dir, $"party-{p}", "witness.key"), $"party-{p}")).ToArray();
            foreach (var k in keys)
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/log/witnesses", new WitnessKeyRequest(k.Name, Convert.ToBase64String(k.Public.Key)))).StatusCode);
            var operatorTokens = new string[3];
            for (int p = 0; p < 3; p++) operatorTokens[p] = await Http.TokenAsync(server, ComputationLogScenario.Operators[p]);
            string State(int p) => Path.Combine(dir, $"party-{p}", "witness", "veterans-study.head.json");

            // The registry's data as it stands now, copied aside (an operator's backup).
            var backup = Path.Combine(dir, "registry-backup");
            CopyDirectory(server.DataDirectory, backup, except: "registry.db");
            await server.WithDbAsync(async (db, _) => await db.Database.ExecuteSqlAsync($"VACUUM INTO {Path.Combine(backup, "registry.db")}"));

            var folder = SyntheticAgencies.Locate(null);
            Release Run(Uri registry)
            {
                var logs = Enumerable.Range(0, 3).Select(p => new RegistryComputationLog(registry.ToString(), operatorTokens[p], studyId)).ToArray();
                var witnesses = Enumerable.Range(0, 2).Select(p => new RegistryLogWitness(registry.ToString(), operatorTokens[p], keys[p], logKey, State(p))).ToArray();
                try
                {
                    using var secure = SecureStudy.Embedded("veterans-study", ComputationLogScenario.Analyst,
                        gates: p => new PartyGate(new StudyTokenCheck { Registry = tokenKey, Study = studyId }) { Log = logs[p], Witness = p < 2 ? witnesses[p] : null });
                    secure.WorkToken = workToken;
                    secure.Contribute(Path.Combine(folder, "veterans.csv"), TableSchema.Load(Path.Combine(folder, "veterans.schema.json")), terms);
                    return secure.Aggregate(new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Count], GroupBy = ["service_era"] });
                }
                finally
                {
                    foreach (var l in logs) l.Dispose();
                    foreach (var w in witnesses) w.Dispose();
                }
            }

            // Normal operation: each witnessing party countersigned the head after its entry; the export verifies.
            var release = Run(server.BaseAddress);
            Assert.Equal([0, 1, 2], release.LogEntries.Select(e => e.Party));
            Assert.False(File.Exists(State(2)));
            var export = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "export");
            var verified = LogVerifier.Verify(export, new LogVerifyOptions { TrustedLog = logKey, TrustedWitnesses = keys.Select(k => k.Public).ToList() });
            Assert.True(verified.Sound, verified.Summary);
            var held = new SignedTreeHead[2];
            for (int p = 0; p < 2; p++)
            {
                using (var doc = JsonDocument.Parse(File.ReadAllText(State(p)))) held[p] = SignedTreeHead.Read(doc.RootElement, State(p));
                var cosigned = export.Heads.Where(h => h.CosignedBy(keys[p].Public)).ToList();
                Assert.True(cosigned.Count >= 2, $"party {p} cosigned {cosigned.Count} heads (service start and its entry expected)");
                Assert.Contains(cosigned, h => h.SameHead(held[p]));
                Assert.Contains(cosigned, h => h.Size > release.LogEntries.Single(e => e.Party == p).Index);   // a cosigned head covers its entry
            }

            // The registry restored from the older copy; its operator lets it grow past the heads the parties hold.
            await using var restored = await RegistryServer.StartAsync(configure: o => o with { DataDirectory = backup });
            using var analyst = restored.Client().WithToken(await Http.TokenAsync(restored, ComputationLogScenario.Analyst));
            async Task<long> SizeAsync() => JsonDocument.Parse(await (await analyst.GetAsync("/api/log/head")).Content.ReadAsStringAsync()).RootElement.GetProperty("size").GetInt64();
            while (await SizeAsync() <= held.Max(h => h.Size))
                Assert.True((await analyst.PostAsync($"/api/studies/{studyId}/work-token", null)).IsSuccessStatusCode);
            long presented = await SizeAsync();
            var states = Enumerable.Range(0, 2).Select(p => File.ReadAllText(State(p))).ToArray();

            var refused = Assert.Throws<StudyRefusedException>(() => Run(restored.BaseAddress));
            Assert.Equal("LogConsistency", refused.Rule);
            for (int p = 0; p < 2; p++)
            {
                Assert.Contains($"party {p}: refused (LogConsistency", refused.Message);
                Assert.Contains(held[p].ToString(), refused.Message);                  // the head this party holds …
                Assert.Contains($"at size {presented}", refused.Message);               // … and the one presented
                Assert.Equal(states[p], File.ReadAllText(State(p)));                    // … is kept
            }
            Assert.Contains("Fork", refused.Message);
            using var restoredAdmin = restored.Client().WithToken(await Http.TokenAsync(restored, server.Report.AdminEmail));
            var rewritten = LogExport.Parse(await (await restoredAdmin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "restored");
            Assert.DoesNotContain(rewritten.Heads, h => keys.Any(k => h.CosignedBy(k.Public)));    // nothing cosigned on the rewritten log
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    static void CopyDirectory(string from, string to, string except)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith(except, StringComparison.Ordinal)) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
