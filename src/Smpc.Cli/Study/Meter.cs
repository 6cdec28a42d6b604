using System.Diagnostics;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Reporting;

namespace Smpc.Cli.Study;

/// <summary>Bytes, rounds, time and reveals of one operation on the engine (for linkages; queries meter themselves).</summary>
internal sealed class Meter(IComputeEngine engine)
{
    readonly long[] _bytes = engine.Traffic.Select(t => t.BytesSent).ToArray();
    readonly long[] _rounds = engine.Traffic.Select(t => t.Rounds).ToArray();
    readonly int _reveals = engine.Reveals.Count;
    readonly Stopwatch _clock = Stopwatch.StartNew();

    public (CostEntry Cost, IReadOnlyList<RevealRecord> Reveals) Stop(long rows)
    {
        var after = engine.Traffic;
        long bytes = 0, rounds = 0;
        for (int p = 0; p < after.Count; p++)
        {
            bytes += after[p].BytesSent - (p < _bytes.Length ? _bytes[p] : 0);
            rounds = Math.Max(rounds, after[p].Rounds - (p < _rounds.Length ? _rounds[p] : 0));
        }
        return (new CostEntry(rows, bytes, rounds, _clock.Elapsed), engine.Reveals.Skip(_reveals).ToArray());
    }
}
