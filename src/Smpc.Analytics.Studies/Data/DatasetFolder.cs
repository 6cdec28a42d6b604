using Smpc.Analytics.Columnar;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

/// <summary>
/// A folder of datasets, each a data file (<c>NAME.csv</c>, <c>.arrow</c>, <c>.parquet</c>, …) with its schema
/// <c>NAME.schema.json</c> and data-use terms <c>NAME.terms.json</c> beside it — the layout <c>smpc schema infer</c> and
/// the walk-through in environment.md produce. Each becomes a <see cref="Contributor"/> after its file was read and
/// checked (<see cref="DatasetReader"/>); the synthetic agencies are one such folder.
/// </summary>
public static class DatasetFolder
{
    /// <summary>Names of the datasets in <paramref name="folder"/> that have a data file, a schema and terms, in order.</summary>
    public static IReadOnlyList<string> Names(string folder)
    {
        if (!Directory.Exists(folder)) throw new QueryException($"The data folder '{folder}' does not exist.");
        return Directory.EnumerateFiles(folder, "*.schema.json")
            .Select(p => Path.GetFileName(p)[..^".schema.json".Length])
            .Where(n => DataFile(folder, n) is not null && File.Exists(Path.Combine(folder, n + ".terms.json")))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Every dataset of <paramref name="folder"/> as a contributor, in name order.</summary>
    public static IReadOnlyList<Contributor> Load(string folder)
    {
        var names = Names(folder);
        if (names.Count == 0)
            throw new QueryException($"'{folder}' holds no dataset: each needs a data file (NAME{string.Join("|", DatasetReader.Extensions)}) " +
                                     "with NAME.schema.json and NAME.terms.json beside it (draft the schema with `smpc schema infer`).");
        return names.Select(n => Load(folder, n)).ToArray();
    }

    /// <summary>The dataset <paramref name="name"/> of <paramref name="folder"/>, read and checked against its schema.</summary>
    public static Contributor Load(string folder, string name)
    {
        var data = DataFile(folder, name) ?? throw new QueryException($"'{folder}' has no data file for dataset '{name}' ({string.Join(", ", DatasetReader.Extensions.Select(e => name + e))}).");
        string schema = Path.Combine(folder, name + ".schema.json"), terms = Path.Combine(folder, name + ".terms.json");
        return Contributors.From(data, TableSchema.Load(schema), DataUseTerms.Load(terms), [data, schema, terms]);
    }

    static string? DataFile(string folder, string name)
    {
        var found = DatasetReader.Extensions.Select(e => Path.Combine(folder, name + e)).Where(File.Exists).ToArray();
        return found.Length switch
        {
            0 => null,
            1 => found[0],
            _ => throw new QueryException($"Dataset '{name}' in '{folder}' has several data files ({string.Join(", ", found.Select(Path.GetFileName))}); keep one."),
        };
    }
}
