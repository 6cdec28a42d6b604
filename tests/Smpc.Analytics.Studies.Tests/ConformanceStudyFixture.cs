using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// <see cref="StudyConformance"/> in one process: the committed synthetic agencies and <see cref="ConformanceData"/>
/// contributed to a study running directly on the secure engine (three parties in this process, without the party
/// services of the embedded default — the engine path those services run on; PartyServicesStudyConformance runs the
/// same suite against three party processes) and to one on the plaintext reference
/// engine, each with veterans ⋈ bank linked as "vb".
/// </summary>
public sealed class ConformanceStudyFixture : IConformanceStudy, IDisposable
{
    readonly string _extras = ConformanceData.Write(Path.Combine(Path.GetTempPath(), "smpc-conformance", Guid.NewGuid().ToString("N")));

    public ConformanceStudyFixture()
    {
        Secure = SecureStudy.OpenSynthetic(name: "secure", engine: new SecureEngine());
        Plain = SecureStudy.OpenSynthetic(name: "plain", engine: new PlaintextEngine());
        Secure.ContributeFolder(_extras);
        Plain.ContributeFolder(_extras);
        SecureJoin = Secure.Join("veterans", "bank", "vb");
        PlainJoin = Plain.Join("veterans", "bank", "vb");
    }

    public SecureStudy Secure { get; }
    public SecureStudy Plain { get; }
    public JoinRelease SecureJoin { get; }
    public JoinRelease PlainJoin { get; }
    public SyntheticTruth Truth => Secure.GroundTruth!;
    public string? UploadScheme => null;
    public int AnalystRevealRounds => 0;

    public void Dispose()
    {
        Secure.Dispose();
        Plain.Dispose();
        try { Directory.Delete(_extras, recursive: true); } catch (IOException) { }
    }
}
