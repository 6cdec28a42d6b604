using Smpc.Analytics.Transport;
using Smpc.Analytics.Interactive.Tests.Kernel;
using Smpc.EndToEnd.Tests;

namespace Smpc.Analytics.Interactive.Tests.Remote;

/// <summary>Three `smpc party --serve` processes and their study.json, for a test class.</summary>
public sealed class ServingParties : IDisposable
{
    readonly string _dir = CliProcess.TempFolder("smpc-nb-remote");
    readonly CliProcess[] _parties;

    public ServingParties()
    {
        StudyCertificates.Create("notebook-remote", _dir, CliProcess.FreePorts(3));
        ConfigPath = Path.Combine(_dir, "study.json");
        _parties = [.. Enumerable.Range(0, 3).Select(i => CliProcess.Start(_dir, "party", "--id", $"{i}", "--config", ConfigPath, "--serve"))];
        foreach (var p in _parties)
            if (!p.WaitForOutput("serving the analyst", TimeSpan.FromMinutes(2)))
            {
                Dispose();
                throw new InvalidOperationException($"A serving party did not come up.\n{p}");
            }
    }

    public string ConfigPath { get; }

    public void Dispose()
    {
        foreach (var p in _parties) p.Dispose();   // kills the process tree
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The study magic with --config runs on three real party processes over TLS, and gives the same released
/// numbers as plaintext.</summary>
public sealed class RemoteStudyTests(ServingParties parties) : IClassFixture<ServingParties>
{
    [Fact]
    public async Task A_study_on_three_party_processes_releases_the_plaintext_numbers()
    {
        using var kernel = TestKernel.Create();
        var open = await kernel.Run($"#!secure-study --config \"{parties.ConfigPath}\" --open demo --rows 300 --name remote");
        open.ShouldSucceed();
        Assert.Contains(open.Html(), h => h.Contains("3 party processes over TLS"));

        var result = await kernel.Run("#!secure-aggregate --study remote --dataset veterans --stat mean --column monthly_benefit --group-by era --name byEra");
        result.ShouldSucceed();
        var check = await kernel.Run("""
            var truth = remote.GroundTruth!.Veterans;
            byEra.Table.Rows.All(r =>
            {
                var g = truth.Where(v => v.Era == r.Keys[0]).ToList();
                return r.Suppressed ? g.Count < 11 : r.Values![0] == g.Count && Math.Abs(r.Values![1] - g.Average(v => v.MonthlyBenefit)) < 1e-4;
            }) && byEra.Cost.Rounds > 0 && byEra.Cost.Reveals.Count == 2
            """);
        check.ShouldSucceed();
        Assert.Equal(true, check.ReturnValue());

        (await kernel.Run("#!secure-join --study remote --left veterans --right bank --on ssn --name linked")).ShouldSucceed();
        var linked = await kernel.Run("""
            var bank = remote.GroundTruth!.Bank.Select(c => c.Ssn).ToHashSet();
            linked.MatchedRows == truth.Count(v => v.Ssn is not null && bank.Contains(v.Ssn))
            """);
        Assert.Equal(true, linked.ReturnValue());
    }
}
