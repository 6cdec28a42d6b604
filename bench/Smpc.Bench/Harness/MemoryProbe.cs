using System.Diagnostics;

namespace Smpc.Bench.Harness;

/// <summary>
/// Peak resident memory of this process over an interval. On Linux the kernel's high-water mark
/// (VmHWM) is reset by writing 5 to /proc/self/clear_refs, which makes the peak exact per case;
/// elsewhere a sampling thread reads the working set every millisecond.
/// </summary>
public sealed class MemoryProbe : IDisposable
{
    readonly bool _kernel;
    readonly Thread? _sampler;
    volatile bool _stop;
    long _sampledPeak;

    MemoryProbe(bool kernel)
    {
        _kernel = kernel;
        if (_kernel) return;
        _sampledPeak = CurrentResident();
        _sampler = new Thread(Sample) { IsBackground = true, Name = "bench-memory-probe" };
        _sampler.Start();
    }

    /// <summary>Starts measuring from now.</summary>
    public static MemoryProbe Start() => new(TryResetHighWaterMark());

    /// <summary>Largest resident set (bytes) since <see cref="Start"/>.</summary>
    public long PeakBytes => _kernel ? ReadStatusKb("VmHWM:") * 1024 : Math.Max(Interlocked.Read(ref _sampledPeak), CurrentResident());

    public static long CurrentResident()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }

    void Sample()
    {
        while (!_stop)
        {
            long now = CurrentResident();
            long seen;
            while (now > (seen = Interlocked.Read(ref _sampledPeak)) && Interlocked.CompareExchange(ref _sampledPeak, now, seen) != seen) { }
            Thread.Sleep(1);
        }
    }

    static bool TryResetHighWaterMark()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return ReadStatusKb("VmHWM:") > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    static long ReadStatusKb(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim());
        return 0;
    }

    public void Dispose()
    {
        _stop = true;
        _sampler?.Join();
    }
}
