using Smpc.Analytics.Engine;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Bench.Harness;

/// <summary>
/// The links a measurement runs over: in-memory (default), or — with <c>--profile lan|wan20|wan60|RTT/Mbit</c>, passed
/// to the measuring child as SMPC_BENCH_LINK — three TLS parties on loopback with an emulated link of that latency and
/// rate in front of every connection (<see cref="LinkRelay"/>). Cases that build a <see cref="SecureEngine"/> or an
/// in-process cluster get it from here, so every such case runs under any profile.
/// </summary>
public static class BenchLinks
{
    public const string Variable = "SMPC_BENCH_LINK";

    public static LinkProfile? Current =>
        System.Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } name ? LinkProfile.Parse(name) : null;

    public static LocalCluster Cluster() => Current is { } profile ? LoopbackTlsCluster.Start(profile) : new LocalCluster();

    public static SecureEngine Engine() => Current is null ? new SecureEngine() : new SecureEngine(Cluster(), ownsCluster: true);
}
