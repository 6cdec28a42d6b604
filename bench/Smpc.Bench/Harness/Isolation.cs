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
    public static BenchResult? Measure(string caseName, int rows, RunPlan plan)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
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
        child.WaitForExit();
        return child.ExitCode == 0 ? result : null;
    }

    /// <summary>Child side: prints the result in the form <see cref="Measure"/> reads.</summary>
    public static void Emit(BenchResult result) => Console.WriteLine(ResultMarker + JsonSerializer.Serialize(result));
}
