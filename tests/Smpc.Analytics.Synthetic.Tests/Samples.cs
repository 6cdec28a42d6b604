using System.Text.Json;

namespace Smpc.Analytics.Synthetic.Tests;

/// <summary>The committed samples in data/synthetic, read once per test class.</summary>
public sealed class Samples
{
    internal Table Veterans { get; } = new(Path.Combine(Repo.Samples, "veterans.csv"));
    internal Table Bank { get; } = new(Path.Combine(Repo.Samples, "bank.csv"));
    internal Table Survey { get; } = new(Path.Combine(Repo.Samples, "survey.csv"));
    internal Table Records { get; } = new(Path.Combine(Repo.Samples, "truth", "records.csv"));
    internal Table Persons { get; } = new(Path.Combine(Repo.Samples, "truth", "persons.csv"));
    public JsonElement Truth { get; } = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(Repo.Samples, "truth", "ground-truth.json"))).RootElement;

    internal Table File(string dataset) => dataset switch { "veterans" => Veterans, "bank" => Bank, _ => Survey };

    public JsonElement At(string path) => path.Split('.').Aggregate(Truth, (e, key) => e.GetProperty(key));

    /// <summary>Per dataset: person id → the row of that person's first (non-duplicate) record.</summary>
    internal Dictionary<string, string[]> Primary(string dataset)
    {
        var table = File(dataset);
        string idColumn = table.Header[0];
        var rowById = table.Rows.ToDictionary(r => table.Get(r, idColumn));
        return Records.Rows.Where(r => Records.Get(r, "dataset") == dataset && Records.Get(r, "duplicate_of") == "")
            .ToDictionary(r => Records.Get(r, "person_id"), r => rowById[Records.Get(r, "record_id")]);
    }

    /// <summary>Person id → their true identifiers row in truth/persons.csv.</summary>
    internal Dictionary<string, string[]> PersonsById() => Persons.Rows.ToDictionary(r => Persons.Get(r, "person_id"));
}
