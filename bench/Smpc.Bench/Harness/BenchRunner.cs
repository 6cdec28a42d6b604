using System.Diagnostics;
using Smpc.Analytics.Transport;

namespace Smpc.Bench.Harness;

/// <summary>How many runs to time and how many to discard first.</summary>
public sealed record RunPlan(int Warmups, int Runs);

/// <summary>
/// Times one prepared case: warm-up runs (JIT, first touch of memory), the first of them checked against
/// plaintext (at least one warm-up always runs), then the timed runs with a full GC before each so one run's garbage is not billed to the next.
/// Reports the median; traffic is read from the party meters around a single run.
/// </summary>
public static class BenchRunner
{
    public static BenchResult Measure(IBenchCase benchCase, int rows, RunPlan plan, TextWriter log)
    {
        var phase = Stopwatch.StartNew();
        using var run = benchCase.Prepare(rows);
        double prepare = phase.Elapsed.TotalSeconds;
        phase.Restart();
        run.RunAndVerify();   // the first warm-up run is checked against plaintext
        for (int w = 1; w < plan.Warmups; w++) run.Run();
        log.WriteLine(FormattableString.Invariant($"  {benchCase.Name} {rows}: set-up {prepare:0.00} s, warm-up and check against plaintext {phase.Elapsed.TotalSeconds:0.00} s"));

        var seconds = new double[plan.Runs];
        var allocated = new long[plan.Runs];
        var pauses = new double[plan.Runs];
        var cpu = new double[plan.Runs];
        var kernel = new double[plan.Runs];
        int gen2 = 0;
        long bytesPerParty = 0, bytesAll = 0, rounds = 0, peak = 0, baseline = long.MaxValue;
        for (int r = 0; r < plan.Runs; r++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            baseline = Math.Min(baseline, MemoryProbe.CurrentResident());
            var before = run.Traffic().ToArray();
            long alloc0 = GC.GetTotalAllocatedBytes(precise: true);
            var pause0 = GC.GetTotalPauseDuration();
            int gen2Before = GC.CollectionCount(2);
            using var probe = MemoryProbe.Start();
            var (user0, sys0) = CpuTimes();
            var sw = Stopwatch.StartNew();
            run.Run();
            sw.Stop();
            var (user1, sys1) = CpuTimes();
            peak = Math.Max(peak, probe.PeakBytes);
            pauses[r] = (GC.GetTotalPauseDuration() - pause0).TotalSeconds;
            gen2 += GC.CollectionCount(2) - gen2Before;
            allocated[r] = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
            seconds[r] = sw.Elapsed.TotalSeconds;
            cpu[r] = user1 - user0 + sys1 - sys0;
            kernel[r] = sys1 - sys0;
            if (run is ISelfTimedRun { Last: { } own })
            {
                seconds[r] = own.Seconds;
                if (own.Problem is not null) throw new BenchVerificationException($"{benchCase.Name} at {rows} rows: {own.Problem}");
                (bytesPerParty, bytesAll, rounds) = (own.BytesPerParty, own.BytesAllParties, own.Rounds);
            }
            else
            {
                var after = run.Traffic();
                var delta = Enumerable.Range(0, after.Count).Select(p => after[p] - before[p]).ToArray();
                bytesPerParty = delta.Max(d => d.BytesSent);
                bytesAll = delta.Sum(d => d.BytesSent);
                rounds = delta.Max(d => d.Rounds);
            }
            log.WriteLine(FormattableString.Invariant($"  {benchCase.Name} {rows}: run {r + 1}/{plan.Runs} {seconds[r]:0.0000} s (cpu user {user1 - user0:0.000} s, kernel {sys1 - sys0:0.000} s, GC pauses {pauses[r]:0.000} s)"));
        }
        var sorted = seconds.Order().ToArray();
        return new BenchResult(benchCase.Name, rows, Median(sorted), sorted[0], sorted[^1], plan.Runs,
            bytesPerParty, bytesAll, rounds, (long)Median(allocated.Select(a => (double)a).Order().ToArray()), peak, baseline,
            Median(pauses.Order().ToArray()), gen2, Median(cpu.Order().ToArray()), Median(kernel.Order().ToArray()));
    }

    static (double User, double Kernel) CpuTimes()
    {
        using var p = Process.GetCurrentProcess();
        return (p.UserProcessorTime.TotalSeconds, p.PrivilegedProcessorTime.TotalSeconds);
    }

    static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
