using System.Diagnostics;
using System.Net.Http.Json;
using Smpc.Registry.Tests.Infrastructure;
using System.Text.Json.Nodes;
using Smpc.Governance.Transparency;

namespace Smpc.Registry.Tests.Web;

/// <summary>`smpc audit verify | prove | check-proof` as an auditor and a steward run them, on an exported log.</summary>
public sealed class AuditCommandLineTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("smpc-audit-cli-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    internal static (int Code, string Out, string Err) Smpc(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(CommandLineTests.FindCli());
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), "smpc did not finish");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    string WriteLog(out TransparencyLog log)
    {
        var key = LogKey.Generate("registry");
        var witness = LogKey.Generate("party-0");
        log = new TransparencyLog(key);
        var t = new DateTime(2026, 5, 4, 10, 0, 0, DateTimeKind.Utc);
        log.Append(LogEntryKind.TermsVersion, t, "terms v1 of bank", "s1", "steward@bank");
        log.Append(LogEntryKind.Approval, t.AddHours(1), "bank approved terms v1", "s1", "steward@bank");
        log.Append(LogEntryKind.UploadReceipt, t.AddHours(2), "bank uploaded 10,000 rows", "s1", "steward@bank");
        log.Append(LogEntryKind.Query, t.AddHours(3), "mean(balance) by state", "s1", "analyst@research");
        log.Append(LogEntryKind.Release, t.AddHours(3), "R09 released", "s1", "analyst@research", new Dictionary<string, string> { ["release"] = "R09" });
        log.Append(LogEntryKind.Refusal, t.AddHours(4), "refused: minimum cell size", "s1", "analyst@research");
        var w = new Witness(witness, key.Public);
        log.AddCosignature(log.Size, w.Cosign(log.Latest!, [], t.AddHours(5)), witness.Public);
        var path = Path.Combine(_dir, "log.json");
        log.Export([witness.Public]).Save(path);
        return path;
    }

    [Fact]
    public void Verify_answers_0_on_a_sound_log_and_1_naming_the_first_bad_entry()
    {
        var path = WriteLog(out _);
        var sound = Smpc("audit", "verify", path, "--keys", path, "--require-cosignatures", "1");
        Assert.True(sound.Code == 0, sound.Out + sound.Err);
        Assert.StartsWith("sound: 6 entries, 6 signed heads, 1 cosignatures verified", sound.Out);

        var doc = JsonNode.Parse(File.ReadAllText(path))!;
        doc["entries"]![3]!["summary"] = "count(balance) by state";
        var edited = Path.Combine(_dir, "edited.json");
        File.WriteAllText(edited, doc.ToJsonString());
        var bad = Smpc("audit", "verify", edited, "--keys", path);
        Assert.Equal(1, bad.Code);
        Assert.Contains("first bad entry 3", bad.Out);

        var gone = JsonNode.Parse(File.ReadAllText(path))!;
        gone["entries"]!.AsArray().RemoveAt(1);
        File.WriteAllText(edited, gone.ToJsonString());
        var deleted = Smpc("audit", "verify", edited);
        Assert.Equal(1, deleted.Code);
        Assert.Contains("first bad entry 1", deleted.Out);

        File.WriteAllText(edited, "{ not json");
        var unreadable = Smpc("audit", "verify", edited);
        Assert.Equal(2, unreadable.Code);
        Assert.Contains(edited, unreadable.Err);
    }

    [Fact]
    public void Prove_prints_a_release_proof_that_check_proof_accepts_offline_and_refuses_altered()
    {
        var path = WriteLog(out var log);
        var proofPath = Path.Combine(_dir, "R09.proof.json");
        var prove = Smpc("audit", "prove", "--log", path, "--release", "R09", "--out", proofPath);
        Assert.True(prove.Code == 0, prove.Out + prove.Err);
        var proof = InclusionProof.Parse(File.ReadAllText(proofPath), proofPath);
        Assert.Equal(4, proof.Entry.Index);
        proof.Verify(log.PublicKey);

        var check = Smpc("audit", "check-proof", proofPath, "--keys", path, "--require-witnesses");
        Assert.True(check.Code == 0, check.Out + check.Err);
        Assert.Contains("sound: entry 4 (Release", check.Out);

        var doc = JsonNode.Parse(File.ReadAllText(proofPath))!;
        doc["entry"]!["summary"] = "R09 withheld";
        File.WriteAllText(proofPath, doc.ToJsonString());
        var altered = Smpc("audit", "check-proof", proofPath, "--keys", path);
        Assert.Equal(1, altered.Code);
        Assert.Contains("NOT SOUND: entry 4", altered.Out);

        Assert.Equal(2, Smpc("audit", "prove", "--log", path, "--release", "R99").Code);
    }
}

/// <summary>`smpc audit witness` as a compute party's operator runs it against a live registry: countersigns heads
/// that extend the one it holds, and refuses a head from a forked history with exit code 1.</summary>
public sealed class WitnessCommandLineTests
{
    [Fact]
    public async Task A_party_witness_countersigns_an_extending_log_and_refuses_a_fork()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        var dir = Directory.CreateTempSubdirectory("smpc-witness-").FullName;
        try
        {
            string token = await Http.TokenAsync(server, server.Report.AdminEmail);
            using var admin = server.Client().WithToken(token);
            var keys = Path.Combine(dir, "keys.json");
            File.WriteAllText(keys, await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync());
            var keyFile = Path.Combine(dir, "party-0.key");
            var created = AuditCommandLineTests.Smpc("audit", "witness-key", "--key", keyFile, "--name", "party-0");
            Assert.True(created.Code == 0, created.Err);
            var pub = System.Text.Json.JsonDocument.Parse(created.Out).RootElement;
            var register = await admin.PostAsJsonAsync("/api/log/witnesses", new Smpc.Registry.Api.WitnessKeyRequest("party-0", pub.GetProperty("publicKey").GetString()));
            Assert.Equal(System.Net.HttpStatusCode.Created, register.StatusCode);

            // The same log exported from the running registry with an administrator's token verifies; a steward's token is refused.
            var exported = Path.Combine(dir, "live.json");
            var live = AuditCommandLineTests.Smpc("audit", "export", "--registry", server.BaseAddress.ToString(), "--token", token, "--out", exported);
            Assert.True(live.Code == 0, live.Out + live.Err);
            Assert.Equal(0, AuditCommandLineTests.Smpc("audit", "verify", exported, "--keys", keys).Code);
            var steward = AuditCommandLineTests.Smpc("audit", "export", "--registry", server.BaseAddress.ToString(), "--token", await Http.TokenAsync(server, "riley.chen@bank.example"), "--out", exported);
            Assert.Equal(2, steward.Code);
            Assert.Contains("403", steward.Err);

            var state = Path.Combine(dir, "party-0.head.json");
            string[] Args() => ["audit", "witness", "--registry", server.BaseAddress.ToString(), "--token", token, "--key", keyFile, "--name", "party-0", "--state", state, "--keys", keys];
            var first = AuditCommandLineTests.Smpc(Args());
            Assert.True(first.Code == 0, first.Out + first.Err);
            Assert.Contains("countersigned the tree head", first.Out);
            await admin.PostAsJsonAsync("/api/log/witnesses", new Smpc.Registry.Api.WitnessKeyRequest("party-1", Convert.ToBase64String(LogKey.Generate("party-1").Public.Key)));
            var second = AuditCommandLineTests.Smpc(Args());
            Assert.True(second.Code == 0, second.Out + second.Err);
            Assert.Contains("extends size", second.Out);

            // The registry's operator had shown this witness another history earlier (a head it signed over other entries).
            var logKey = Smpc.Registry.Transparency.RegistryLog.LoadOrCreateKey(server.DataDirectory);
            var held = System.Text.Json.JsonDocument.Parse(File.ReadAllText(state)).RootElement;
            var forked = SignedTreeHead.Sign(logKey, held.GetProperty("size").GetInt64() - 1, System.Security.Cryptography.SHA256.HashData("another history"u8), DateTime.UtcNow.AddMinutes(-5));
            File.WriteAllText(state, forked.ToJson());
            var refused = AuditCommandLineTests.Smpc(Args());
            Assert.Equal(1, refused.Code);
            Assert.Contains("REFUSED: Fork", refused.Out);
            Assert.Equal(forked.ToJson(), File.ReadAllText(state));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
