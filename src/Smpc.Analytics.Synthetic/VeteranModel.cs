namespace Smpc.Analytics.Synthetic;

/// <summary>A veteran's values in the VA-like file (the same for every record of that veteran).</summary>
internal sealed record VeteranValues(int Age, string AgeBand, string Branch, int? Rating, string DisabilityBand, long BenefitCents, bool Enrolled);

/// <summary>
/// VA-like benefits: the service-connected disability rating depends on the era (recent eras are rated more
/// often and higher); the monthly compensation is the 2025 basic rate for the rating, plus dependants for
/// ratings of 30% and more, plus special monthly compensation for some at 100%; health-care enrolment rises
/// with rating and age.
/// </summary>
internal static class VeteranModel
{
    /// <summary>2025 veteran-alone monthly compensation (USD) for ratings 0, 10, …, 100.</summary>
    public static readonly double[] BasicRate = [0, 175.51, 346.95, 537.42, 774.16, 1102.04, 1395.93, 1759.19, 2044.89, 2297.96, 3831.30];
    public static readonly IReadOnlyList<string> AgeBands = ["18-34", "35-44", "45-54", "55-64", "65-74", "75+"];
    public static readonly IReadOnlyList<string> DisabilityBands = ["none", "0-20", "30-60", "70-100"];
    public static readonly IReadOnlyList<string> Branches = ["Army", "Navy", "Air Force", "Marine Corps", "Coast Guard"];
    static readonly Weighted<string> Branch = new(Branches.Zip(new[] { 0.45, 0.22, 0.18, 0.12, 0.03 }));
    static readonly double[] RatingWeights = [0.06, 0.15, 0.09, 0.10, 0.08, 0.07, 0.08, 0.09, 0.09, 0.08, 0.11];
    static readonly Weighted<int> Dependants = new([(0, 0.35), (1, 0.35), (2, 0.18), (3, 0.12)]);

    public static string AgeBand(int age) => age switch
    {
        < 35 => "18-34", < 45 => "35-44", < 55 => "45-54", < 65 => "55-64", < 75 => "65-74", _ => "75+",
    };

    public static string DisabilityBand(int? rating) => rating switch
    {
        null => "none", <= 20 => "0-20", <= 60 => "30-60", _ => "70-100",
    };

    public static VeteranValues For(Person p, ulong seed)
    {
        var era = p.Era ?? throw new ArgumentException($"Person {p.Id} is not in the veterans' file.");
        var rng = new Prng(seed, Prng.Stream.Veteran, p.Index);
        string branch = Branch.Pick(rng);
        double pRated = era switch { ServiceEra.Korea => 0.35, ServiceEra.Vietnam => 0.50, ServiceEra.Peacetime => 0.35, ServiceEra.GulfWar => 0.55, _ => 0.65 };
        double tilt = era switch { ServiceEra.Post911 => 0.08, ServiceEra.GulfWar => 0.04, _ => 0 };
        int? rating = rng.Chance(pRated) ? 10 * new Weighted<int>(RatingWeights.Select((w, k) => (k, w * (1 + tilt * k)))).Pick(rng) : null;

        double benefit = 0;
        if (rating is int r)
        {
            benefit = BasicRate[r / 10];
            if (r >= 30) benefit += Dependants.Pick(rng) * (r / 10) * 21.0;
            if (r == 100 && rng.Chance(0.08)) benefit += rng.Uniform(100, 1500);
        }
        int age = p.Age;
        double enrol = Prng.Logistic(-0.9 + 0.035 * (rating ?? 0) + 0.025 * (age - 50) + (rating is null ? 0 : 0.6));
        return new VeteranValues(age, AgeBand(age), branch, rating, DisabilityBand(rating),
            (long)Math.Round(benefit * 100, MidpointRounding.AwayFromZero), rng.Chance(enrol));
    }
}
