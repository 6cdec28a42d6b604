using Smpc.Analytics.Transport;

namespace Smpc.Bench.Harness;

/// <summary>What a self-timed measurement reports: its own timed section, traffic and a plaintext check.</summary>
/// <param name="Problem">Null when the result matched plaintext; otherwise what was wrong.</param>
public sealed record SelfTimedResult(double Seconds, long BytesPerParty, long BytesAllParties, long Rounds, string? Problem);

/// <summary>A prepared run that times itself (the runner reports its figures instead of the wall time of <see cref="IBenchRun.Run"/>).</summary>
public interface ISelfTimedRun : IBenchRun
{
    SelfTimedResult? Last { get; }
}

/// <summary>
/// A case whose measurement function sets up, runs and times its own query (the join and statistics benchmarks,
/// which separate contributor-side preparation from the secure query inside one call). Each run repeats the whole
/// call; seconds, bytes and rounds are the function's own figures for the query. CPU, allocation and peak memory
/// are measured around the whole call, so for these cases they include the set-up.
/// </summary>
public sealed class SelfTimedCase(string name, string description, int quickRows, IReadOnlyList<int> fullRows, RunPlan plan,
                                  Func<int, SelfTimedResult> measure) : IBenchCase
{
    public string Name => name;
    public string Description => description;
    public int QuickRows => quickRows;
    public IReadOnlyList<int> FullRows => fullRows;
    public RunPlan? Plan => plan;

    public IBenchRun Prepare(int rows) => new Run(name, measure, rows);

    sealed class Run(string name, Func<int, SelfTimedResult> measure, int rows) : ISelfTimedRun
    {
        public SelfTimedResult? Last { get; private set; }

        void IBenchRun.Run() => Last = measure(rows);

        public void RunAndVerify()
        {
            Last = measure(rows);
            if (Last.Problem is not null) throw new BenchVerificationException($"{name} at {rows} rows: {Last.Problem}");
        }

        public IReadOnlyList<TrafficSnapshot> Traffic() => [default, default, default];

        public void Dispose() { }
    }
}
