using System.Text.Json;
using System.Text.RegularExpressions;
using Smpc.Governance.Transparency;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// No single keeper, as the processes run it: three registry-gated `smpc party serve` processes, each pinning the real
/// `smpc registry` process's log key and countersigning its heads with its own witness key. After an analysis the
/// registry is restarted from an older copy of its data folder (a fork: a history that does not contain the heads the
/// parties countersigned) and grown past them. The next request's result is withheld and every later request refused,
/// by each party, with rule LogConsistency naming the head it holds and the one presented; the held heads are kept and
/// nothing is countersigned on the forked log.
/// </summary>
[Collection("processes")]
public sealed class PartyServeLogForkProcessTests : IDisposable
{
    static readonly TimeSpan Generous = PartyServiceProcesses.Generous;
    const string Study = "fork-e2e";
    readonly string _dir = CliProcess.TempFolder("smpc-fork");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Party_services_refuse_work_with_LogConsistency_once_the_registry_is_restarted_from_an_older_copy()
    {
        var ports = CliProcess.FreePorts(7);
        string url = $"http://127.0.0.1:{ports[6]}";
        using (var certs = CliProcess.Start(_dir, "certs", "--study", Study, "--out", "certs", "--ports", string.Join(',', ports[..3]),
                   "--upload-ports", string.Join(',', ports[3..6]), "--contributors", "clinic", "--analyst", RegistryPeople.Analyst))
            Assert.True(certs.WaitForExit(Generous) == 0, certs.ToString());
        var random = new Random(5);
        var people = Enumerable.Range(0, 200).Select(i => $"{random.Next(100, 600)}{random.Next(10, 99)}{1000 + i}").ToArray();
        VisitsAndClaims.Write(_dir, people, 200, 100, random, "fork test", ["groupby", "count", "sum", "mean"]);

        var registry = RegistryProcess.Start(_dir, "registry", url);
        var older = Path.Combine(_dir, "registry-older");
        var parties = new CliProcess[3];
        try
        {
            var users = new RegistryPeople(cookies => new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = cookies }) { BaseAddress = new Uri(url) },
                registry.AdminPassword!, registry.DemoPassword!);
            var study = await users.StudyAtAnalysisAsync("Fork test", [new("visits", "va", "sam.okafor@va.example", Path.Combine(_dir, "visits.terms.json"), Path.Combine(_dir, "visits.csv"))]);
            var keys = await users.GateAsync(Path.Combine(_dir, "certs", "study.json"), study, url);
            using var analyst = await users.AsAsync(RegistryPeople.Analyst);
            var (token, _) = await RegistryPeople.WorkTokenAsync(analyst, study.Id);

            // The operator's copy of the registry's data as it is now (the registry stopped to copy it, then restarted).
            registry.Dispose();
            CopyDirectory(registry.DataDirectory, older);
            registry = RegistryProcess.Start(_dir, "registry", url);

            for (int p = 0; p < 3; p++) parties[p] = PartyServiceProcesses.Serve(_dir, p);
            PartyServiceProcesses.Contribute(_dir, _dir, ("visits", "clinic"));
            PartyServiceProcesses.WaitServing(_dir, parties);
            CliProcess Analyze() => CliProcess.Start(_dir, "analyze", "--config", "certs/study.json", "--dataset", "visits", "--stat", "count,mean", "--column", "cost",
                "--group-by", "ward", "--format", "csv", "--connect-timeout", "120", "--work-token", token);
            using (var a = Analyze())
                Assert.True(a.WaitForExit(Generous) == 0, a.ToString());

            // Each party countersigned a head of the registry's log, kept beside its store; the log shows the cosignatures.
            string State(int p) => Path.Combine(_dir, $"store-{p}", "witness", $"{Study}.head.json");
            var held = new SignedTreeHead[3];
            var states = new string[3];
            for (int p = 0; p < 3; p++)
            {
                states[p] = File.ReadAllText(State(p));
                using var doc = JsonDocument.Parse(states[p]);
                held[p] = SignedTreeHead.Read(doc.RootElement, State(p));
                Assert.True(held[p].SignedBy(study.LogKey), $"party {p} holds a head the registry signed");
            }
            using (var admin = await users.AsAsync(RegistryProcess.AdminEmail))
            {
                var export = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "export");
                for (int p = 0; p < 3; p++) Assert.Contains(export.Heads, h => h.SameHead(held[p]) && h.CosignedBy(keys[p].Public));
            }

            // The registry restarted from the older copy, and grown past the heads the parties hold (work tokens are entries).
            registry.Dispose();
            registry = RegistryProcess.Start(_dir, older, url);
            using var forkedAnalyst = await users.AsAsync(RegistryPeople.Analyst);   // (a new connection to the restarted process)
            async Task<long> SizeAsync() => (await RegistryPeople.Ok(await forkedAnalyst.GetAsync("/api/log/head"), "the head")).GetProperty("size").GetInt64();
            while (await SizeAsync() <= held.Max(h => h.Size))
                await RegistryPeople.WorkTokenAsync(forkedAnalyst, study.Id);
            var (forkedToken, _) = await RegistryPeople.WorkTokenAsync(forkedAnalyst, study.Id);
            token = forkedToken;   // a token of the forked registry: signed with the same token key, so only the log gives the fork away

            // The next request: computed and logged, then withheld by every party, whose witness finds the fork …
            using (var a = Analyze())
            {
                Assert.Equal(3, a.WaitForExit(Generous));
                Assert.Contains("LogConsistency", a.Stderr);
                for (int p = 0; p < 3; p++) Assert.Contains($"Compute party {p} withholds the result", a.Stderr);
            }
            // … and every later one refused before it is computed, naming the head each party holds and the one presented.
            using (var a = Analyze())
            {
                Assert.Equal(3, a.WaitForExit(Generous));
                Assert.Contains("LogConsistency", a.Stderr);
                for (int p = 0; p < 3; p++)
                {
                    Assert.Contains($"party {p}: refused (LogConsistency", a.Stderr);
                    // "Fork: <the head presented> does not extend <the head held> that party-p countersigned"
                    var fork = Regex.Match(a.Stderr, $@"Fork: tree head of \S+ at size (\d+) \(root [0-9a-f]{{16}}…, [^)]*\) does not extend {Regex.Escape(held[p].ToString())} that party-{p} countersigned");
                    Assert.True(fork.Success, $"party {p}'s refusal names both heads:\n{a.Stderr}");
                    Assert.True(long.Parse(fork.Groups[1].Value) > held[p].Size, fork.Value);
                }
            }
            Assert.All(parties, p => Assert.False(p.HasExited, "a party refuses work, it does not stop"));
            for (int p = 0; p < 3; p++) Assert.Equal(states[p], File.ReadAllText(State(p)));
            using (var admin = await users.AsAsync(RegistryProcess.AdminEmail))
            {
                var forked = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "forked export");
                Assert.DoesNotContain(forked.Heads, h => keys.Any(k => h.CosignedBy(k.Public)));   // nothing countersigned on the forked log
            }
            var logs = string.Concat(Enumerable.Range(0, 3).Select(p => File.ReadAllText(Path.Combine(_dir, $"party-{p}.jsonl"))));
            Assert.Contains("LogConsistency", logs);
        }
        finally
        {
            foreach (var p in parties) p?.Dispose();
            registry.Dispose();
        }
    }

    static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
