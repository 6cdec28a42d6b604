using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Interactive.Api;

/// <summary>What one secure operation cost and revealed: rows it ran over, communication rounds, bytes the three
/// compute parties sent in total, wall time, and every reveal it made (to the analyst or to the compute parties).</summary>
public sealed record OperationCost(int RowsUsed, long Rounds, long Bytes, TimeSpan Elapsed, IReadOnlyList<RevealRecord> Reveals)
{
    public string Summary =>
        $"{RowsUsed:N0} rows · {Rounds:N0} rounds · {FormatBytes(Bytes)} · {Elapsed.TotalMilliseconds:N0} ms";

    public static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:N1} KiB",
        _ => $"{bytes / (1024.0 * 1024):N1} MiB",
    };

    /// <summary>The reveals in words: "analyst: 16 elements (release: mean by state)".</summary>
    public IEnumerable<string> RevealLines() => Reveals.Select(r =>
        $"{(r.Audience == RevealAudience.Analyst ? "to the analyst" : "to the compute parties")}: {r.Elements:N0} element{(r.Elements == 1 ? "" : "s")} — {r.Purpose}");
}
