using System.Runtime;
using System.Runtime.InteropServices;
using Smpc.Analytics.Sharing;

namespace Smpc.Bench.Harness;

/// <summary>What the figures were measured on (printed at the start of every run).</summary>
public static class BenchEnvironment
{
    public static string Describe(BenchOptions options) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"# Smpc.Bench {(options.Quick ? "quick" : "full")} {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {System.Environment.ProcessorCount} cores; " +
        $"{RuntimeInformation.FrameworkDescription}; {RuntimeInformation.OSDescription}; AES-NI {(AesCtrPrg.IsHardwareAccelerated ? "yes" : "no")}; " +
        $"GC {(GCSettings.IsServerGC ? "server" : "workstation")}/{GCSettings.LatencyMode}; load {LoadAverage()}");

    static string LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a"; }
        catch (IOException) { return "n/a"; }
    }
}
