using System.Diagnostics;
using System.Text.Json;

namespace Smpc.Bench.Harness;

/// <summary>
/// Runs one measurement in a fresh child process of this program, so every case starts with an empty
/// heap: peak memory is the case's own, and one case's retained or fragmented heap cannot slow the next.
/// </summary>
public static class Isolation
{
    public const string ChildFlag = "--child";
    const string ResultMarker = "#result ";

    /// <summary>Measures <paramref name="caseName"/> at <paramref name="rows"/> in a child; null if the child failed (its stderr says why).</summary>
    /// <param name="heapLimitPercent">Cap on the child's managed heap, in percent of physical memory (0 = none):
    /// on a shared machine a case that needs more fails with an out-of-memory error instead of crowding out others,
    /// and near the cap the collector reclaims dead columns before it grows the heap.</param>
    public static BenchResult? Measure(string caseName, int rows, RunPlan plan, EnvironmentVariant? variant = null, int heapLimitPercent = 0)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        if (heapLimitPercent > 0) start.Environment["DOTNET_GCHeapHardLimitPercent"] = heapLimitPercent.ToString("x"); // GC settings are hex
        if (variant is not null) start.Environment[variant.Variable] = variant.Value;
        string self = System.Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this program's path to start a child.");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(Isolation).Assembly.Location);
        foreach (var a in new[] { ChildFlag, "--filter", caseName, "--rows", rows.ToString(), "--runs", plan.Runs.ToString(), "--warmup", plan.Warmups.ToString() })
            start.ArgumentList.Add(a);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {self}.");
        BenchResult? result = null;
        string? line;
        while ((line = child.StandardOutput.ReadLine()) is not null)
            if (line.StartsWith(ResultMarker, StringComparison.Ordinal)) result = JsonSerializer.Deserialize<BenchResult>(line[ResultMarker.Length..]);
            else Console.WriteLine(line);   // a case's own result lines (e.g. fuzzy-inproc's quality-* lines)
        child.WaitForExit();
        if (child.ExitCode != 0 || result is null) return null;
        return variant is null ? result : result with { Name = $"{result.Name}@{variant.Label}" };
    }

    /// <summary>An environment setting (e.g. a GC switch) under which every case is timed a second time.</summary>
    public sealed record EnvironmentVariant(string Label, string Variable, string Value)
    {
        /// <summary>Parses <c>LABEL:NAME=VALUE</c>, e.g. <c>retainvm:DOTNET_GCRetainVM=1</c>.</summary>
        public static EnvironmentVariant Parse(string text)
        {
            int colon = text.IndexOf(':'), eq = text.IndexOf('=');
            if (colon <= 0 || eq <= colon + 1) throw new ArgumentException($"--env-variant needs LABEL:NAME=VALUE; got '{text}'.");
            return new(text[..colon], text[(colon + 1)..eq], text[(eq + 1)..]);
        }
    }

    /// <summary>Child side: prints the result in the form <see cref="Measure"/> reads.</summary>
    public static void Emit(BenchResult result) => Console.WriteLine(ResultMarker + JsonSerializer.Serialize(result));
}
