using System.Diagnostics;
using System.Text.Json;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Registry;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>The clients pointed at a running registry (real Kestrel on loopback, the demo study): the study API's
/// <see cref="RegistryClient"/> and `smpc registry studies|actions` as a process.</summary>
public sealed class RegistryClientTests
{
    [Fact]
    public async Task The_client_lists_my_studies_with_status_per_organisation_and_my_actions_with_their_wait()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        using var client = SecureStudy.ConnectRegistry(server.BaseAddress.ToString(), await Http.TokenAsync(server, "riley.chen@bank.example"));
        Assert.Equal("riley.chen@bank.example", (await client.MeAsync()).Email);
        var study = Assert.Single(await client.StudiesAsync());
        Assert.Equal("Commitments", study.Stage);
        Assert.Equal(["DataSteward"], study.MyRoles);
        var bank = study.Organisations.Single(o => o.Datasets.Any(d => d.Name == "bank"));
        Assert.Contains(bank.Owes, o => o.Contains("has not approved terms v1"));
        var action = Assert.Single(await client.ActionsAsync());
        Assert.Equal("approve-terms", action.Kind);
        Assert.True(action.WaitingDays >= 94, $"waited {action.WaitingDays} days");
        string table = RegistryTables.Actions([action]);
        Assert.StartsWith("waiting", table);
        Assert.Contains($"{(int)action.WaitingDays} days", table);
    }

    [Fact]
    public async Task A_bad_token_is_refused_by_name_without_echoing_it_and_plain_http_to_another_host_is_refused()
    {
        await using var server = await RegistryServer.StartAsync();
        const string wrong = "smpc_pat_not-a-real-token-0123456789";
        using var client = new RegistryClient(server.BaseAddress.ToString(), wrong);
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.ActionsAsync());
        Assert.Contains("refused the token (401)", e.Message);
        Assert.DoesNotContain(wrong, e.Message);
        Assert.Contains("unencrypted", Assert.Throws<RegistryException>(() => new RegistryClient("http://registry.example.org", wrong)).Message);
        Assert.Contains("token is needed", Assert.Throws<RegistryException>(() => new RegistryClient(server.BaseAddress.ToString(), " ")).Message);
        Assert.Contains("not an http(s) URL", Assert.Throws<RegistryException>(() => new RegistryClient("ftp://127.0.0.1", wrong)).Message);
    }

    [Fact]
    public async Task Smpc_registry_studies_and_actions_print_a_table_or_json()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        string token = await Http.TokenAsync(server, "riley.chen@bank.example");
        string url = server.BaseAddress.ToString();

        var (code, output, _) = await RunAsync("registry", "actions", "--registry", url, "--token", token, "--format", "json");
        Assert.Equal(0, code);
        var actions = JsonSerializer.Deserialize<List<RegistryAction>>(output, RegistryClient.Json)!;
        Assert.Equal("approve-terms", Assert.Single(actions).Kind);

        (code, output, _) = await RunAsync("registry", "studies", "--registry", url, "--token", token);
        Assert.Equal(0, code);
        Assert.StartsWith("study", output);
        Assert.Contains("Veterans' financial well-being", output);
        Assert.Contains("has not approved terms v1", output);

        (code, output, var error) = await RunAsync("registry", "actions", "--registry", url, "--token", "smpc_pat_wrong");
        Assert.Equal(1, code);
        Assert.Contains("refused the token (401)", error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Smpc_registry_revoke_token_revokes_the_analysts_work_token_and_names_a_refusal()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        var (_, _, tokenId, _) = await ComputationLogScenario.ToAnalysisAsync(server);
        string url = server.BaseAddress.ToString(), study = server.Report.Demo!.StudyId.ToString();

        var (code, output, error) = await RunAsync("registry", "revoke-token", "--registry", url, "--study", study, "--token-id", tokenId,
            "--token", await Http.TokenAsync(server, "jamie.flores@research.example"));   // a compute operator may not
        Assert.Equal(1, code);
        Assert.Contains("answered 403", error);
        Assert.Equal("", output);

        (code, output, error) = await RunAsync("registry", "revoke-token", "--registry", url, "--study", study, "--token-id", tokenId,
            "--token", await Http.TokenAsync(server, ComputationLogScenario.Analyst));
        Assert.True(code == 0, error);
        Assert.Contains($"Work token {tokenId} is revoked (by {ComputationLogScenario.Analyst}", output);
        using var operatorClient = new RegistryClient(url, await Http.TokenAsync(server, "lee.park@va.example"));
        Assert.Equal([tokenId], await operatorClient.RevokedWorkTokensAsync(study));
    }

    static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(CommandLineTests.FindCli());
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("SMPC_REGISTRY_TOKEN");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        return (process.ExitCode, await output, await error);
    }
}
