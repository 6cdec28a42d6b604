using System.Text;
using System.Text.Json;

namespace Smpc.Bench.Harness;

/// <summary>
/// Summarises interleaved runs of two engine builds (see bench/compare-engines.sh): the JSON files
/// <c>before-N.json</c> and <c>after-N.json</c> in one folder become a Markdown table of medians and ratios.
/// </summary>
public static class EngineComparison
{
    sealed record RunFile(string Environment, List<BenchResult> Results);

    public static string Summarize(string directory)
    {
        var before = Load(directory, "before");
        var after = Load(directory, "after");
        if (before.Count == 0 || after.Count == 0) throw new ArgumentException($"{directory} needs before-N.json and after-N.json files written with --json.");
        var sb = new StringBuilder()
            .AppendLine($"{before.Count} runs of each build, interleaved (before, after, before, ...). Seconds: median of the runs' medians (each run's median in brackets); a case that failed in a run is missing from its list.")
            .AppendLine()
            .AppendLine("| case | rows | before s | after s | after / before | cpu s before → after | allocated MB before → after | bytes sent per party before → after |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var key in after.SelectMany(f => f.Results).Select(r => (r.Name, r.Rows)).Distinct())
        {
            var b = before.SelectMany(f => f.Results).Where(r => (r.Name, r.Rows) == key).ToArray();
            var a = after.SelectMany(f => f.Results).Where(r => (r.Name, r.Rows) == key).ToArray();
            if (b.Length == 0 || a.Length == 0) continue;
            double mb = Median(b.Select(r => r.Seconds)), ma = Median(a.Select(r => r.Seconds));
            sb.AppendLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"| {key.Name} | {key.Rows:N0} | {mb:0.000} ({List(b)}) | {ma:0.000} ({List(a)}) | {ma / mb:0.00} | " +
                $"{Median(b.Select(r => r.CpuSeconds)):0.000} → {Median(a.Select(r => r.CpuSeconds)):0.000} | " +
                $"{Median(b.Select(r => (double)r.AllocatedBytes)) / 1e6:N0} → {Median(a.Select(r => (double)r.AllocatedBytes)) / 1e6:N0} | " +
                $"{b[0].BytesPerParty:N0} → {a[0].BytesPerParty:N0} |"));
        }
        sb.AppendLine().AppendLine("Load while running:");
        foreach (var (f, i) in before.Zip(after).SelectMany(p => new[] { p.First, p.Second }).Select((f, i) => (f, i)))
            sb.AppendLine($"* {(i % 2 == 0 ? "before" : "after")} {i / 2 + 1}: {f.Environment.Split("; ").LastOrDefault()}");
        return sb.ToString();
    }

    static List<RunFile> Load(string directory, string prefix) =>
        Directory.GetFiles(directory, $"{prefix}-*.json").Order(StringComparer.Ordinal)
            .Select(p => JsonSerializer.Deserialize<RunFile>(File.ReadAllText(p), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!)
            .ToList();

    static string List(IEnumerable<BenchResult> rs) => string.Join(", ", rs.Select(r => r.Seconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));

    static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
