using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Smpc.Governance;
using Smpc.Governance.Gating;
using Smpc.Governance.Transparency;
using Smpc.Registry.Api;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>The demo study driven to its analysis stage through the API: before it, the analyst's request for a work
/// token is refused with the stage named; in it, the analyst gets a token that a compute party accepts offline with the
/// registry's published token key, the coordinator gets none, and the issue is in the transparency log.</summary>
public sealed class WorkTokenApiTests
{
    [Fact]
    public async Task The_analyst_gets_a_work_token_only_in_the_analysis_stage_and_a_party_accepts_it_offline()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        var studyPath = $"/api/studies/{server.Report.Demo!.StudyId}";
        async Task<HttpClient> As(string email) => server.Client().WithToken(await Http.TokenAsync(server, email));
        using var analyst = await As("alex.rivera@research.example");
        using var coordinator = await As("pat.quinn@research.example");

        var early = await analyst.PostAsync($"{studyPath}/work-token", null);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        using (var problem = JsonDocument.Parse(await early.Content.ReadAsStringAsync()))
            Assert.Equal("StudyStage", problem.RootElement.GetProperty("rule").GetString());

        var study = await (await coordinator.GetAsync(studyPath)).ReadAsync<StudyResponse>();
        var stewards = new Dictionary<string, string> { ["veterans"] = "sam.okafor@va.example", ["bank"] = "riley.chen@bank.example", ["survey"] = "jordan.kim@stats.example" };
        foreach (var d in study.Datasets.Where(d => !d.Approved))
            using (var steward = await As(stewards[d.Name]))
                Assert.True((await steward.PostAsJsonAsync($"{studyPath}/datasets/{d.Id}/approvals", new ApproveRequest(d.Terms!.Hash))).IsSuccessStatusCode);
        Assert.Equal(StudyStage.Approved, (await (await coordinator.PostAsync($"{studyPath}/advance", null)).ReadAsync<StageResponse>()).Stage);
        foreach (var d in study.Datasets)
            using (var steward = await As(stewards[d.Name]))
            {
                var upload = await steward.PostAsJsonAsync($"{studyPath}/datasets/{d.Id}/uploads", new UploadRequest(new string('c', 64)));
                Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
            }
        Assert.Equal(StudyStage.DataCommitted, (await (await coordinator.PostAsync($"{studyPath}/advance", null)).ReadAsync<StageResponse>()).Stage);
        Assert.Equal(StudyStage.Analysis, (await (await coordinator.PostAsync($"{studyPath}/advance", null)).ReadAsync<StageResponse>()).Stage);

        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.PostAsync($"{studyPath}/work-token", null)).StatusCode);
        var issued = await analyst.PostAsync($"{studyPath}/work-token", null);
        Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("token").GetString()!;

        using var keyDoc = JsonDocument.Parse(await (await analyst.GetAsync("/api/work-token-key")).Content.ReadAsStringAsync());
        var registryKey = new LogPublicKey(keyDoc.RootElement.GetProperty("name").GetString()!, Convert.FromBase64String(keyDoc.RootElement.GetProperty("publicKey").GetString()!));
        study = await (await coordinator.GetAsync(studyPath)).ReadAsync<StudyResponse>();
        var held = study.Datasets.ToDictionary(d => d.Name, d => d.Terms!.Hash);
        var party = new StudyTokenCheck { Registry = registryKey, Study = study.Id.ToString() };
        var claims = party.Check(token, "alex.rivera@research.example", held, DateTime.UtcNow);
        Assert.Equal(body.RootElement.GetProperty("id").GetString(), claims.Id);
        Assert.Equal("TokenAnalyst", Assert.Throws<StudyTokenRefusal>(() => party.Check(token, "pat.quinn@research.example", held, DateTime.UtcNow)).Rule);

        using var admin = await As(server.Report.AdminEmail);
        var log = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "log");
        Assert.Contains(log.Entries, e => e.Kind == LogEntryKind.WorkToken && e.Data["tokenId"] == claims.Id);
        Assert.Contains(log.Entries, e => e.Kind == LogEntryKind.UploadReceipt);
        Assert.True(LogVerifier.Verify(log).Sound);
    }
}
