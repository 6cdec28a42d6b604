using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Bench.Harness;

/// <summary>
/// Three parties that can run one SPMD program, whatever links them. The in-process implementation
/// wraps <see cref="LocalCluster"/>; a TLS implementation runs the same programs over loopback sockets.
/// </summary>
public interface IBenchCluster : IDisposable
{
    T[] Run<T>(Func<MpcSession, T> program);

    IReadOnlyList<TrafficSnapshot> Traffic();
}

/// <summary>A transport under test: its name suffix (<c>inproc</c>, <c>tls</c>) and how to start three parties on it.</summary>
public sealed record BenchTransport(string Suffix, Func<IBenchCluster> Start)
{
    public static BenchTransport InProcess { get; } = new("inproc", () => new InProcessCluster());

    /// <summary>TLS 1.3 on loopback with mutual certificate authentication (see <see cref="LoopbackTlsCluster"/>): the same
    /// protocol code, messages and meters as in memory; only the links differ.</summary>
    public static BenchTransport Tls { get; } = new("tls", () => new InProcessCluster(LoopbackTlsCluster.Start()));
}

/// <summary>Three parties of one <see cref="LocalCluster"/>: the embedded default with in-memory links (or the links of
/// <see cref="BenchLinks"/>' profile), or the cluster given.</summary>
public sealed class InProcessCluster(LocalCluster cluster) : IBenchCluster
{
    readonly LocalCluster _cluster = cluster;

    public InProcessCluster() : this(BenchLinks.Cluster()) { }

    public T[] Run<T>(Func<MpcSession, T> program) => _cluster.Run(program);

    public IReadOnlyList<TrafficSnapshot> Traffic() => _cluster.Traffic();

    public void Dispose() => _cluster.Dispose();
}
