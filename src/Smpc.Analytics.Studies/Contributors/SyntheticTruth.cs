using System.Text.Json;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Studies;

/// <summary>
/// The plaintext ground truth of synthetic agencies (<c>truth/</c> beside the files): the aggregates of
/// <c>ground-truth.json</c>, the true linkage of <c>records.csv</c>, and the agency files themselves. It exists only
/// because the data are synthetic — notebooks and tests use it to check that a secure result is right. A real study
/// has no such object.
/// </summary>
public sealed class SyntheticTruth
{
    readonly Dictionary<string, AgencyFile> _files = [];
    Dictionary<(string Dataset, string Record), string>? _persons;
    readonly Lock _gate = new();

    public SyntheticTruth(string folder)
    {
        Folder = folder;
        var path = Path.Combine(folder, "truth", "ground-truth.json");
        if (!System.IO.File.Exists(path)) throw new QueryException($"'{folder}' has no plaintext ground truth (truth/ground-truth.json).");
        Json = JsonDocument.Parse(System.IO.File.ReadAllText(path)).RootElement.Clone();
    }

    public string Folder { get; }

    /// <summary>The whole ground-truth.json.</summary>
    public JsonElement Json { get; }

    /// <summary>An element by a dotted path, e.g. "aggregates.linked.veterans_bank.mean_balance".</summary>
    public JsonElement Element(string path)
    {
        var e = Json;
        foreach (var part in path.Split('.'))
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(part, out e))
                throw new QueryException($"The ground truth has no '{path}' (stopped at '{part}').");
        return e;
    }

    /// <summary>A number by dotted path.</summary>
    public double Number(string path) => Element(path).GetDouble();

    /// <summary>An object of numbers by dotted path, e.g. "aggregates.veterans.rows_by_service_era".</summary>
    public IReadOnlyDictionary<string, double> Numbers(string path) =>
        Element(path).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);

    /// <summary>An agency file as its contributor holds it (plaintext).</summary>
    public AgencyFile File(string dataset)
    {
        lock (_gate)
            return _files.TryGetValue(dataset, out var f) ? f : _files[dataset] = AgencyFile.Load(Folder, dataset);
    }

    /// <summary>The true person behind a record (from truth/records.csv), e.g. PersonOf("bank", "C000000017").</summary>
    public string PersonOf(string dataset, string recordId)
    {
        lock (_gate)
        {
            _persons ??= ReadRecords();
            return _persons.TryGetValue((dataset, recordId), out var p) ? p
                : throw new QueryException($"The ground truth has no record '{recordId}' in '{dataset}'.");
        }
    }

    Dictionary<(string, string), string> ReadRecords()
    {
        var map = new Dictionary<(string, string), string>();
        using var reader = new StreamReader(Path.Combine(Folder, "truth", "records.csv"));
        reader.ReadLine();   // header: dataset,record_id,person_id,duplicate_of,noise
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(',', 4);
            if (parts.Length >= 3) map[(parts[0], parts[1])] = parts[2];
        }
        return map;
    }

    public override string ToString() => $"ground truth of {Folder} ({Json.GetProperty("generator").GetProperty("command").GetString()})";
}
