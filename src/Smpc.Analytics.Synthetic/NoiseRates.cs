namespace Smpc.Analytics.Synthetic;

/// <summary>
/// Per-record identifier noise of one agency's file: each rate is the probability that one record (row) gets
/// that defect, among the records it can apply to (stated per rate). Formats that differ between agencies by
/// design (date layout, name case, where a suffix goes) are not noise; they are fixed per agency.
/// </summary>
public sealed record NoiseRates
{
    /// <summary>Extra records of the same person, as a fraction of distinct people in the file.</summary>
    public double Duplicates { get; init; }
    /// <summary>SSN left empty. SSN defects are exclusive: missing, else invalid, else one-digit typo.</summary>
    public double SsnMissing { get; init; }
    /// <summary>SSN replaced by a never-issued value (area 000, 666 or 9xx; group 00; serial 0000; all one digit).</summary>
    public double SsnInvalid { get; init; }
    /// <summary>One digit of the SSN changed, or two adjacent different digits swapped.</summary>
    public double SsnTypo { get; init; }
    /// <summary>Shares of written SSNs as ddd-dd-dddd and ddd dd dddd; the rest is nine digits without separators.</summary>
    public double SsnDashes { get; init; }
    public double SsnSpaces { get; init; }
    /// <summary>Of SSNs written without separators that start with 0: leading zeros dropped (a numeric field).</summary>
    public double SsnLeadingZerosLost { get; init; }
    /// <summary>One keyboard slip in the given name (substitution by a neighbouring key, deletion, doubling, transposition).</summary>
    public double FirstNameTypo { get; init; }
    public double LastNameTypo { get; init; }
    /// <summary>Of records whose given name has a common nickname: the nickname written instead.</summary>
    public double Nickname { get; init; }
    /// <summary>Of records of women: another surname (maiden name, or a hyphenated double name).</summary>
    public double LastNameChanged { get; init; }
    public double DobMissing { get; init; }
    /// <summary>One digit of the year or the day of the date of birth changed (exclusive with missing and swap).</summary>
    public double DobTypo { get; init; }
    /// <summary>Of records whose day of birth is 1..12 and differs from the month: day and month swapped.</summary>
    public double DobDayMonthSwap { get; init; }
    /// <summary>Names written all lower or all upper case (where the agency keeps mixed case).</summary>
    public double NameCase { get; init; }
    /// <summary>Stray spaces around or inside a name.</summary>
    public double ExtraWhitespace { get; init; }
    /// <summary>Of people with a generational suffix: the suffix not recorded.</summary>
    public double SuffixOmitted { get; init; }
    /// <summary>Of names spelled with diacritics: the diacritics kept (else stripped).</summary>
    public double DiacriticsKept { get; init; }
    /// <summary>Given name and surname written into each other's fields, as on a form filled the wrong way round
    /// (the two fields exchanged as written, a suffix appended to the surname going with it). 0 in the presets.</summary>
    public double NameOrderSwapped { get; init; }
    /// <summary>The record's location (the files' only one is <c>state</c>) is another state than the person's and than
    /// the file would otherwise hold, as after a move this agency has not seen or one the others have not. 0 in the presets.</summary>
    public double Moved { get; init; }

    /// <summary>VA-like benefits file: a managed master record; few errors, upper case, no diacritics.</summary>
    public static readonly NoiseRates Veterans = new()
    {
        Duplicates = 0.015, SsnMissing = 0.01, SsnInvalid = 0.003, SsnTypo = 0.004, SsnDashes = 0.97, SsnSpaces = 0,
        FirstNameTypo = 0.02, LastNameTypo = 0.02, DobTypo = 0.003, ExtraWhitespace = 0.005, SuffixOmitted = 0.10,
    };

    /// <summary>Bank customer file: SSN as a numeric field, names as the customer gave them.</summary>
    public static readonly NoiseRates Bank = new()
    {
        Duplicates = 0.02, SsnMissing = 0.03, SsnInvalid = 0.005, SsnTypo = 0.005, SsnDashes = 0.10, SsnSpaces = 0,
        SsnLeadingZerosLost = 0.30, FirstNameTypo = 0.03, LastNameTypo = 0.03, Nickname = 0.03, LastNameChanged = 0.02,
        DobMissing = 0.002, DobTypo = 0.003, DobDayMonthSwap = 0.01, ExtraWhitespace = 0.01, SuffixOmitted = 0.20, DiacriticsKept = 1.0,
    };

    /// <summary>Graduate survey: respondent-typed; SSN optional.</summary>
    public static readonly NoiseRates Survey = new()
    {
        Duplicates = 0.005, SsnMissing = 0.35, SsnInvalid = 0.01, SsnTypo = 0.01, SsnDashes = 0.55, SsnSpaces = 0.20,
        FirstNameTypo = 0.04, LastNameTypo = 0.04, Nickname = 0.06, LastNameChanged = 0.04, DobMissing = 0.02, DobTypo = 0.005,
        DobDayMonthSwap = 0.01, NameCase = 0.08, ExtraWhitespace = 0.02, SuffixOmitted = 0.60, DiacriticsKept = 0.5,
    };

    /// <summary>
    /// A file for measuring fuzzy linkage where exact linkage drops: about <paramref name="noisy"/> of its records carry a
    /// defect in the names or the date of birth that breaks an exact name + date-of-birth key (keyboard typos in either
    /// name, nicknames, a changed surname, a swapped day and month, a mistyped date, given name and surname exchanged),
    /// 30% of SSNs are missing (so the SSN pass cannot rescue them), and some records moved state. Formats as in
    /// <paramref name="basis"/> (the agency's preset).
    /// </summary>
    public static NoiseRates Noisy(NoiseRates basis, double noisy) => basis with
    {
        SsnMissing = 0.30, SsnInvalid = 0.005, SsnTypo = 0.01,
        FirstNameTypo = 0.28 * noisy, LastNameTypo = 0.28 * noisy, Nickname = 0.40 * noisy, LastNameChanged = 0.30 * noisy,
        DobTypo = 0.08 * noisy, DobDayMonthSwap = 0.30 * noisy, NameOrderSwapped = 0.05 * noisy, Moved = 0.05,
    };

    /// <summary>The flags of defects that break an exact name + date-of-birth key (<see cref="Noisy"/>'s "noisy records").</summary>
    public static readonly IReadOnlyList<string> NameOrDateFlags =
    [
        NoiseFlags.FirstNameTypo, NoiseFlags.LastNameTypo, NoiseFlags.Nickname, NoiseFlags.LastNameChanged,
        NoiseFlags.DobMissing, NoiseFlags.DobTypo, NoiseFlags.DobDayMonthSwap, NoiseFlags.NameOrderSwapped,
    ];

    public IEnumerable<string> Problems()
    {
        foreach (var p in typeof(NoiseRates).GetProperties())
            if (p.PropertyType == typeof(double) && (double)p.GetValue(this)! is var v && !(v is >= 0 and <= 1))
                yield return $"{p.Name} = {v} is not a probability";
        if (SsnMissing + SsnInvalid + SsnTypo > 1) yield return "SsnMissing + SsnInvalid + SsnTypo exceeds 1";
        if (SsnDashes + SsnSpaces > 1) yield return "SsnDashes + SsnSpaces exceeds 1";
        if (DobMissing + DobTypo > 1) yield return "DobMissing + DobTypo exceeds 1";
    }
}
