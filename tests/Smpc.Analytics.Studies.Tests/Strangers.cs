using System.Globalization;
using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// "A stranger's data": two agencies' CSV files whose column names, identifier layouts and categories appear nowhere
/// in the project — a harbour's licence registry (tax number as ddd.dd.dddd, mixed-case names, dates of birth day
/// first as dd.MM.yyyy) and an allotment society's member list (tax number as nine digits, upper-case names under
/// German headers, dates as "5 Mar 1970"). Seeded, so every run writes the same bytes. Some people are in both files;
/// a few have no tax number in one of them and link on name and date of birth instead. One county is rare, so a
/// table of linked rows by county has a cell below the minimum size.
/// </summary>
internal sealed class Strangers
{
    public static readonly string[] Counties = ["Brynmoor", "Caldwick", "Eastmere", "Fallowby", "Ulvsund"];
    public static readonly string[] Vessels = ["skiff", "trawler", "longliner"];
    public static readonly string[] Societies = ["North Terrace", "Millbrook", "Old Quarry"];
    static readonly string[] Given = ["Ylva", "Orrin", "Maelis", "Tobiah", "Kestrel", "Idony", "Fenwick", "Saoirse", "Balthus", "Wren", "Odile", "Caspian", "Liesel", "Thorne", "Ysolde", "Anselm"];
    static readonly string[] Family = ["Quennell", "Ashdown", "Brackwater", "Fairweather", "Holloway", "Inchbold", "Marwood", "Pennywhistle", "Rookhurst", "Stillwell", "Thistlewood", "Underhay", "Vexley", "Wychbury", "Yardley", "Zennor"];

    public sealed record Person(int Id, string Ssn, string Given, string Family, DateOnly Born);

    public string Folder { get; }
    public string Harbour => Path.Combine(Folder, "harbour.csv");
    public string Allotments => Path.Combine(Folder, "allotments.csv");
    public IReadOnlyList<Person> People { get; }

    public Strangers(string folder, int seed = 7)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        var rng = new Random(seed);
        var people = new List<Person>();
        var ssns = new HashSet<string>();
        var keys = new HashSet<string>();
        while (people.Count < 900)
        {
            string ssn = $"{rng.Next(100, 666):D3}{rng.Next(10, 100):D2}{rng.Next(1000, 10000):D4}";
            var p = new Person(people.Count, ssn, Given[rng.Next(Given.Length)], Family[rng.Next(Family.Length)],
                               new DateOnly(1940, 1, 1).AddDays(rng.Next(0, 60 * 365)));
            if (ssns.Add(ssn) && keys.Add($"{p.Family}|{p.Given}|{p.Born}")) people.Add(p);
        }
        People = people;

        // People 0..599 hold a harbour licence, 300..799 an allotment: 300 in both.
        var harbour = new StringBuilder("licence_ref,taxpayer_no,given,family,born,county,vessel_class,catch_tonnes,crew,insured\n");
        for (int i = 0; i < 600; i++)
        {
            var p = people[i];
            string tax = rng.NextDouble() < 0.06 ? "" : $"{p.Ssn[..3]}.{p.Ssn[3..5]}.{p.Ssn[5..]}";
            string county = i % 97 == 0 && i >= 300 ? "Ulvsund" : Counties[rng.Next(4)];
            string catchTonnes = (rng.Next(5, 4000) / 10.0).ToString("0.0", CultureInfo.InvariantCulture);
            string crew = rng.NextDouble() < 0.03 ? "" : rng.Next(1, 31).ToString(CultureInfo.InvariantCulture);
            harbour.Append(CultureInfo.InvariantCulture, $"HX-{i + 1:D6},{tax},{p.Given},{p.Family},{p.Born:dd.MM.yyyy},{county},{Vessels[rng.Next(3)]},{catchTonnes},{crew},{rng.Next(2)}\n");
        }
        var allotments = new StringBuilder("plot_holder_no,tin,vorname,nachname,geburtsdatum,society,plot_size_m2,harvest_kg\n");
        for (int i = 300; i < 800; i++)
        {
            var p = people[i];
            string tin = rng.NextDouble() < 0.06 ? "" : p.Ssn;
            string society = Societies[rng.Next(3)];
            string harvest = (rng.Next(0, 200_000) / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
            allotments.Append(CultureInfo.InvariantCulture,
                $"AS{i:D5},{tin},{p.Given.ToUpperInvariant()},{p.Family.ToUpperInvariant()},{p.Born.Day} {p.Born.ToString("MMM", CultureInfo.InvariantCulture)} {p.Born.Year},\"{society}\",{rng.Next(50, 1001)},{harvest}\n");
        }
        File.WriteAllText(Harbour, harbour.ToString());
        File.WriteAllText(Allotments, allotments.ToString());
    }

    /// <summary>The steward's edits after <c>smpc schema infer</c>: the name columns get their kinds.</summary>
    public static TableSchema Edited(TableSchema inferred, string given, string family) => inferred with
    {
        Identifiers = inferred.Identifiers.Select(i => i.Name == given ? i with { Kind = IdentifierKind.FirstName }
                                                     : i.Name == family ? i with { Kind = IdentifierKind.LastName } : i).ToArray(),
    };

    /// <summary>Terms that allow what the tests run; linkage on the dataset's own identifier columns.</summary>
    public static DataUseTerms Terms(string dataset, IEnumerable<string> columns, IEnumerable<string> linkage) => new()
    {
        Dataset = dataset,
        Steward = $"{dataset} records office",
        Purpose = "Testing that any dataset can be linked and analysed.",
        Redisclosure = new RedisclosureTerms(),
        MinCellSize = 11,
        AllowedOperations = ["count", "sum", "mean", "quantile", "groupby", "ols", "join"],
        AllowedColumns = [.. columns],
        LinkageColumns = [.. linkage],
    };

    /// <summary>Infers, edits and saves both schemas and terms beside the files (the walk-through's steps).</summary>
    public (TableSchema Harbour, TableSchema Allotments) Prepare()
    {
        var h = Edited(SchemaInference.Infer(Harbour, new InferenceOptions { Identifiers = ["taxpayer_no", "given", "family", "born", "licence_ref"] }).Schema, "given", "family");
        var a = Edited(SchemaInference.Infer(Allotments, new InferenceOptions { Identifiers = ["tin", "vorname", "nachname", "geburtsdatum"] }).Schema, "vorname", "nachname");
        h.Save(Path.Combine(Folder, "harbour.schema.json"));
        a.Save(Path.Combine(Folder, "allotments.schema.json"));
        Terms("harbour", h.Columns.Select(c => c.Name), ["taxpayer_no", "given", "family", "born"]).Save(Path.Combine(Folder, "harbour.terms.json"));
        Terms("allotments", a.Columns.Select(c => c.Name), ["tin", "vorname", "nachname", "geburtsdatum"]).Save(Path.Combine(Folder, "allotments.terms.json"));
        return (h, a);
    }

    /// <summary>A CSV without quotes inside fields other than whole-field quoting, as rows of named fields.</summary>
    public static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(','), (h, v) => (h, v: v.Trim('"'))).ToDictionary(x => x.h, x => x.v)).ToList();
    }
}

/// <summary>Temporary folders for one test class instance.</summary>
public abstract class TempFolders : IDisposable
{
    readonly List<string> _folders = [];

    protected string NewFolder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "smpc-byod-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        _folders.Add(dir);
        return dir;
    }

    public void Dispose()
    {
        foreach (var dir in _folders) if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
