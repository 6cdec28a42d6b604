using Smpc.Analytics.Engine;
using Smpc.Analytics.Tests.Engine;

namespace Smpc.EndToEnd.Tests;

/// <summary>The engine conformance suite, run against RemoteEngine: three real party processes over TLS 1.3,
/// driven by this process as the analyst. Each test is one analyst job on the same three processes.</summary>
[Collection("processes")]
public sealed class RemoteEngineConformance(RemotePartiesFixture parties) : EngineConformance, IClassFixture<RemotePartiesFixture>
{
    protected override IComputeEngine CreateEngine() => parties.Connect();
}
