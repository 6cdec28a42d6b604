namespace Smpc.Bench.Harness;

/// <summary>Figures for one case at one row count.</summary>
/// <param name="Seconds">Median wall time of the timed runs.</param>
/// <param name="BytesPerParty">Bytes sent by the busiest party in one run.</param>
/// <param name="Rounds">Communication rounds of one run (largest count over the parties).</param>
/// <param name="AllocatedBytes">Managed bytes allocated by one run, all parties together (median).</param>
/// <param name="PeakResidentBytes">Largest resident set of the process during any timed run.</param>
/// <param name="BaselineResidentBytes">Resident set just before the timed runs (inputs already shared).</param>
/// <param name="GcPauseSeconds">Time the garbage collector paused the program during one run (median).</param>
/// <param name="Gen2Collections">Full collections during all timed runs together.</param>
/// <param name="CpuSeconds">Processor time (user + kernel, all threads) of one run (median): less sensitive
/// than wall time to other programs on a shared machine.</param>
/// <param name="KernelSeconds">Kernel part of <paramref name="CpuSeconds"/> (mostly page faults on fresh memory), median.</param>
public sealed record BenchResult(
    string Name, int Rows, double Seconds, double MinSeconds, double MaxSeconds, int Runs,
    long BytesPerParty, long BytesAllParties, long Rounds,
    long AllocatedBytes, long PeakResidentBytes, long BaselineResidentBytes,
    double GcPauseSeconds, int Gen2Collections, double CpuSeconds, double KernelSeconds)
{
    public double RowsPerSecond => Rows / Seconds;

    /// <summary>One result per (case, rows): medians over repeats of the medians, extremes over all runs.</summary>
    public static IEnumerable<BenchResult> MedianOfRepeats(IEnumerable<BenchResult> all) =>
        all.GroupBy(r => (r.Name, r.Rows)).Select(g =>
        {
            var rs = g.ToArray();
            double Med(Func<BenchResult, double> f)
            {
                var v = rs.Select(f).Order().ToArray();
                return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
            }
            return rs[0] with
            {
                Seconds = Med(r => r.Seconds), MinSeconds = rs.Min(r => r.MinSeconds), MaxSeconds = rs.Max(r => r.MaxSeconds),
                Runs = rs.Sum(r => r.Runs), AllocatedBytes = (long)Med(r => r.AllocatedBytes),
                PeakResidentBytes = rs.Max(r => r.PeakResidentBytes), BaselineResidentBytes = rs.Min(r => r.BaselineResidentBytes),
                GcPauseSeconds = Med(r => r.GcPauseSeconds), Gen2Collections = rs.Sum(r => r.Gen2Collections),
                CpuSeconds = Med(r => r.CpuSeconds), KernelSeconds = Med(r => r.KernelSeconds),
            };
        });

    /// <summary>The quick-mode line: <c>&lt;name&gt; &lt;rows&gt; &lt;seconds&gt; &lt;bytes-per-party&gt; &lt;rounds&gt;</c>.</summary>
    public string QuickLine() =>
        FormattableString.Invariant($"{Name} {Rows} {Seconds:0.0000} {BytesPerParty} {Rounds}");
}
