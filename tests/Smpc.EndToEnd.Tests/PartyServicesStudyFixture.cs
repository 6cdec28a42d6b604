using Smpc.Analytics.Engine;
using Smpc.Analytics.Session;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Tests;
using Smpc.Analytics.Transport;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// The study conformance suite's data as the organisations hold it: `smpc certs` for three parties and four stewards,
/// three `smpc party serve` processes, the committed synthetic agencies (data/synthetic) and <see cref="ConformanceData"/>
/// uploaded by `smpc contribute` processes, and the analyst ("study-analyst", the account the agencies' terms allow) connected with
/// <see cref="SecureStudy.Connect(string, StudyCredentials, TimeSpan?, string?)"/>. Started once for a test class; the
/// plaintext reference engine runs in this process on the same files.
/// </summary>
public sealed class PartyServicesStudyFixture : IConformanceStudy, IDisposable
{
    readonly string _dir = CliProcess.TempFolder("smpc-conformance");
    readonly CliProcess[] _parties = [];
    readonly StudyCredentials? _analyst;

    public PartyServicesStudyFixture()
    {
        try
        {
            var ports = CliProcess.FreePorts(6);
            using (var certs = CliProcess.Start(_dir, "certs", "--study", "conformance", "--out", "certs", "--ports", string.Join(',', ports[..3]),
                       "--upload-ports", string.Join(',', ports[3..]), "--contributors", "va,bank,ncses,census"))
                Assert.True(certs.WaitForExit(PartyServiceProcesses.Generous) == 0, certs.ToString());
            _parties = [.. Enumerable.Range(0, 3).Select(id => PartyServiceProcesses.Serve(_dir, id))];
            var data = SyntheticAgencies.Locate(null);
            PartyServiceProcesses.Contribute(_dir, data, ("veterans", "va"), ("bank", "bank"), ("survey", "ncses"));
            PartyServiceProcesses.Contribute(_dir, ConformanceData.Write(Path.Combine(_dir, "extras")),
                (ConformanceData.OrderStatistics, "bank"), (ConformanceData.Budgeted, "census"));
            PartyServiceProcesses.WaitServing(_dir, _parties);

            var configPath = Path.Combine(_dir, "certs", "study.json");
            var analyst = StudyCertificates.IssueAnalyst(StudyConfig.Load(configPath), "study-analyst", Path.Combine(_dir, "analyst"));
            _analyst = StudyCredentials.Load(analyst, StudyMember.Analyst);
            Secure = SecureStudy.Connect(configPath, _analyst, TimeSpan.FromSeconds(120));
            Plain = SecureStudy.OpenSynthetic(name: "plain", engine: new PlaintextEngine());
            Truth = new SyntheticTruth(data);
            SecureJoin = Secure.Join("veterans", "bank", "vb");
            PlainJoin = Plain.Join("veterans", "bank", "vb");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public SecureStudy Secure { get; } = null!;
    public SecureStudy Plain { get; } = null!;
    public JoinRelease SecureJoin { get; } = null!;
    public JoinRelease PlainJoin { get; } = null!;
    public SyntheticTruth Truth { get; } = null!;

    /// <summary>`smpc contribute` pseudonymises with the study's keyed hash (contributorKey in study.json).</summary>
    public string? UploadScheme => "hmac-sha256/64";

    /// <summary>A party service opens a release among the three parties (Engine/PartyEngine.cs), then sends it.</summary>
    public int AnalystRevealRounds => 1;

    /// <summary>The parties' logs (JSON lines) so far, read beside the running parties.</summary>
    public string Logs => string.Concat(Enumerable.Range(0, 3).Select(p => Path.Combine(_dir, $"party-{p}.jsonl")).Where(File.Exists).Select(path =>
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }));

    public void Dispose()
    {
        Secure?.Dispose();
        Plain?.Dispose();
        foreach (var p in _parties) p.Dispose();
        _analyst?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
