using System.Globalization;

namespace Smpc.Analytics.Synthetic;

/// <summary>
/// Writes one record's identifiers the way an agency holds them, with that agency's <see cref="NoiseRates"/>,
/// and lists every defect it introduced (the flags go into the ground truth, named as in
/// <see cref="NoiseFlags"/>). Each record has its own random stream.
/// </summary>
internal sealed class IdentifierNoise(NoiseRates rates, Prng rng)
{
    readonly List<string> _flags = [];
    readonly List<string> _eligible = [];

    /// <summary>Defects this record got.</summary>
    public IReadOnlyList<string> Flags => _flags;

    /// <summary>Defects this record could have got (the denominators of the stated rates).</summary>
    public IReadOnlyList<string> Eligible => _eligible;

    void Flag(string name) => _flags.Add(name);

    void CouldBe(params string[] names) => _eligible.AddRange(names);

    /// <summary>The SSN as written, or "" when missing.</summary>
    public string Ssn(int trueSsn)
    {
        CouldBe(NoiseFlags.SsnMissing, NoiseFlags.SsnInvalid, NoiseFlags.SsnTypo);
        double u = rng.NextDouble();
        int ssn = trueSsn;
        if (u < rates.SsnMissing) { Flag(NoiseFlags.SsnMissing); return ""; }
        if (u < rates.SsnMissing + rates.SsnInvalid) { ssn = SsnSpace.Invalid(rng); Flag(NoiseFlags.SsnInvalid); }
        else if (u < rates.SsnMissing + rates.SsnInvalid + rates.SsnTypo) { ssn = SsnSpace.Typo(trueSsn, rng); Flag(NoiseFlags.SsnTypo); }
        double v = rng.NextDouble();
        var layout = v < rates.SsnDashes ? SsnLayout.Dashes : v < rates.SsnDashes + rates.SsnSpaces ? SsnLayout.Spaces : SsnLayout.Digits;
        if (layout == SsnLayout.Digits && ssn < 100_000_000) CouldBe(NoiseFlags.SsnLeadingZerosLost);
        if (layout == SsnLayout.Digits && ssn < 100_000_000 && rng.Chance(rates.SsnLeadingZerosLost))
        {
            layout = SsnLayout.Numeric;
            Flag(NoiseFlags.SsnLeadingZerosLost);
        }
        return SsnSpace.Format(ssn, layout);
    }

    /// <summary>Given name: nickname, diacritics, typo.</summary>
    public string First(string name)
    {
        if (Names.Nickname.TryGetValue(name, out var nick))
        {
            CouldBe(NoiseFlags.Nickname);
            if (rng.Chance(rates.Nickname)) { name = nick; Flag(NoiseFlags.Nickname); }
        }
        name = Diacritics(name);
        CouldBe(NoiseFlags.FirstNameTypo);
        if (rng.Chance(rates.FirstNameTypo)) { name = Typo(name); Flag(NoiseFlags.FirstNameTypo); }
        return name;
    }

    /// <summary>Surname: another surname for some women, diacritics, typo.</summary>
    public string Last(Person p)
    {
        string name = p.Last;
        if (p.Sex == "F")
        {
            CouldBe(NoiseFlags.LastNameChanged);
            if (rng.Chance(rates.LastNameChanged)) { name = p.OtherLast; Flag(NoiseFlags.LastNameChanged); }
        }
        name = Diacritics(name);
        CouldBe(NoiseFlags.LastNameTypo);
        if (rng.Chance(rates.LastNameTypo)) { name = Typo(name); Flag(NoiseFlags.LastNameTypo); }
        return name;
    }

    /// <summary>The person's suffix, or null when they have none or it was not recorded.</summary>
    public string? Suffix(Person p)
    {
        if (p.Suffix is null) return null;
        CouldBe(NoiseFlags.SuffixOmitted);
        if (rng.Chance(rates.SuffixOmitted)) { Flag(NoiseFlags.SuffixOmitted); return null; }
        return p.Suffix;
    }

    /// <summary>Respondent-typed case: all lower or all upper for some records (one decision for the whole record).</summary>
    public Func<string, string> Case()
    {
        CouldBe(NoiseFlags.NameCase);
        if (!rng.Chance(rates.NameCase)) return s => s;
        Flag(NoiseFlags.NameCase);
        return rng.Chance(0.5) ? s => s.ToLowerInvariant() : s => s.ToUpperInvariant();
    }

    /// <summary>Stray spaces in one of the names (applied to the first or the second argument).</summary>
    public (string, string) Whitespace(string first, string last)
    {
        CouldBe(NoiseFlags.ExtraWhitespace);
        if (!rng.Chance(rates.ExtraWhitespace)) return (first, last);
        Flag(NoiseFlags.ExtraWhitespace);
        string Pad(string s) => rng.Next(3) switch { 0 => " " + s, 1 => s + " ", _ => s.Length > 2 ? s[..1] + " " + s[1..] : s + "  " };
        return rng.Chance(0.5) ? (Pad(first), last) : (first, Pad(last));
    }

    /// <summary>Date of birth as the agency writes it, or "" when missing.</summary>
    public (string Text, DateOnly? Value) Dob(DateOnly dob, string format)
    {
        CouldBe(NoiseFlags.DobMissing, NoiseFlags.DobTypo);
        double u = rng.NextDouble();
        if (u < rates.DobMissing) { Flag(NoiseFlags.DobMissing); return ("", null); }
        if (u < rates.DobMissing + rates.DobTypo)
        {
            Flag(NoiseFlags.DobTypo);
            dob = rng.Chance(0.6) ? dob.AddYears(rng.Chance(0.5) ? 1 : -1)
                : dob.AddDays(dob.Day == 1 ? 1 : dob.Day == DateTime.DaysInMonth(dob.Year, dob.Month) ? -1 : rng.Chance(0.5) ? 1 : -1);
        }
        else if (dob.Day <= 12 && dob.Day != dob.Month && Swappable() && rng.Chance(rates.DobDayMonthSwap))
        {
            Flag(NoiseFlags.DobDayMonthSwap);
            dob = new DateOnly(dob.Year, dob.Day, dob.Month);
        }
        return (dob.ToString(format, CultureInfo.InvariantCulture), dob);
    }

    // The two kinds below draw nothing and list nothing while their rate is 0, so files generated without them are
    // byte-identical to those written before they existed; they are drawn last in a record's stream, so turning them
    // on leaves every other defect of every record as it was.

    /// <summary>Whether the written given name and surname are exchanged (the caller swaps the two finished fields).</summary>
    public bool NameOrderSwapped()
    {
        if (!(rates.NameOrderSwapped > 0)) return false;
        CouldBe(NoiseFlags.NameOrderSwapped);
        if (!rng.Chance(rates.NameOrderSwapped)) return false;
        Flag(NoiseFlags.NameOrderSwapped);
        return true;
    }

    /// <summary>The state the record carries: <paramref name="written"/>, or after an unseen move another state, differing
    /// from it and from the person's <paramref name="home"/>, drawn by resident population (where people move to).</summary>
    public string State(string written, string home)
    {
        if (!(rates.Moved > 0)) return written;
        CouldBe(NoiseFlags.Moved);
        if (!rng.Chance(rates.Moved)) return written;
        Flag(NoiseFlags.Moved);
        string moved;
        do moved = States.Everyone.Pick(rng); while (moved == written || moved == home);
        return moved;
    }

    bool Swappable() { CouldBe(NoiseFlags.DobDayMonthSwap); return true; }

    string Diacritics(string name)
    {
        string plain = Names.StripDiacritics(name);
        if (ReferenceEquals(plain, name)) return name;
        if (rng.Chance(rates.DiacriticsKept)) return name;
        return plain;
    }

    /// <summary>One keyboard slip on a letter: neighbouring key, dropped letter, doubled letter or two letters swapped.</summary>
    string Typo(string s)
    {
        var letters = Enumerable.Range(0, s.Length).Where(i => char.IsAsciiLetter(s[i])).ToArray();
        if (letters.Length == 0) return s;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            int i = letters[rng.Next(letters.Length)];
            string t = (letters.Length < 3 ? 0 : rng.Next(4)) switch
            {
                0 => Substitute(s, i),
                1 => s.Remove(i, 1),
                2 => s.Insert(i, s[i].ToString()),
                _ => i + 1 < s.Length && char.IsAsciiLetter(s[i + 1]) ? s[..i] + s[i + 1] + s[i] + s[(i + 2)..] : Substitute(s, i),
            };
            if (t != s) return t;
        }
        return Substitute(s, letters[0]);
    }

    string Substitute(string s, int i)
    {
        string keys = Names.KeyNeighbours(s[i]);
        char c = keys[rng.Next(keys.Length)];
        return s[..i] + (char.IsUpper(s[i]) ? char.ToUpperInvariant(c) : c) + s[(i + 1)..];
    }
}

/// <summary>Names of the defects recorded in the ground truth's record list.</summary>
public static class NoiseFlags
{
    public const string Duplicate = "duplicate";
    public const string SsnMissing = "ssn_missing";
    public const string SsnInvalid = "ssn_invalid";
    public const string SsnTypo = "ssn_typo";
    public const string SsnLeadingZerosLost = "ssn_leading_zeros_lost";
    public const string Nickname = "nickname";
    public const string FirstNameTypo = "first_name_typo";
    public const string LastNameTypo = "last_name_typo";
    public const string LastNameChanged = "last_name_changed";
    public const string SuffixOmitted = "suffix_omitted";
    public const string NameCase = "name_case";
    public const string ExtraWhitespace = "extra_whitespace";
    public const string DobMissing = "dob_missing";
    public const string DobTypo = "dob_typo";
    public const string DobDayMonthSwap = "dob_day_month_swap";
    public const string NameOrderSwapped = "name_order_swapped";
    public const string Moved = "moved";
}
