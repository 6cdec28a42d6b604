using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// The committed synthetic agencies (data/synthetic) opened twice — on the secure engine (three parties in this
/// process) and on the plaintext reference engine — each with veterans ⋈ bank linked as "vb". Shared by the tests of a class.
/// </summary>
public sealed class SyntheticStudyFixture : IDisposable
{
    public SecureStudy Secure { get; } = SecureStudy.OpenSynthetic(name: "secure");
    public SecureStudy Plain { get; } = SecureStudy.OpenSynthetic(name: "plain", engine: new PlaintextEngine());
    public JoinRelease SecureJoin { get; }
    public JoinRelease PlainJoin { get; }
    public SyntheticTruth Truth => Secure.GroundTruth!;

    public SyntheticStudyFixture()
    {
        SecureJoin = Secure.Join("veterans", "bank", "vb");
        PlainJoin = Plain.Join("veterans", "bank", "vb");
    }

    public void Dispose()
    {
        Secure.Dispose();
        Plain.Dispose();
    }
}
