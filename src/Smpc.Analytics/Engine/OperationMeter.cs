using System.Diagnostics;

namespace Smpc.Analytics.Engine;

/// <summary>Measures one operation on an engine (a query, a join): bytes sent by all parties, rounds, wall time and
/// the reveals it made.</summary>
public sealed class OperationMeter
{
    readonly IComputeEngine _engine;
    readonly long _bytes, _rounds;
    readonly int _reveals;
    readonly Stopwatch _clock = Stopwatch.StartNew();

    public OperationMeter(IComputeEngine engine)
    {
        _engine = engine;
        var t = engine.Traffic;
        _bytes = t.Sum(x => x.BytesSent);
        _rounds = t.Count == 0 ? 0 : t.Max(x => x.Rounds);
        _reveals = engine.Reveals.Count;
    }

    /// <summary>Whether anything has been released to the analyst since the meter started.</summary>
    public bool AnalystReveals() => _engine.Reveals.Skip(_reveals).Any(r => r.Audience == RevealAudience.Analyst);

    public (long Bytes, long Rounds, TimeSpan Elapsed, IReadOnlyList<RevealRecord> Reveals) Stop()
    {
        var t = _engine.Traffic;
        long bytes = t.Sum(x => x.BytesSent) - _bytes;
        long rounds = (t.Count == 0 ? 0 : t.Max(x => x.Rounds)) - _rounds;
        return (bytes, rounds, _clock.Elapsed, _engine.Reveals.Skip(_reveals).ToArray());
    }
}
