namespace Smpc.Analytics.Interactive.Demo;

/// <summary>
/// The embedded demo study's plaintext: two small agency datasets with overlapping populations, generated
/// deterministically from a seed. Only the contributors' side holds it; the notebook keeps a reference so
/// that teaching notebooks and tests can check secure results against the plaintext ground truth.
/// A real study has no such object. (The full synthetic agencies with identifier noise live in
/// data/synthetic; this generator only keeps the extension self-contained.)
/// </summary>
public sealed class DemoData
{
    public static readonly IReadOnlyList<string> States = ["CA", "FL", "GA", "NY", "OH", "PA", "TX", "VA"];
    public static readonly IReadOnlyList<string> Eras = ["Vietnam", "Gulf War", "Post-9/11", "Peacetime"];
    public static readonly IReadOnlyList<string> Sexes = ["F", "M"];

    DemoData(int seed, IReadOnlyList<VeteranRecord> veterans, IReadOnlyList<BankCustomerRecord> bank)
    {
        Seed = seed;
        Veterans = veterans;
        Bank = bank;
    }

    public int Seed { get; }
    public IReadOnlyList<VeteranRecord> Veterans { get; }
    public IReadOnlyList<BankCustomerRecord> Bank { get; }

    /// <summary>Generates <paramref name="veterans"/> veterans; about 60% of them are also bank customers, and the
    /// bank has as many customers again who are not veterans. About 1% of veterans have no SSN on file.</summary>
    public static DemoData Generate(int veterans = 2000, int seed = 2026)
    {
        if (veterans is < 1 or > 1_000_000) throw new ArgumentOutOfRangeException(nameof(veterans), veterans, "The demo study has between 1 and 1,000,000 veterans.");
        var rng = new Random(seed);
        var ssns = new HashSet<string>();
        string NewSsn()
        {
            string s;
            do s = $"{rng.Next(100, 900):D3}-{rng.Next(1, 100):D2}-{rng.Next(1, 10000):D4}"; while (!ssns.Add(s));
            return s;
        }

        var vets = new List<VeteranRecord>(veterans);
        var bank = new List<BankCustomerRecord>();
        for (int i = 0; i < veterans; i++)
        {
            string ssn = NewSsn();
            string state = States[Skewed(rng, States.Count)];
            string era = Eras[Skewed(rng, Eras.Count)];
            int rating = 10 * rng.Next(0, 11);
            double benefit = Math.Round(rating == 0 ? 0 : 150 + rating * 35 + rng.NextDouble() * 400, 2);
            vets.Add(new VeteranRecord(rng.NextDouble() < 0.01 ? null : ssn, Sexes[rng.NextDouble() < 0.12 ? 0 : 1], state, era,
                                       rating, benefit, rng.NextDouble() < 0.55));
            if (rng.NextDouble() < 0.6)
                bank.Add(Customer(rng, ssn, rng.NextDouble() < 0.9 ? state : States[rng.Next(States.Count)], benefit));
        }
        int others = bank.Count;
        for (int i = 0; i < others; i++)
            bank.Add(Customer(rng, NewSsn(), States[Skewed(rng, States.Count)], 0));
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bank));
        return new DemoData(seed, vets, bank);
    }

    static BankCustomerRecord Customer(Random rng, string ssn, string state, double benefit)
    {
        double deposits = Math.Round(800 + rng.NextDouble() * 5200 + benefit, 2);
        double balance = Math.Round(Math.Max(-2000, deposits * (0.5 + 6 * rng.NextDouble()) - 1500), 2);
        bool delinquent = rng.NextDouble() < (balance < 1000 ? 0.18 : 0.04);
        return new BankCustomerRecord(ssn, state, balance, deposits, delinquent);
    }

    /// <summary>Index in [0, n) with earlier values more likely (so cells differ in size and some are small).</summary>
    static int Skewed(Random rng, int n) => Math.Min(n - 1, (int)(n * Math.Pow(rng.NextDouble(), 3)));
}
