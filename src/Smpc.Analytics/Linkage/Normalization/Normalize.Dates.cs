using System.Globalization;

namespace Smpc.Analytics.Linkage;

public static partial class Normalize
{
    /// <summary>Earliest date of birth accepted (older values are treated as data-entry errors).</summary>
    public static readonly DateOnly EarliestDateOfBirth = new(1880, 1, 1);

    static readonly string[] MonthNames =
        ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"];

    /// <summary>
    /// Date of birth from text, or null when missing, ambiguous or impossible. Accepted layouts
    /// (separators '-', '/', '.', ' ' where shown; one- or two-digit day and month):
    /// <list type="bullet">
    /// <item>ISO year first: 1970-03-05, 1970/3/5, 1970.03.05, optionally followed by a time ("1970-03-05T00:00:00Z")</item>
    /// <item>compact: 19700305 (yyyymmdd)</item>
    /// <item>US month first: 3/5/1970, 03-05-1970 (always month/day/year — day-first numeric dates are not accepted,
    /// because 03/05 is ambiguous)</item>
    /// <item>day and month name: 5-Mar-1970, 05 MAR 1970, 05MAR1970 (SAS DATE9), 5 March 1970</item>
    /// <item>month name first: Mar 5, 1970; March 5 1970</item>
    /// </list>
    /// Two-digit years are not accepted (the century is ambiguous). Dates before <see cref="EarliestDateOfBirth"/>
    /// or after <paramref name="latest"/> (default: today, UTC) are missing.
    /// </summary>
    public static DateOnly? DateOfBirth(string? value, DateOnly? latest = null)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var s = value.Trim().ToUpperInvariant();
        if (s.Length > 10 && s[10] is 'T' or ' ' && s.IndexOf(':') > 10 && char.IsAsciiDigit(s[0])) s = s[..10];   // date-time: keep the date
        var tokens = Tokenize(s);
        DateOnly? date = tokens switch
        {
            [(true, var c)] when c.Length == 8 => Make(Num(c[..4]), Num(c[4..6]), Num(c[6..])),
            [(true, var y), (true, var m), (true, var d)] when y.Length == 4 && m.Length <= 2 && d.Length <= 2 => Make(Num(y), Num(m), Num(d)),
            [(true, var m), (true, var d), (true, var y)] when y.Length == 4 && m.Length <= 2 && d.Length <= 2 => Make(Num(y), Num(m), Num(d)),
            [(true, var d), (false, var mon), (true, var y)] when y.Length == 4 && d.Length <= 2 => Make(Num(y), Month(mon), Num(d)),
            [(false, var mon), (true, var d), (true, var y)] when y.Length == 4 && d.Length <= 2 => Make(Num(y), Month(mon), Num(d)),
            _ => null,
        };
        if (date is not { } dt) return null;
        var last = latest ?? DateOnly.FromDateTime(DateTime.UtcNow);
        return dt < EarliestDateOfBirth || dt > last ? null : dt;
    }

    /// <summary>
    /// Date of birth from text written in a declared layout. A day-first numeric layout (a .NET pattern such as
    /// "dd.MM.yyyy" or "d/M/yyyy") is read exactly as declared — the layouts above never read day first, because
    /// 03/05 is ambiguous without the declaration. Any other layout, or none, reads as <see cref="DateOfBirth(string?, DateOnly?)"/>.
    /// </summary>
    public static DateOnly? DateOfBirth(string? value, string? layout, DateOnly? latest = null)
    {
        if (!IsDayFirst(layout)) return DateOfBirth(value, latest);
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!DateOnly.TryParseExact(value.Trim(), layout, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return null;
        return DateOfBirth(date, latest);
    }

    /// <summary>Whether <paramref name="layout"/> is a numeric date pattern with the day before the month.</summary>
    public static bool IsDayFirst(string? layout)
    {
        if (string.IsNullOrEmpty(layout) || layout.Contains("MMM", StringComparison.Ordinal)) return false;
        int d = layout.IndexOf('d'), m = layout.IndexOf('M'), y = layout.IndexOf("yyyy", StringComparison.Ordinal);
        return d >= 0 && m > d && y >= 0 && layout.All(c => c is 'd' or 'M' or 'y' or '.' or '/' or '-' or ' ');
    }

    /// <summary>Date of birth from a date value (already typed by the contributor's system); range-checked as above.</summary>
    public static DateOnly? DateOfBirth(DateOnly value, DateOnly? latest = null)
    {
        var last = latest ?? DateOnly.FromDateTime(DateTime.UtcNow);
        return value < EarliestDateOfBirth || value > last ? null : value;
    }

    /// <summary>The canonical text of a date inside a linkage key: yyyyMMdd.</summary>
    public static string Canonical(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Splits into runs of digits and runs of letters; '-', '/', '.', ',', ' ' separate; anything else fails.</summary>
    static List<(bool Digits, string Text)>? Tokenize(string s)
    {
        var tokens = new List<(bool, string)>();
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c is '-' or '/' or '.' or ',' or ' ') { i++; continue; }
            int start = i;
            if (char.IsAsciiDigit(c)) { while (i < s.Length && char.IsAsciiDigit(s[i])) i++; tokens.Add((true, s[start..i])); }
            else if (char.IsAsciiLetterUpper(c)) { while (i < s.Length && char.IsAsciiLetterUpper(s[i])) i++; tokens.Add((false, s[start..i])); }
            else return null;
        }
        // SAS DATE9 "05MAR1970" arrives as digits-letters-digits without separators: already three tokens.
        return tokens;
    }

    static int Num(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Month number from an English name or its abbreviation of at least three letters ("SEPT" too); 0 if unknown.</summary>
    static int Month(string name)
    {
        if (name.Length < 3) return 0;
        for (int m = 0; m < 12; m++)
            if (MonthNames[m].StartsWith(name, StringComparison.Ordinal)) return m + 1;
        return 0;
    }

    static DateOnly? Make(int year, int month, int day) =>
        month is >= 1 and <= 12 && year is >= 1 and <= 9999 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day) : null;
}
