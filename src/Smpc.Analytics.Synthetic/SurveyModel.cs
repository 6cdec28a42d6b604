namespace Smpc.Analytics.Synthetic;

/// <summary>A respondent's values in the graduate survey (state may differ from other files: people move).</summary>
internal sealed record SurveyValues(string State, string Degree, string Field, string Sector, int? Salary, long WeightCents, bool Veteran);

/// <summary>
/// NCSES-like survey of college graduates (after the National Survey of College Graduates' major-field groups
/// and employer sectors). Log salary = field base + degree premium + sector effect + experience + noise;
/// not employed (mostly past 62) → no salary. Design weights by degree and field stratum (doctorates and
/// S&amp;E fields oversampled, so their weights are smaller), times a non-response adjustment.
/// </summary>
internal static class SurveyModel
{
    public static readonly IReadOnlyList<string> Fields =
    [
        "Computer and mathematical sciences", "Biological agricultural and environmental life sciences", "Physical and related sciences",
        "Social and related sciences", "Engineering", "Science and engineering-related fields", "Non-science and engineering fields",
    ];
    static readonly double[] FieldWeight = [0.12, 0.10, 0.05, 0.16, 0.12, 0.15, 0.30];
    static readonly double[] FieldBaseSalary = [78_000, 50_000, 62_000, 47_000, 80_000, 58_000, 47_000];
    static readonly double[] FieldStratum = [1.0, 1.0, 1.0, 1.0, 1.0, 1.2, 1.5];

    public static readonly IReadOnlyList<string> Degrees = ["Bachelor's", "Master's", "Doctorate", "Professional"];
    static readonly double[] DegreePremium = [0, 0.15, 0.30, 0.45];
    static readonly double[] DegreeStratum = [180, 120, 40, 90];

    public static readonly IReadOnlyList<string> Sectors =
        ["For-profit business", "Non-profit organization", "Self-employed", "Educational institution", "Government", "Not employed"];
    static readonly double[] SectorEffect = [0.10, -0.10, 0, -0.20, 0, 0];

    static readonly Weighted<int> Field = new(FieldWeight.Select((w, i) => (i, w)));

    public static SurveyValues For(Person p, ulong seed)
    {
        if (!p.InSurvey) throw new ArgumentException($"Person {p.Id} is not in the survey.");
        var rng = new Prng(seed, Prng.Stream.Survey, p.Index);
        string state = rng.Chance(0.03) ? States.Everyone.Pick(rng) : p.State;
        int field = Field.Pick(rng);
        double doctorate = field is 1 or 2 ? 0.14 : 0.06;
        int degree = new Weighted<int>([(0, 0.58), (1, 0.30), (2, doctorate), (3, 0.05)]).Pick(rng);
        int age = p.Age;
        bool veteran = p.InVeterans ? rng.Chance(0.97) : p.VeteranOutsideVa;
        double notEmployed = 0.04 + (age >= 62 ? 0.35 : 0) + (age >= 70 ? 0.30 : 0);
        int sector;
        if (rng.Chance(notEmployed)) sector = 5;
        else
        {
            double edu = degree == 2 ? 2.5 : 1, gov = veteran ? 2 : 1;
            sector = new Weighted<int>([(0, 0.55), (1, 0.08), (2, 0.08), (3, 0.14 * edu), (4, 0.15 * gov)]).Pick(rng);
        }
        int? salary = null;
        if (sector != 5)
        {
            double log = DetMath.Log(FieldBaseSalary[field]) + DegreePremium[degree] + SectorEffect[sector]
                         + 0.02 * (Math.Min(age, 50) - 25) - 0.01 * Math.Max(0, age - 60)
                         + 0.25 * p.IncomeZ + (sector == 2 ? 0.6 : 0.35) * rng.Normal();
            salary = (int)Math.Clamp(Math.Round(DetMath.Exp(log), MidpointRounding.AwayFromZero), 5_000, 999_000);
        }
        double weight = DegreeStratum[degree] * FieldStratum[field] * rng.LogNormal(0, 0.25);
        long weightCents = (long)Math.Clamp(Math.Round(weight * 100, MidpointRounding.AwayFromZero), 100, 500_000);
        return new SurveyValues(state, Degrees[degree], Fields[field], Sectors[sector], salary, weightCents, veteran);
    }
}
