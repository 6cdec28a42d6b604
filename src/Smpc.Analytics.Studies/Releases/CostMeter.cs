using System.Diagnostics;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Studies;

/// <summary>Measures one study operation on an engine: bytes and rounds from the engine's traffic meters, wall time,
/// and the reveals logged while it ran.</summary>
internal sealed class CostMeter
{
    readonly IComputeEngine _engine;
    readonly long _bytes, _rounds;
    readonly int _reveals;
    readonly Stopwatch _clock = Stopwatch.StartNew();

    public CostMeter(IComputeEngine engine)
    {
        _engine = engine;
        var t = engine.Traffic;
        _bytes = t.Sum(x => x.BytesSent);
        _rounds = t.Count == 0 ? 0 : t.Max(x => x.Rounds);
        _reveals = engine.Reveals.Count;
    }

    /// <summary>Whether anything was released to the analyst since the meter started.</summary>
    public bool AnalystReveals() => _engine.Reveals.Skip(_reveals).Any(r => r.Audience == RevealAudience.Analyst);

    public OperationCost Stop(long rowsUsed)
    {
        var elapsed = _clock.Elapsed;
        var t = _engine.Traffic;
        long bytes = t.Sum(x => x.BytesSent) - _bytes;
        long rounds = (t.Count == 0 ? 0 : t.Max(x => x.Rounds)) - _rounds;
        return new OperationCost(rowsUsed, rounds, bytes, elapsed, _engine.Reveals.Skip(_reveals).ToArray());
    }
}
