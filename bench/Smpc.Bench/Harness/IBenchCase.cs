using Smpc.Analytics.Transport;

namespace Smpc.Bench.Harness;

/// <summary>
/// One benchmark, such as <c>mul-inproc</c>. Cases are found by <see cref="BenchRegistry"/> through
/// <see cref="IBenchSuite"/> implementations in this assembly, so a new layer adds a file with a suite
/// and nothing else changes.
/// </summary>
public interface IBenchCase
{
    /// <summary>Printed name, <c>&lt;operation&gt;-&lt;transport&gt;</c> (e.g. <c>dot-inproc</c>, <c>mul-tls</c>).</summary>
    string Name { get; }

    /// <summary>One line: what is timed (and what is set up outside the timer).</summary>
    string Description { get; }

    /// <summary>Row count used by <c>--quick</c>.</summary>
    int QuickRows { get; }

    /// <summary>Row counts of the full run (typically 1M and 10M).</summary>
    IReadOnlyList<int> FullRows { get; }

    /// <summary>Whether the case runs when no <c>--filter</c> is given. Variants kept for same-run comparisons
    /// (e.g. an earlier implementation) say false and run only when named.</summary>
    bool RunByDefault => true;

    /// <summary>Warm-ups and timed runs for this case when the command line does not say (null: the mode's default).</summary>
    RunPlan? Plan => null;

    /// <summary>Untimed set-up for <paramref name="rows"/> rows: generate data, share it, start parties.</summary>
    IBenchRun Prepare(int rows);
}

/// <summary>A prepared case. <see cref="Run"/> is timed; everything else is not.</summary>
public interface IBenchRun : IDisposable
{
    /// <summary>Runs the operation once at all three parties (the timed part); the result is dropped on return,
    /// so it is not alive during the next run's set-up or the collection before it.</summary>
    void Run();

    /// <summary>Runs once (untimed) and checks the result against plaintext; throws <see cref="BenchVerificationException"/> if wrong.</summary>
    void RunAndVerify();

    /// <summary>Cumulative traffic per party (index = party id); the runner subtracts readings around <see cref="Run"/>.</summary>
    IReadOnlyList<TrafficSnapshot> Traffic();
}

/// <summary>A family of cases (for example the core protocols over one transport).</summary>
public interface IBenchSuite
{
    IEnumerable<IBenchCase> Cases();

    /// <summary>Where the suite's cases come in the listing and in a run (lower first; ties by type name).</summary>
    int Order => 100;
}

/// <summary>A benchmark computed a wrong answer: speed figures from it would be meaningless.</summary>
public sealed class BenchVerificationException(string message) : Exception(message);
