using Smpc.Analytics.Engine;
using Smpc.Analytics.Interactive.Api;

namespace Smpc.Analytics.Interactive.Tests.Api;

/// <summary>One secure demo study (and its plaintext twin on the reference engine) shared by the tests of a class.</summary>
public sealed class StudyFixture : IDisposable
{
    public const int Veterans = 1500;
    public const int Seed = 11;

    public SecureStudy Secure { get; } = SecureStudy.OpenDemo(Veterans, Seed, "secure");
    public SecureStudy Plain { get; } = SecureStudy.OpenDemo(Veterans, Seed, "plain", new PlaintextEngine());
    public JoinRelease SecureJoin { get; }
    public JoinRelease PlainJoin { get; }

    public StudyFixture()
    {
        SecureJoin = Secure.Join("veterans", "bank", on: "ssn", name: "linked");
        PlainJoin = Plain.Join("veterans", "bank", on: "ssn", name: "linked");
    }

    public void Dispose()
    {
        Secure.Dispose();
        Plain.Dispose();
    }
}
