namespace Smpc.Analytics.Synthetic;

/// <summary>
/// Writes one agency file row by row (streaming): picks which people get a duplicate record, shuffles the
/// rows, renders each record with its own noise stream, and appends the record's true person, duplicate link
/// and defects to the ground-truth record list. Memory: two ints and a flag per row.
/// </summary>
internal sealed class DatasetRun
{
    public delegate string[] Render(Person person, string recordId, IdentifierNoise noise, Prng rng);

    public required Dataset Dataset { get; init; }
    public required string RecordPrefix { get; init; }
    public required int Digits { get; init; }
    public required IReadOnlyList<string> Header { get; init; }
    public required NoiseRates Rates { get; init; }
    public required Prng.Stream RecordStream { get; init; }
    public required Render Renderer { get; init; }

    /// <summary>Per defect: records that could get it, records that got it.</summary>
    public SortedDictionary<string, (long Eligible, long Flagged)> Noise { get; } = new(StringComparer.Ordinal);
    public int Rows { get; private set; }
    public int DuplicateRows { get; private set; }

    public string RecordId(int row) => RecordPrefix + (row + 1).ToString("D" + Digits, System.Globalization.CultureInfo.InvariantCulture);

    public void Write(Population pop, SyntheticOptions options, int rows, string csvPath, CsvWriter truthRecords)
    {
        if (rows >= Math.Pow(10, Digits)) throw new ArgumentException($"{Dataset}: {rows} rows do not fit {Digits}-digit record ids.");
        int[] members = pop.Members(Dataset);
        int duplicates = rows - members.Length;
        if (duplicates < 0 || duplicates > members.Length)
            throw new InvalidOperationException($"{Dataset}: {rows} rows for {members.Length} people.");

        // Which people get a second record: the first `duplicates` of a seeded partial Fisher–Yates shuffle.
        var pick = (int[])members.Clone();
        var dupRng = new Prng(options.Seed, Prng.Stream.Duplicates, (long)Dataset);
        for (int i = 0; i < duplicates; i++) { int j = i + dupRng.Next(pick.Length - i); (pick[i], pick[j]) = (pick[j], pick[i]); }

        var person = new int[rows];
        var isDuplicate = new bool[rows];
        members.CopyTo(person, 0);
        Array.Copy(pick, 0, person, members.Length, duplicates);
        for (int i = members.Length; i < rows; i++) isDuplicate[i] = true;
        var shuffle = new Prng(options.Seed, Prng.Stream.Shuffle, (long)Dataset);
        for (int i = rows - 1; i > 0; i--)
        {
            int j = shuffle.Next(i + 1);
            (person[i], person[j]) = (person[j], person[i]);
            (isDuplicate[i], isDuplicate[j]) = (isDuplicate[j], isDuplicate[i]);
        }
        var duplicated = new HashSet<int>(pick.Take(duplicates));
        var primaryRow = new Dictionary<int, int>(duplicates);
        for (int r = 0; r < rows; r++) if (!isDuplicate[r] && duplicated.Contains(person[r])) primaryRow[person[r]] = r;

        using var csv = new CsvWriter(csvPath);
        csv.Write(Header);
        string name = Dataset.ToString().ToLowerInvariant();
        for (int r = 0; r < rows; r++)
        {
            var p = pop.Person(person[r]);
            var rng = new Prng(options.Seed, RecordStream, r);
            var noise = new IdentifierNoise(Rates, rng);
            string id = RecordId(r);
            csv.Write(Renderer(p, id, noise, rng));
            foreach (var e in noise.Eligible) { var c = Noise.GetValueOrDefault(e); Noise[e] = (c.Eligible + 1, c.Flagged); }
            foreach (var f in noise.Flags) { var c = Noise[f]; Noise[f] = (c.Eligible, c.Flagged + 1); }
            truthRecords.Write([name, id, p.Id, isDuplicate[r] ? RecordId(primaryRow[person[r]]) : "", string.Join(';', noise.Flags)]);
        }
        Rows = rows;
        DuplicateRows = duplicates;
    }
}
