namespace Smpc.Analytics.Linkage;

public static partial class Normalize
{
    // Numbers published in advertising or on sample cards and never valid for a person
    // (SSA: 078-05-1120 "Woolworth wallet card", 219-09-9999 advertisement; 123-45-6789 is a placeholder).
    static readonly HashSet<string> KnownPlaceholderSsns = ["078051120", "219099999", "123456789"];

    /// <summary>
    /// Canonical 9-digit SSN, or null when the value is missing or cannot be a real SSN.
    /// Accepted layouts: 9 digits, or 3-2-4 digit groups separated by one '-', ' ' or '.' each,
    /// with surrounding whitespace; and 7 or 8 digits alone, read as a number whose leading zeros were lost when the
    /// column went through a numeric type or a spreadsheet ("12345678" → "012345678"). Invalid (→ null): area 000, 666 or 900–999; group 00; serial 0000;
    /// all nine digits equal; known placeholder numbers; any other length or character.
    /// </summary>
    public static string? Ssn(string? value)
    {
        if (value is null) return null;
        var s = value.AsSpan().Trim();
        Span<char> digits = stackalloc char[9];
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is >= '0' and <= '9')
            {
                if (n == 9) return null;
                digits[n++] = c;
            }
            else if (c is '-' or ' ' or '.')
            {
                // A separator is allowed only between the groups (after digit 3 and after digit 5), once.
                if (n is not (3 or 5) || i + 1 >= s.Length || s[i + 1] is < '0' or > '9') return null;
            }
            else return null;
        }
        if (n is 7 or 8 && s.Length == n) return Checked(new string('0', 9 - n) + new string(digits[..n]));   // lost leading zeros
        return n == 9 ? Checked(new string(digits)) : null;
    }

    /// <summary>
    /// Canonical SSN from a number, for systems that stored SSNs as integers and so dropped leading
    /// zeros: 12345678 → "012345678". Negative or more than 9 digits → null.
    /// </summary>
    public static string? Ssn(long value) =>
        value is < 0 or > 999_999_999 ? null : Checked(value.ToString("D9", System.Globalization.CultureInfo.InvariantCulture));

    static string? Checked(string d)
    {
        int area = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
        if (area is 0 or 666 or >= 900) return null;
        if (d[3] == '0' && d[4] == '0') return null;
        if (d.AsSpan(5).SequenceEqual("0000")) return null;
        if (d.AsSpan().IndexOfAnyExcept(d[0]) < 0) return null;   // 111-11-1111 … 888-88-8888
        if (KnownPlaceholderSsns.Contains(d)) return null;
        return d;
    }
}
