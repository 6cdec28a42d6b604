using Smpc.Analytics.Statistics;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Studies;

/// <summary>
/// The embedded demo: the synthetic agencies generated on this machine by the project's seeded generator
/// (<see cref="SyntheticGenerator"/>, the same as <c>smpc synth --seed S --size N</c>) into a cache folder, with their
/// plaintext ground truth. Same seed and size, same bytes, so a demo study can be checked against its truth files.
/// </summary>
public static class DemoAgencies
{
    public const int MinSize = 200;
    public const int MaxSize = 2_000_000;

    /// <summary>The folder holding the agencies for (<paramref name="seed"/>, <paramref name="size"/>), generated if not yet
    /// there. <paramref name="size"/> is the number of bank records; veterans are 0.8× and survey 0.6× that.</summary>
    public static string Folder(int size, ulong seed, string? cacheRoot = null)
    {
        if (size is < MinSize or > MaxSize)
            throw new QueryException($"The demo study's size must be between {MinSize:N0} and {MaxSize:N0} bank records; got {size:N0}.");
        var root = cacheRoot ?? Path.Combine(Path.GetTempPath(), "smpc-demo");
        var folder = Path.Combine(root, $"v{SyntheticGenerator.FormatVersion}-seed{seed}-size{size}");
        var done = Path.Combine(folder, "truth", "ground-truth.json");
        if (File.Exists(done)) return folder;
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);   // left incomplete by an interrupted run
        // Generate beside the target and move into place, so a half-written folder is never used.
        var staging = Path.Combine(root, $".staging-{Guid.NewGuid():N}");
        try
        {
            SyntheticGenerator.Generate(SyntheticOptions.ForSize(seed, size), staging);
            try { Directory.Move(staging, folder); }
            catch (IOException) when (File.Exists(done)) { }          // another process generated it first: identical bytes
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return folder;
    }
}
