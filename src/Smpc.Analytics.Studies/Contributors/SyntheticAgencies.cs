using Smpc.Analytics.Statistics;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Studies;

/// <summary>
/// The synthetic agencies of <c>data/synthetic</c> (the generator's <see cref="SyntheticGenerator.DatasetNames"/>) as
/// contributors: one folder of datasets like any other (<see cref="DatasetFolder"/>), read in the generator's order.
/// </summary>
public static class SyntheticAgencies
{
    public static IReadOnlyList<string> Files => SyntheticGenerator.DatasetNames;

    /// <summary>The folder of agency files: <paramref name="folder"/> if given, else <c>data/synthetic</c> in the working
    /// directory or the nearest parent that has one.</summary>
    public static string Locate(string? folder)
    {
        if (folder is not null)
            return File.Exists(Path.Combine(folder, Marker)) ? Path.GetFullPath(folder)
                : throw new QueryException($"'{folder}' holds no synthetic agency files ({Marker} is missing).");
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "synthetic");
            if (File.Exists(Path.Combine(candidate, Marker))) return candidate;
        }
        throw new QueryException($"No data/synthetic folder in '{Directory.GetCurrentDirectory()}' or above it; give its path (--data), or open the generated demo study instead.");
    }

    static string Marker => Files[0] + ".schema.json";

    /// <summary>Every agency file present in <paramref name="folder"/>, read and checked, as a contributor.</summary>
    public static IReadOnlyList<Contributor> Load(string folder)
    {
        var present = Files.Where(name => File.Exists(Path.Combine(folder, name + ".csv"))).Select(name => Load(folder, name)).ToArray();
        return present.Length > 0 ? present
            : throw new QueryException($"'{folder}' holds none of the agency files ({string.Join(", ", Files.Select(f => f + ".csv"))}).");
    }

    public static Contributor Load(string folder, string name) => DatasetFolder.Load(folder, name);
}
