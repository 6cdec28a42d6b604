namespace Smpc.Analytics.Synthetic;

/// <summary>
/// Everything a generation run depends on. The same options give byte-identical files on every machine.
/// <see cref="ForSize"/> is what <c>smpc synth --seed N --size S</c> uses: S bank customers, 0.8·S veterans and
/// 0.6·S survey respondents (rows, duplicates included).
/// </summary>
public sealed record SyntheticOptions
{
    public const int MaxRows = 20_000_000;

    public ulong Seed { get; init; } = 2026;
    public required int VeteranRows { get; init; }
    public required int BankRows { get; init; }
    public required int SurveyRows { get; init; }
    public OverlapOptions Overlap { get; init; } = new();
    public NoiseRates VeteranNoise { get; init; } = NoiseRates.Veterans;
    public NoiseRates BankNoise { get; init; } = NoiseRates.Bank;
    public NoiseRates SurveyNoise { get; init; } = NoiseRates.Survey;

    /// <summary>Ages and reference dates are computed on this day, not on the day the generator runs.</summary>
    public static readonly DateOnly ReferenceDate = new(2026, 1, 1);

    public static SyntheticOptions ForSize(ulong seed, int size) => new()
    {
        Seed = seed,
        BankRows = size,
        VeteranRows = (int)(size * 8L / 10),
        SurveyRows = (int)(size * 6L / 10),
    };

    /// <summary><see cref="ForSize"/> with about <paramref name="noisy"/> of every file's records carrying a name or date-of-birth
    /// defect and 30% of SSNs missing (<see cref="NoiseRates.Noisy"/>): where exact linkage drops.</summary>
    public static SyntheticOptions NoisyForSize(ulong seed, int size, double noisy) => ForSize(seed, size) with
    {
        VeteranNoise = NoiseRates.Noisy(NoiseRates.Veterans, noisy),
        BankNoise = NoiseRates.Noisy(NoiseRates.Bank, noisy),
        SurveyNoise = NoiseRates.Noisy(NoiseRates.Survey, noisy),
    };

    /// <summary>The <c>smpc synth</c> command line that reproduces these options.</summary>
    public string ToCommand()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var parts = new List<string> { "smpc synth", $"--seed {Seed}", $"--size {BankRows}" };
        var d = ForSize(Seed, BankRows);
        if (VeteranRows != d.VeteranRows) parts.Add($"--veterans {VeteranRows}");
        if (SurveyRows != d.SurveyRows) parts.Add($"--survey {SurveyRows}");
        var o = new OverlapOptions();
        if (Overlap.VeteransInBank != o.VeteransInBank) parts.Add(string.Create(inv, $"--veterans-in-bank {Overlap.VeteransInBank}"));
        if (Overlap.VeteransInSurvey != o.VeteransInSurvey) parts.Add(string.Create(inv, $"--veterans-in-survey {Overlap.VeteransInSurvey}"));
        if (Overlap.VeteransInAllThree != o.VeteransInAllThree) parts.Add(string.Create(inv, $"--veterans-in-all {Overlap.VeteransInAllThree}"));
        if (Overlap.SurveyNonVeteransInBank != o.SurveyNonVeteransInBank) parts.Add(string.Create(inv, $"--survey-in-bank {Overlap.SurveyNonVeteransInBank}"));
        if (VeteranNoise != NoiseRates.Veterans || BankNoise != NoiseRates.Bank || SurveyNoise != NoiseRates.Survey)
            parts.Add("(with non-default noise rates set through the library)");
        return string.Join(' ', parts);
    }

    /// <summary>Problems in words (empty when the options can be generated).</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, rows) in new[] { ("veterans", VeteranRows), ("bank", BankRows), ("survey", SurveyRows) })
            if (rows is < 100 or > MaxRows) yield return $"{name}: {rows} rows is outside 100..{MaxRows}";
        foreach (var p in Overlap.Problems()) yield return p;
        foreach (var (name, noise) in new[] { ("veterans", VeteranNoise), ("bank", BankNoise), ("survey", SurveyNoise) })
            foreach (var p in noise.Problems()) yield return $"{name} noise: {p}";
    }
}

/// <summary>
/// How the three populations overlap, as fractions of distinct people. Veterans: V; bank customers: B;
/// survey respondents: S. |V∩B| = VeteransInBank·|V|, |V∩S| = VeteransInSurvey·|V|, |V∩B∩S| = VeteransInAllThree·|V|,
/// and of the survey respondents who are not in V, SurveyNonVeteransInBank are bank customers. Counts are rounded
/// half away from zero.
/// </summary>
public sealed record OverlapOptions
{
    public double VeteransInBank { get; init; } = 0.45;
    public double VeteransInSurvey { get; init; } = 0.20;
    public double VeteransInAllThree { get; init; } = 0.10;
    public double SurveyNonVeteransInBank { get; init; } = 0.25;

    public IEnumerable<string> Problems()
    {
        foreach (var (name, f) in new[] { (nameof(VeteransInBank), VeteransInBank), (nameof(VeteransInSurvey), VeteransInSurvey),
                     (nameof(VeteransInAllThree), VeteransInAllThree), (nameof(SurveyNonVeteransInBank), SurveyNonVeteransInBank) })
            if (!(f is >= 0 and <= 1)) yield return $"overlap {name} = {f} is not a fraction in [0, 1]";
        if (VeteransInAllThree > Math.Min(VeteransInBank, VeteransInSurvey))
            yield return $"overlap VeteransInAllThree ({VeteransInAllThree}) exceeds VeteransInBank or VeteransInSurvey";
        if (VeteransInBank + VeteransInSurvey - VeteransInAllThree > 1)
            yield return "overlap: VeteransInBank + VeteransInSurvey − VeteransInAllThree exceeds 1";
    }
}
