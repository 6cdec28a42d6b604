using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Smpc.Analytics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Studies.Registry;
using Smpc.Governance;
using Smpc.Governance.Gating;
using Smpc.Governance.Transparency;
using Smpc.Registry.Api;
using Smpc.Registry.Hosting;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// A work token revoked at the registry: the demo study is taken to its analysis stage and the analyst gets a token.
/// A steward, a compute operator, an outsider and another analyst of the study may not revoke it (403), a token the
/// registry did not issue for the study is unknown (404). Three registry-gated party services (the embedded ones, each
/// asking the registry for the revoked tokens with its compute operator's token) compute with the token; the analyst
/// revokes it at the registry (a lost laptop), and the very next request is refused by every party with rule
/// TokenRevoked — no party restarted, no configuration edited. The revocation is one log entry naming the token and who
/// revoked it (a second revocation adds none); the coordinator and an administrator may revoke the analyst's tokens too.
/// Run on each database (<see cref="SqliteWorkTokenRevocationTests"/>, <see cref="PostgresWorkTokenRevocationTests"/>).
/// </summary>
internal static class WorkTokenRevocationScenario
{
    const string Analyst = ComputationLogScenario.Analyst;

    public static async Task RunAsync(RegistryServer server)
    {
        var studyId = server.Report.Demo!.StudyId.ToString();
        string studyPath = $"/api/studies/{studyId}";
        async Task<HttpClient> As(string email) => server.Client().WithToken(await Http.TokenAsync(server, email));
        var (terms, workToken, tokenId, registryKey) = await ComputationLogScenario.ToAnalysisAsync(server);
        using var coordinator = await As("pat.quinn@research.example");
        using var analyst = await As(Analyst);
        using var admin = await As(server.Report.AdminEmail);
        using var steward = await As("sam.okafor@va.example");
        using var operatorA = await As(ComputationLogScenario.Operators[0]);

        // Another analyst of the study (Avery Shah, of a participating organisation) and an outsider (in no study).
        var avery = await server.WithDbAsync((db, _) => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.People, p => p.Email == "avery.shah@stats.example"));
        Assert.True((await coordinator.PostAsJsonAsync($"{studyPath}/members", new AddMemberRequest(avery.Id, StudyRole.Analyst))).IsSuccessStatusCode);
        await server.WithDbAsync(async (db, users) =>
        {
            var org = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.Organisations);
            return (await Accounts.CreateAsync(db, users, org, "Olive Outsider", "olive.outsider@research.example")).Person;
        });
        using var otherAnalyst = await As("avery.shah@stats.example");
        using var outsider = await As("olive.outsider@research.example");

        string Revocation(string id) => $"{studyPath}/work-tokens/{id}/revocation";
        foreach (var (who, client) in new[] { ("another analyst", otherAnalyst), ("a steward", steward), ("a compute operator", operatorA), ("an outsider", outsider) })
        {
            var refused = await client.PostAsync(Revocation(tokenId), null);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{who}: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PostAsync(Revocation("0123456789abcdef0123456789abcdef"), null)).StatusCode);
        async Task<IReadOnlyList<string>> RevokedAsync() =>
            (await (await operatorA.GetAsync($"{studyPath}/work-tokens/revoked")).ReadAsync<RevokedWorkTokens>()).Revoked;
        Assert.Empty(await RevokedAsync());

        // Three registry-gated parties compute with the token, then refuse it once the analyst revoked it at the registry.
        var operatorTokens = new string[3];
        for (int p = 0; p < 3; p++) operatorTokens[p] = await Http.TokenAsync(server, ComputationLogScenario.Operators[p]);
        var clients = operatorTokens.Select(t => new RegistryClient(server.BaseAddress.ToString(), t)).ToArray();
        var folder = SyntheticAgencies.Locate(null);
        long sizeBefore;
        StudyRefusedException revoked;
        try
        {
            using var secure = SecureStudy.Embedded("veterans-study", Analyst, gates: p => new PartyGate(new StudyTokenCheck { Registry = registryKey, Study = studyId })
            {
                Log = new RegistryComputationLog(clients[p], studyId),
                Revocations = new RegistryTokenRevocations(clients[p], studyId) { Fresh = TimeSpan.Zero },   // asked before every request
            });
            secure.WorkToken = workToken;
            secure.Contribute(Path.Combine(folder, "veterans.csv"), TableSchema.Load(Path.Combine(folder, "veterans.schema.json")), terms);
            var counts = new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Count], GroupBy = ["service_era"] };
            Assert.True(secure.Aggregate(counts).RowCount > 0);

            using (var lostLaptop = new RegistryClient(server.BaseAddress.ToString(), await Http.TokenAsync(server, Analyst)))
            {
                var revocation = await lostLaptop.RevokeWorkTokenAsync(studyId, tokenId);
                Assert.Equal(tokenId, revocation.TokenId);
                Assert.Equal(Analyst, revocation.RevokedBy);
            }
            sizeBefore = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "log").Entries.Count;
            revoked = Assert.Throws<StudyRefusedException>(() => secure.Aggregate(counts));
            Assert.Equal("TokenRevoked", revoked.Rule);
            Assert.Contains(tokenId, revoked.Message);
            Assert.Equal("TokenRevoked", Assert.Throws<StudyRefusedException>(() => secure.Aggregate(counts with { GroupBy = ["branch"] })).Rule);
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
        Assert.Equal([tokenId], await RevokedAsync());

        // Each party refused on its own (its refusal entry names the rule), after the revocation's entry.
        var export = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "log");
        Assert.True(LogVerifier.Verify(export).Sound);
        var refusals = export.Entries.Skip((int)sizeBefore).Where(e => e.Kind == LogEntryKind.Refusal).ToList();
        Assert.Equal(["0", "0", "1", "1", "2", "2"], refusals.Select(e => e.Data["party"]).Order());
        Assert.All(refusals, e => Assert.Equal("TokenRevoked", e.Data["rule"]));

        // One log entry for the revocation, naming the token and who revoked it; revoking again adds none.
        var alex = await server.WithDbAsync((db, _) => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.People, p => p.Email == Analyst));
        var entry = Assert.Single(export.Entries, e => e.Data.ContainsKey(WorkTokenEndpoints.RevokedKey));
        Assert.Equal(LogEntryKind.WorkToken, entry.Kind);
        Assert.Equal(studyId, entry.Study);
        Assert.Equal(alex.Id.ToString(), entry.Actor);
        Assert.Equal(tokenId, entry.Data[WorkTokenEndpoints.RevokedKey]);
        Assert.Equal(Analyst, entry.Data["revokedBy"]);
        Assert.Equal("analyst", entry.Data["revokedAs"]);
        var again = await (await coordinator.PostAsync(Revocation(tokenId), null)).ReadAsync<WorkTokenRevocation>();
        Assert.Equal(entry.Index, again.LogIndex);
        Assert.Equal(Analyst, again.RevokedBy);

        // The coordinator and an administrator (no study role) may revoke the analyst's tokens too; the other analyst may not.
        foreach (var (client, role) in new[] { (coordinator, "coordinator"), (admin, "administrator") })
        {
            var id = (await (await analyst.PostAsync($"{studyPath}/work-token", null)).ReadAsync<JsonElement>()).GetProperty("id").GetString()!;
            Assert.Equal(HttpStatusCode.Forbidden, (await otherAnalyst.PostAsync(Revocation(id), null)).StatusCode);
            var done = await (await client.PostAsync(Revocation(id), null)).ReadAsync<WorkTokenRevocation>();
            using var proof = JsonDocument.Parse(await (await analyst.GetAsync($"{studyPath}/log/{done.LogIndex}")).Content.ReadAsStringAsync());
            var logged = LogEntry.Read(proof.RootElement.GetProperty("entry"), "proof");
            Assert.Equal(id, logged.Data[WorkTokenEndpoints.RevokedKey]);
            Assert.Equal(role, logged.Data["revokedAs"]);
            Assert.Contains(id, await RevokedAsync());
        }
        Assert.Equal(3, (await RevokedAsync()).Count);
    }
}

public sealed class SqliteWorkTokenRevocationTests
{
    [Fact]
    public async Task A_work_token_revoked_at_the_registry_is_refused_by_every_gated_party_without_a_restart_on_sqlite()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        await WorkTokenRevocationScenario.RunAsync(server);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresWorkTokenRevocationTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_work_token_revoked_at_the_registry_is_refused_by_every_gated_party_without_a_restart_on_postgresql()
    {
        await using var server = await RegistryServer.StartAsync(connection: await postgres.CreateDatabaseAsync("revocations"), demo: true);
        await WorkTokenRevocationScenario.RunAsync(server);
    }
}
