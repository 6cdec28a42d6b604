namespace Smpc.Analytics.Synthetic;

/// <summary>
/// One synthetic person of the latent population: true identifiers and the latent traits the agencies'
/// values are drawn from. A pure function of (seed, index); see <see cref="Population.Person"/>.
/// </summary>
internal sealed record Person
{
    public required int Index { get; init; }
    /// <summary>Public id in the ground truth ("P" + 8 digits); a scramble of the index so it reveals nothing about overlap.</summary>
    public required string Id { get; init; }
    public required bool InVeterans { get; init; }
    public required bool InBank { get; init; }
    public required bool InSurvey { get; init; }
    /// <summary>"F" or "M".</summary>
    public required string Sex { get; init; }
    public required DateOnly Dob { get; init; }
    /// <summary>Given name and surname as the person spells them (possibly with diacritics).</summary>
    public required string First { get; init; }
    public required string Last { get; init; }
    /// <summary>JR, SR, II, III or IV; null for most.</summary>
    public string? Suffix { get; init; }
    /// <summary>Another surname a woman may appear under (maiden name or a hyphenated double name).</summary>
    public required string OtherLast { get; init; }
    public required int Ssn { get; init; }
    public required string State { get; init; }
    /// <summary>Service era, for people in the veterans' file.</summary>
    public ServiceEra? Era { get; init; }
    /// <summary>A veteran who does not use VA benefits (so absent from the veterans' file); answers "veteran" in the survey.</summary>
    public bool VeteranOutsideVa { get; init; }
    /// <summary>Earning potential and saving habit, standard normal; they tie the agencies' values together.</summary>
    public required double IncomeZ { get; init; }
    public required double ThriftZ { get; init; }

    public int Age => AgeOn(Dob, SyntheticOptions.ReferenceDate);

    public static int AgeOn(DateOnly dob, DateOnly day) =>
        day.Year - dob.Year - (day.Month < dob.Month || day.Month == dob.Month && day.Day < dob.Day ? 1 : 0);
}

/// <summary>Period of military service (categorical domain in this order).</summary>
internal enum ServiceEra { Korea, Vietnam, Peacetime, GulfWar, Post911 }

internal static class ServiceEras
{
    public static readonly IReadOnlyList<string> Domain = ["Korea", "Vietnam", "Peacetime", "Gulf War", "Post-9/11"];
    public static string Label(this ServiceEra era) => Domain[(int)era];
}
