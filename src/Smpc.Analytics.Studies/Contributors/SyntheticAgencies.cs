using Smpc.Analytics.Statistics;
using Smpc.Analytics.Study;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Studies;

/// <summary>
/// The synthetic agencies of <c>data/synthetic</c> (veterans, bank customers, graduate survey) as contributors: each
/// file is read against its schema (<see cref="AgencyFile"/>) under the data-use terms beside it; identifiers stay
/// with the contributor for linkage, analysis columns are shared.
/// </summary>
public static class SyntheticAgencies
{
    public static IReadOnlyList<string> Files => SyntheticGenerator.DatasetNames;

    /// <summary>The folder of agency files: <paramref name="folder"/> if given, else <c>data/synthetic</c> in the working
    /// directory or the nearest parent that has one.</summary>
    public static string Locate(string? folder)
    {
        if (folder is not null)
            return File.Exists(Path.Combine(folder, "veterans.schema.json")) ? Path.GetFullPath(folder)
                : throw new QueryException($"'{folder}' holds no synthetic agency files (veterans.schema.json is missing).");
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "synthetic");
            if (File.Exists(Path.Combine(candidate, "veterans.schema.json"))) return candidate;
        }
        throw new QueryException($"No data/synthetic folder in '{Directory.GetCurrentDirectory()}' or above it; give its path (--data), or open the generated demo study instead.");
    }

    /// <summary>Every agency file present in <paramref name="folder"/>, read and checked, as a contributor.</summary>
    public static IReadOnlyList<Contributor> Load(string folder) =>
        Files.Where(name => File.Exists(Path.Combine(folder, name + ".csv"))).Select(name => Load(folder, name)).ToArray();

    public static Contributor Load(string folder, string name)
    {
        var file = AgencyFile.Load(folder, name);
        string terms = Path.Combine(folder, name + ".terms.json");
        var files = new[] { name + ".csv", name + ".schema.json", name + ".terms.json" }.Select(f => DatasetFile.Of(Path.Combine(folder, f))).ToArray();
        return new Contributor(file.Schema, file.Analysis, file.Identifiers, DataUseTerms.Load(terms), files);
    }
}
