using Smpc.Analytics.Engine;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.EndToEnd.Tests;

/// <summary>Three `smpc party --serve` processes of one study, started once for a test class and shut down after it.</summary>
public sealed class RemotePartiesFixture : IDisposable
{
    readonly string _dir = CliProcess.TempFolder("smpc-remote");
    readonly CliProcess[] _parties;
    readonly StudyCredentials _analyst;

    public RemotePartiesFixture()
    {
        Config = StudyCertificates.Create("remote-engine", _dir, CliProcess.FreePorts(3));
        _analyst = StudyCredentials.Load(Config, StudyMember.Analyst);
        var config = Path.Combine(_dir, "study.json");
        _parties = [.. Enumerable.Range(0, 3).Select(i => CliProcess.Start(_dir, "party", "--id", $"{i}", "--config", config, "--serve"))];
        foreach (var p in _parties)
            if (!p.WaitForOutput("serving the analyst", TimeSpan.FromMinutes(2)))
            {
                Dispose();
                throw new InvalidOperationException($"A serving party did not come up.\n{p}");
            }
    }

    public StudyConfig Config { get; }

    /// <summary>The study.json the three processes serve (for `smpc … --config`).</summary>
    public string ConfigPath => Path.Combine(_dir, "study.json");

    /// <summary>A new analyst job: a RemoteEngine connected to the three processes.</summary>
    public RemoteEngine Connect() => RemoteEngine.Connect(Config, _analyst, TimeSpan.FromSeconds(60));

    public string Output(int party) => _parties[party].ToString();

    /// <summary>Kills one party process (failure tests).</summary>
    public void Kill(int party) => _parties[party].Kill();

    public void Dispose()
    {
        try
        {
            if (_parties.All(p => !p.HasExited)) Connect().ShutdownParties();
            else foreach (var p in _parties) p.Kill();
            foreach (var p in _parties) p.WaitForExit(TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e is Analytics.SmpcException or Xunit.Sdk.XunitException) { }
        finally
        {
            foreach (var p in _parties) p.Dispose();
            _analyst.Dispose();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }
}
