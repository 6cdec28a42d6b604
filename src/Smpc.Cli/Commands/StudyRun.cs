using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Cli.Commands;

/// <summary>The main job. Placeholder study until the synthetic datasets, join and statistics layers land:
/// a secure sum and mean checked against plaintext.</summary>
internal static class StudyRun
{
    public static int Execute(DirectoryInfo output)
    {
        output.Create();
        var rng = new Random(2026);
        var values = Enumerable.Range(0, 100_000).Select(_ => (ulong)rng.Next(0, 5000)).ToArray();
        using var engine = new SecureEngine();
        var shared = engine.Share(values);
        ulong total = engine.Reveal(engine.Sum(shared), "total")[0];
        ulong expected = values.Aggregate(0UL, (a, b) => a + b);
        var report = Path.Combine(output.FullName, "report.txt");
        File.WriteAllText(report, $"secure sum of {values.Length} values: {total} (plaintext {expected})\n");
        Console.WriteLine($"Report: {report}");
        return total == expected ? 0 : 1;
    }
}
