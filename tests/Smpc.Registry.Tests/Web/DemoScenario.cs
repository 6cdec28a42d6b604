using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Smpc.Governance.DataUse;
using Smpc.Governance;
using Smpc.Registry.Api;
using Smpc.Registry.Hosting;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// The veterans' study as the demo seeds it, driven through the JSON API as its people would: the bank's steward finds
/// the approval waiting, the coordinator's move is refused naming it, the steward approves by hash, the study is
/// approved; then the bank relaxes its redisclosure terms, which voids the approval and sends the study back, with the
/// diff in the terms history. Run on each database (<see cref="SqliteDemoTests"/>, <see cref="PostgresDemoTests"/>).
/// </summary>
internal static class DemoScenario
{
    public static async Task RunAsync(RegistryServer server)
    {
        Assert.Equal(HttpStatusCode.OK, (await server.Client().GetAsync("/health")).StatusCode);
        var demo = server.Report.Demo!;
        var steward = server.Client().WithToken(await Http.TokenAsync(server, "riley.chen@bank.example"));
        var coordinator = server.Client().WithToken(await Http.TokenAsync(server, "pat.quinn@research.example"));
        string studyPath = $"/api/studies/{demo.StudyId}";

        var study = await (await steward.GetAsync(studyPath)).ReadAsync<StudyResponse>();
        Assert.Equal(StudyStage.Commitments, study.Stage);
        var bank = study.Datasets.Single(d => d.Name == "bank");
        Assert.False(bank.Approved);
        Assert.Equal([$"steward of 'bank' has not approved terms v1 (sha256 {bank.Terms!.Hash[..12]}…)"], study.UnmetCriteria);
        var action = Assert.Single(await (await steward.GetAsync("/api/actions")).ReadAsync<List<ActionResponse>>());
        Assert.Equal("approve-terms", action.Kind);
        Assert.True(action.WaitingDays >= 94, $"waited {action.WaitingDays} days");

        var refused = await coordinator.PostAsync($"{studyPath}/advance", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
            Assert.Equal(study.UnmetCriteria, problem.RootElement.GetProperty("unmet").EnumerateArray().Select(e => e.GetString()!).ToList());

        var veterans = study.Datasets.Single(d => d.Name == "veterans");
        Assert.Equal(HttpStatusCode.Forbidden,
            (await steward.PostAsJsonAsync($"{studyPath}/datasets/{veterans.Id}/approvals", new ApproveRequest(veterans.Terms!.Hash))).StatusCode);
        await (await steward.PostAsJsonAsync($"{studyPath}/datasets/{bank.Id}/approvals", new ApproveRequest(bank.Terms.Hash))).ReadAsync<TermsVersionResponse>();
        Assert.Empty(await (await steward.GetAsync("/api/actions")).ReadAsync<List<ActionResponse>>());
        Assert.Equal("advance", Assert.Single(await (await coordinator.GetAsync("/api/actions")).ReadAsync<List<ActionResponse>>()).Kind);
        Assert.Equal(StudyStage.Approved, (await (await coordinator.PostAsync($"{studyPath}/advance", null)).ReadAsync<StageResponse>()).Stage);

        var relaxed = RegistrySeeder.Terms("bank") with
        {
            Redisclosure = new RedisclosureTerms { InternalUseOnly = false, RedisclosureTo = ["study team", "statistics office"], Conditions = "Aggregates only." },
        };
        var put = await steward.PutAsync($"{studyPath}/datasets/{bank.Id}/terms",
            new StringContent(JsonSerializer.Serialize(relaxed, DataUseTerms.Json), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(2, (await put.ReadAsync<TermsVersionResponse>()).Version);
        study = await (await coordinator.GetAsync(studyPath)).ReadAsync<StudyResponse>();
        Assert.Equal(StudyStage.Commitments, study.Stage);
        Assert.False(study.Datasets.Single(d => d.Name == "bank").Approved);
        var history = await (await coordinator.GetAsync($"{studyPath}/datasets/{bank.Id}/terms")).ReadAsync<List<TermsHistoryEntry>>();
        Assert.Equal([1, 2], history.Select(h => h.Version));
        Assert.Contains("redisclosure.internalUseOnly: true -> false", history[1].ChangesFromPrevious);
        Assert.Contains("redisclosure.redisclosureTo: +study team, +statistics office", history[1].ChangesFromPrevious);
        Assert.StartsWith("Approve terms v2", Assert.Single(await (await steward.GetAsync("/api/actions")).ReadAsync<List<ActionResponse>>()).Text);
    }
}

public sealed class SqliteDemoTests
{
    [Fact]
    public async Task The_demo_study_moves_through_approval_and_back_on_sqlite()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        await DemoScenario.RunAsync(server);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDemoTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_demo_study_moves_through_approval_and_back_on_postgresql()
    {
        await using var server = await RegistryServer.StartAsync(connection: await postgres.CreateDatabaseAsync("demo"), demo: true);
        Assert.Equal(HttpStatusCode.OK, (await server.Client().GetAsync("/health")).StatusCode);
        await DemoScenario.RunAsync(server);
    }
}
