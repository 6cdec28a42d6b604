using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Studies;

/// <summary>What one study operation cost and revealed: rows it ran over, communication rounds (the largest count
/// of any compute party), bytes the three compute parties sent together, wall time, and every reveal it made —
/// to the analyst or to the compute parties — with its purpose.</summary>
public sealed record OperationCost(long RowsUsed, long Rounds, long Bytes, TimeSpan Elapsed, IReadOnlyList<RevealRecord> Reveals)
{
    /// <summary>Stops <paramref name="meter"/> and records what the operation over <paramref name="rowsUsed"/> rows cost.</summary>
    public static OperationCost From(OperationMeter meter, long rowsUsed)
    {
        var (bytes, rounds, elapsed, reveals) = meter.Stop();
        return new OperationCost(rowsUsed, rounds, bytes, elapsed, reveals);
    }

    public string Summary =>
        $"{RowsUsed:N0} rows · {Rounds:N0} rounds · {FormatBytes(Bytes)} · {Elapsed.TotalMilliseconds:N0} ms";

    public static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:N1} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):N1} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):N2} GiB",
    };

    /// <summary>Reveals to the analyst.</summary>
    public IEnumerable<RevealRecord> ToAnalyst => Reveals.Where(r => r.Audience == RevealAudience.Analyst);

    /// <summary>Reveals to the three compute parties (never to the analyst).</summary>
    public IEnumerable<RevealRecord> ToComputeParties => Reveals.Where(r => r.Audience == RevealAudience.ComputeParties);

    /// <summary>The reveals in words, in order, one line per audience and purpose ("to the analyst: 16 values — release
    /// mean(balance)"; repeated reveals of one purpose, e.g. one per group, are counted: "5 × 1 value").</summary>
    public IEnumerable<string> RevealLines()
    {
        foreach (var g in Reveals.GroupBy(r => (r.Audience, r.Purpose)))
        {
            var first = g.First();
            int times = g.Count(), elements = g.Sum(r => r.Elements);
            string who = first.Audience == RevealAudience.Analyst ? "to the analyst" : "to the compute parties";
            string what = times == 1 ? $"{elements:N0} value{(elements == 1 ? "" : "s")}" : $"{times} × {first.Elements:N0} value{(first.Elements == 1 ? "" : "s")}";
            if (times > 1 && g.Any(r => r.Elements != first.Elements)) what = $"{times} reveals, {elements:N0} values";
            yield return $"{who}: {what} — {first.Purpose}";
        }
    }
}
