using System.Text;

namespace Smpc.Bench.Harness;

/// <summary>Formats results as aligned text and as a Markdown table.</summary>
public static class Report
{
    const string Header = "name                                       rows        seconds   (min–max)          rows/s   bytes/party  rounds   alloc MB  peak RSS MB  GC pause s  gen2  cpu s  kernel s";

    public static string Row(BenchResult r) => FormattableString.Invariant(
        $"{r.Name,-36} {r.Rows,11:N0} {r.Seconds,10:0.0000}  ({r.MinSeconds:0.000}–{r.MaxSeconds:0.000}) {r.RowsPerSecond,14:N0} {r.BytesPerParty,13:N0} {r.Rounds,7} {r.AllocatedBytes / 1e6,10:N0} {r.PeakResidentBytes / 1e6,12:N0} {r.GcPauseSeconds,11:0.000} {r.Gen2Collections,5} {r.CpuSeconds,6:0.000} {r.KernelSeconds,9:0.000}");

    public static string Table(IEnumerable<BenchResult> results)
    {
        var sb = new StringBuilder().AppendLine(Header);
        foreach (var r in results) sb.AppendLine(Row(r));
        return sb.ToString();
    }

    public static string Markdown(IEnumerable<BenchResult> results)
    {
        var sb = new StringBuilder()
            .AppendLine("| case | rows | seconds (median) | min–max | rows/s | bytes sent per party | rounds | allocated MB | peak RSS MB | GC pause s | cpu s (kernel) |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            sb.AppendLine(FormattableString.Invariant(
                $"| {r.Name} | {r.Rows:N0} | {r.Seconds:0.000} | {r.MinSeconds:0.000}–{r.MaxSeconds:0.000} | {r.RowsPerSecond / 1e6:0.0} M | {r.BytesPerParty:N0} | {r.Rounds} | {r.AllocatedBytes / 1e6:N0} | {r.PeakResidentBytes / 1e6:N0} | {r.GcPauseSeconds:0.000} | {r.CpuSeconds:0.000} ({r.KernelSeconds:0.000}) |"));
        return sb.ToString();
    }

    /// <summary>
    /// Results under link profiles (<c>case@profile</c>) as Markdown: seconds, rounds, bytes per party and the share of
    /// the time spent waiting on the links — a lower bound: each round waits one one-way delay (a round is every party
    /// sending to its neighbour and receiving from the other) and the busiest party's bytes cross at the profile's rate.
    /// </summary>
    public static string Profiles(IEnumerable<BenchResult> results)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("| case | profile | rows | seconds | rounds | bytes per party | waiting (≥) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            int at = r.Name.IndexOf('@');
            Smpc.Analytics.Transport.LinkProfile? profile = null;
            if (at > 0) { try { profile = Smpc.Analytics.Transport.LinkProfile.Parse(r.Name[(at + 1)..]); } catch (ArgumentException) { continue; } }
            double waiting = profile is null ? 0 : r.Rounds * profile.OneWay.TotalSeconds + r.BytesPerParty * 8 / profile.BitsPerSecond;
            sb.AppendLine(FormattableString.Invariant(
                $"| {(at > 0 ? r.Name[..at] : r.Name)} | {profile?.Name ?? "in-memory"} | {r.Rows:N0} | {r.Seconds:F3} | {r.Rounds:N0} | {r.BytesPerParty:N0} | {(profile is null ? "—" : $"{Math.Min(1, waiting / r.Seconds):P0}")} |"));
        }
        return sb.ToString();
    }
}
