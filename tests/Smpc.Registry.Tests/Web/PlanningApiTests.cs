using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smpc.Governance;
using Smpc.Registry.Api;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// The demo's veterans' study through the API and the pages: the coordinator plans a public release, the conflict with
/// the bank's "internal use only" appears on the API and the study page and blocks the bank's approval; the brief and
/// the ODRL policy of the bank's terms; "my studies" per organisation and the coordinator's critical path.
/// </summary>
public sealed class PlanningApiTests
{
    [Fact]
    public async Task A_planned_public_release_is_flagged_against_the_banks_terms_before_approval()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        var demo = server.Report.Demo!;
        var coordinator = server.Client().WithToken(await Http.TokenAsync(server, "pat.quinn@research.example"));
        var steward = server.Client().WithToken(await Http.TokenAsync(server, "riley.chen@bank.example"));
        string studyPath = $"/api/studies/{demo.StudyId}";
        var bank = (await (await coordinator.GetAsync(studyPath)).ReadAsync<StudyResponse>()).Datasets.Single(d => d.Name == "bank");

        Assert.Equal(HttpStatusCode.Forbidden, (await steward.PutAsJsonAsync($"{studyPath}/plan", new StudyPlan())).StatusCode);
        var plan = await (await coordinator.PutAsJsonAsync($"{studyPath}/plan",
            new { releaseAudience = new[] { "study team", "public" }, operations = new[] { "count", "mean" }, plannedEnd = "2027-06-30" })).ReadAsync<PlanResponse>();
        Assert.Equal(["study team", "public"], plan.Plan!.ReleaseAudience);
        var conflict = Assert.Single(plan.Conflicts);
        Assert.Equal(("bank", "redisclosure.internalUseOnly"), (conflict.Dataset, conflict.Clause));
        Assert.Equal(plan.Conflicts, await (await steward.GetAsync($"{studyPath}/conflicts")).ReadAsync<List<TermsConflict>>());

        var bad = await coordinator.PutAsJsonAsync($"{studyPath}/plan", new { operations = new[] { "peek" } });
        Assert.Equal(HttpStatusCode.Conflict, bad.StatusCode);
        Assert.Contains("unknown operation 'peek'", await bad.Content.ReadAsStringAsync());

        var refused = await steward.PostAsJsonAsync($"{studyPath}/datasets/{bank.Id}/approvals", new ApproveRequest(bank.Terms!.Hash));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("redisclosure.internalUseOnly", await refused.Content.ReadAsStringAsync());

        string page = await coordinator.GetStringAsync($"/studies/{demo.StudyId}");
        Assert.Contains("redisclosure.internalUseOnly", page);
        Assert.Contains("Critical path", page);
        Assert.Contains($"/studies/{demo.StudyId}/datasets/{bank.Id}/brief", page);

        // Resolved by planning within the terms: the approval goes through.
        var within = await (await coordinator.PutAsJsonAsync($"{studyPath}/plan", new { releaseAudience = new[] { "study team" }, operations = new[] { "count" } })).ReadAsync<PlanResponse>();
        Assert.Empty(within.Conflicts);
        await (await steward.PostAsJsonAsync($"{studyPath}/datasets/{bank.Id}/approvals", new ApproveRequest(bank.Terms.Hash))).ReadAsync<TermsVersionResponse>();
    }

    [Fact]
    public async Task The_brief_and_the_odrl_policy_of_a_terms_version_are_served_to_the_studys_members_only()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        var demo = server.Report.Demo!;
        var steward = server.Client().WithToken(await Http.TokenAsync(server, "riley.chen@bank.example"));
        var bank = (await (await steward.GetAsync($"/api/studies/{demo.StudyId}")).ReadAsync<StudyResponse>()).Datasets.Single(d => d.Name == "bank");

        string brief = await steward.GetStringAsync($"/studies/{demo.StudyId}/datasets/{bank.Id}/brief");
        Assert.Contains("Data-use terms of &#x27;bank&#x27;, version 1", brief);
        Assert.Contains("Internal project use only", brief);
        Assert.Contains(bank.Terms!.Hash, brief);
        Assert.Contains("@media print", brief);
        var json = await (await steward.GetAsync($"/api/studies/{demo.StudyId}/datasets/{bank.Id}/terms/brief?version=1")).ReadAsync<TermsBrief>();
        Assert.StartsWith("(a)", json.Sections[1].Heading);
        Assert.Equal(HttpStatusCode.Conflict, (await steward.GetAsync($"/api/studies/{demo.StudyId}/datasets/{bank.Id}/terms/brief?version=7")).StatusCode);

        var odrl = await steward.GetAsync($"/api/studies/{demo.StudyId}/datasets/{bank.Id}/terms/odrl");
        Assert.Equal("application/ld+json", odrl.Content.Headers.ContentType!.MediaType);
        var policy = JsonNode.Parse(await odrl.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("http://www.w3.org/ns/odrl.jsonld", policy["@context"]!.GetValue<string>());
        Assert.Contains(policy["prohibition"]!.AsArray(), r => r!["action"]!.GetValue<string>() == "distribute");

        var outsider = server.Client().WithToken(await Http.TokenAsync(server, "admin@registry.localhost"));
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"/api/studies/{demo.StudyId}/datasets/{bank.Id}/terms/odrl")).StatusCode);
    }

    [Fact]
    public async Task My_studies_show_status_per_organisation_and_the_coordinator_sees_the_critical_path()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        var steward = server.Client().WithToken(await Http.TokenAsync(server, "riley.chen@bank.example"));
        var coordinator = server.Client().WithToken(await Http.TokenAsync(server, "pat.quinn@research.example"));

        var mine = Assert.Single(await (await steward.GetAsync("/api/my/studies")).ReadAsync<List<StudyOverview>>());
        var bankOrg = mine.Organisations.Single(o => o.Datasets.Any(d => d.Name == "bank"));
        Assert.True(bankOrg.Committed);
        Assert.False(Assert.Single(bankOrg.Datasets).Approved);
        Assert.Contains(bankOrg.Owes, o => o.Contains("has not approved terms v1"));
        Assert.All(mine.Organisations.Where(o => o.OrganisationId != bankOrg.OrganisationId), o => Assert.Empty(o.Owes));

        Assert.Empty(await (await steward.GetAsync("/api/my/critical-path")).ReadAsync<List<CriticalPathReport>>());
        var path = Assert.Single(await (await coordinator.GetAsync("/api/my/critical-path")).ReadAsync<List<CriticalPathReport>>());
        var first = path.Items[0];
        Assert.Equal("approve-terms", first.Kind);
        Assert.True(first.DaysWaiting >= 94, $"waited {first.DaysWaiting} days");
        Assert.Equal(path.Items.OrderByDescending(i => i.DaysOverdue ?? -1).Select(i => i.Kind), path.Items.Select(i => i.Kind));
        string home = await steward.GetStringAsync("/");
        Assert.Contains("owes:", home);
        string actions = await coordinator.GetStringAsync("/actions");
        Assert.Contains("Critical path:", actions);
        Assert.Contains("approval of &#x27;bank&#x27; terms v1", actions);
        Assert.DoesNotContain("Critical path:", await steward.GetStringAsync("/actions"));
    }
}
