namespace Smpc.Analytics.Synthetic;

/// <summary>
/// The latent population and who is in which file. People are indexed 0..Count−1 in seven contiguous blocks
/// (in all three files; veterans and bank only; veterans and survey only; bank and survey only; each file
/// alone), sized from <see cref="OverlapOptions"/>. Every attribute of person i is drawn from its own stream,
/// so <see cref="Person"/> is a pure function and nothing about people needs to be held in memory.
/// </summary>
internal sealed class Population
{
    public enum Block { All, VeteransBank, VeteransSurvey, BankSurvey, VeteransOnly, BankOnly, SurveyOnly }

    readonly ulong _seed;
    readonly int[] _start = new int[8];
    readonly SsnSpace _ssn;
    readonly long _idMultiplier, _idOffset;

    public Population(SyntheticOptions options)
    {
        _seed = options.Seed;
        VeteranPersons = Distinct(options.VeteranRows, options.VeteranNoise.Duplicates);
        BankPersons = Distinct(options.BankRows, options.BankNoise.Duplicates);
        SurveyPersons = Distinct(options.SurveyRows, options.SurveyNoise.Duplicates);
        var o = options.Overlap;
        int all = Round(o.VeteransInAllThree * VeteranPersons);
        int vb = Round(o.VeteransInBank * VeteranPersons), vs = Round(o.VeteransInSurvey * VeteranPersons);
        int bs = Round(o.SurveyNonVeteransInBank * (SurveyPersons - vs));
        int[] sizes = [all, vb - all, vs - all, bs, VeteranPersons - vb - vs + all, BankPersons - vb - bs, SurveyPersons - vs - bs];
        string[] what = ["in all three", "veterans and bank only", "veterans and survey only", "bank and survey only", "veterans only", "bank only", "survey only"];
        var bad = sizes.Select((n, i) => (n, i)).Where(t => t.n < 0).Select(t => $"{what[t.i]} would be {t.n}").ToList();
        if (bad.Count > 0)
            throw new ArgumentException($"The overlap does not fit the sizes ({VeteranPersons} veterans, {BankPersons} bank customers, " +
                $"{SurveyPersons} survey respondents as distinct people): {string.Join("; ", bad)}. Raise the smaller file's rows or lower the overlap fractions.");
        for (int i = 0; i < 7; i++) _start[i + 1] = _start[i] + sizes[i];
        _ssn = new SsnSpace(options.Seed);
        var rng = new Prng(options.Seed, Prng.Stream.Layout, 1);
        long a = (long)(rng.NextULong() % (ulong)Math.Max(Count, 1)) | 1;
        while (Count > 1 && Gcd(a, Count) != 1) a += 2;
        _idMultiplier = a;
        _idOffset = (long)(rng.NextULong() % (ulong)Math.Max(Count, 1));
    }

    public int Count => _start[7];
    public int VeteranPersons { get; }
    public int BankPersons { get; }
    public int SurveyPersons { get; }

    public int Size(Block b) => _start[(int)b + 1] - _start[(int)b];

    public IEnumerable<int> In(Block b) => Enumerable.Range(_start[(int)b], Size(b));

    public Block BlockOf(int index)
    {
        for (int b = 0; b < 7; b++) if (index < _start[b + 1]) return (Block)b;
        throw new ArgumentOutOfRangeException(nameof(index), index, $"The population has {Count} people.");
    }

    /// <summary>People of one file, in index order.</summary>
    public int[] Members(Dataset d)
    {
        Block[] blocks = d switch
        {
            Dataset.Veterans => [Block.All, Block.VeteransBank, Block.VeteransSurvey, Block.VeteransOnly],
            Dataset.Bank => [Block.All, Block.VeteransBank, Block.BankSurvey, Block.BankOnly],
            _ => [Block.All, Block.VeteransSurvey, Block.BankSurvey, Block.SurveyOnly],
        };
        return blocks.SelectMany(In).Order().ToArray();
    }

    static int Distinct(int rows, double duplicates) => (int)Math.Round(rows / (1 + duplicates), MidpointRounding.AwayFromZero);
    static int Round(double x) => (int)Math.Round(x, MidpointRounding.AwayFromZero);
    static long Gcd(long x, long y) { while (y != 0) (x, y) = (y, x % y); return x; }

    static readonly Weighted<ServiceEra> EraAll = new([(ServiceEra.Korea, 0.02), (ServiceEra.Vietnam, 0.34), (ServiceEra.Peacetime, 0.12), (ServiceEra.GulfWar, 0.24), (ServiceEra.Post911, 0.28)]);
    static readonly Weighted<ServiceEra> EraWorkingAge = new([(ServiceEra.Vietnam, 0.05), (ServiceEra.Peacetime, 0.15), (ServiceEra.GulfWar, 0.35), (ServiceEra.Post911, 0.45)]);
    static readonly Weighted<(int, int)> AdultAges = new([((18, 24), 0.11), ((25, 34), 0.17), ((35, 44), 0.17), ((45, 54), 0.16), ((55, 64), 0.16), ((65, 74), 0.13), ((75, 84), 0.07), ((85, 95), 0.03)]);
    static readonly Weighted<(int, int)> GraduateAges = new([((22, 29), 0.18), ((30, 39), 0.24), ((40, 49), 0.22), ((50, 59), 0.19), ((60, 69), 0.13), ((70, 75), 0.04)]);
    static readonly Weighted<string> Suffix = Weighted<string>.Parse(Names.Suffixes);

    public Person Person(int index)
    {
        var block = BlockOf(index);
        bool inV = block is Block.All or Block.VeteransBank or Block.VeteransSurvey or Block.VeteransOnly;
        bool inB = block is Block.All or Block.VeteransBank or Block.BankSurvey or Block.BankOnly;
        bool inS = block is Block.All or Block.VeteransSurvey or Block.BankSurvey or Block.SurveyOnly;
        var rng = new Prng(_seed, Prng.Stream.Person, index);

        bool male = rng.Chance(inV ? 0.89 : 0.48);
        ServiceEra? era = null;
        int birthYear;
        if (inV)
        {
            era = (inS ? EraWorkingAge : EraAll).Pick(rng);
            var (lo, hi) = era switch
            {
                ServiceEra.Korea => (1928, 1934),
                ServiceEra.Vietnam => (inS ? 1951 : 1940, 1955),
                ServiceEra.Peacetime => (1956, 1967),
                ServiceEra.GulfWar => (1968, 1982),
                _ => (1983, inS ? 2002 : 2006),
            };
            birthYear = rng.Between(lo, hi);
        }
        else
        {
            var (lo, hi) = (inS ? GraduateAges : AdultAges).Pick(rng);
            birthYear = SyntheticOptions.ReferenceDate.Year - 1 - rng.Between(lo, hi);
        }
        var jan1 = new DateOnly(birthYear, 1, 1);
        var dob = jan1.AddDays(rng.Next(DateTime.IsLeapYear(birthYear) ? 366 : 365));

        string first = (male ? Names.Male : Names.Female).Pick(rng);
        string last = Names.Surname.Pick(rng);
        if (Names.Accented.TryGetValue(first, out var af) && rng.Chance(0.5)) first = af;
        if (Names.Accented.TryGetValue(last, out var al) && rng.Chance(0.5)) last = al;
        string? suffix = male && rng.Chance(0.04) ? Suffix.Pick(rng) : null;
        string other = Names.Surname.Pick(rng);
        if (other == Names.StripDiacritics(last) || rng.Chance(0.3)) other = $"{last}-{other}";

        return new Person
        {
            Index = index,
            Id = "P" + ((index * _idMultiplier + _idOffset) % Count + 1).ToString("D8", System.Globalization.CultureInfo.InvariantCulture),
            InVeterans = inV, InBank = inB, InSurvey = inS,
            Sex = male ? "M" : "F",
            Dob = dob,
            First = first, Last = last, Suffix = suffix, OtherLast = other,
            Ssn = _ssn.ForPerson(index),
            State = (inV ? States.Veterans : States.Everyone).Pick(rng),
            Era = era,
            VeteranOutsideVa = !inV && inS && rng.Chance(0.05),
            IncomeZ = rng.Normal(),
            ThriftZ = rng.Normal(),
        };
    }
}

/// <summary>The three agencies' files.</summary>
public enum Dataset { Veterans, Bank, Survey }
