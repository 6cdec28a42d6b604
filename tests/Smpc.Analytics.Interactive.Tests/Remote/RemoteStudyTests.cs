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
        var open = await kernel.Run($"#!secure-study --config \"{parties.ConfigPath}\" --open demo --size 300 --name remote");
        open.ShouldSucceed();
        Assert.Contains(open.Html(), h => h.Contains("3 party processes over TLS"));

        var result = await kernel.Run("#!secure-aggregate --study remote --dataset veterans --stat mean --column monthly_benefit --group-by service_era --name byEra");
        result.ShouldSucceed();
        var check = await kernel.Run("""
            var file = remote.GroundTruth!.File("veterans");
            var era = (string?[])file.Analysis["service_era"];
            var benefit = (double?[])file.Analysis["monthly_benefit"];
            Enumerable.Range(0, byEraRelease.RowCount).Where(r => !byEraRelease.IsMargin(r)).All(r =>
            {
                var g = Enumerable.Range(0, era.Length).Where(i => era[i] == byEraRelease.Key(r, "service_era")).Select(i => benefit[i]!.Value).ToList();
                return byEraRelease.IsSuppressed(r) ? g.Count < 11 || byEraRelease.Rule(r) == "complementary suppression"
                    : byEraRelease.Value(r, "count") == g.Count && Math.Abs(byEraRelease.Value(r, "mean(monthly_benefit)")!.Value - g.Average()) < 0.01;
            }) && byEraRelease.Cost.Rounds > 0 && byEraRelease.Cost.ToAnalyst.Any()
            """);
        check.ShouldSucceed();
        Assert.Equal(true, check.ReturnValue());

        (await kernel.Run("#!secure-join --study remote --datasets veterans,bank --name linked")).ShouldSucceed();
        var linked = await kernel.Run("""
            var plain = Smpc.Analytics.Studies.SecureStudy.OpenDemo(300, 2026, "plain", new Smpc.Analytics.Engine.PlaintextEngine());
            var reference = plain.Join("veterans", "bank");
            plain.Dispose();
            linked.JoinedRows == reference.JoinedRows && linked.MatchCounts.SequenceEqual(reference.MatchCounts)
            """);
        linked.ShouldSucceed();
        Assert.Equal(true, linked.ReturnValue());

        (await kernel.Run("#!secure-join --study remote --datasets veterans,bank --pseudonymiser oprf --name oprf")).Failure()
            .ShouldMention("Use --pseudonymiser keyed-hash");
    }
}
