// Blocking for fuzzy linkage: only records that share a blocking key are compared, so the work stays far below n².
// Three keys per record, each robust to different errors, so a true pair is missed only if every key differs:
//   b1: year of birth + Soundex of the surname (survives given-name typos, nicknames, day/month swaps, surname typos
//       that keep the sound);
//   b2: Soundex of the given name + first letter of the surname + the unordered {day, month} of birth (survives a
//       wrong year, a swapped day and month, most surname changes after the first letter);
//   b3: first two letters of given name and surname + year and month of birth (survives typos late in the names).
// Keys are pseudonymised with the study's keyed hash before they leave the contributor: the parties (or a linkage
// unit) see which records share a block and the block sizes, never the names or dates behind them (LEAKAGE.md).
using System.Text;

namespace Smpc.Analytics.Linkage.Bloom;

public static class BlockingKeys
{
    /// <summary>The record's blocking keys (b1, b2, b3; null where a field is missing).</summary>
    public static string?[] Of(string? surname, string? givenName, string? dateOfBirth, string? dateFormat = null)
    {
        var last = Normalize.Surname(surname);
        var first = Normalize.GivenName(givenName);
        var dob = Normalize.DateOfBirth(dateOfBirth, dateFormat);
        string? b1 = last is not null && dob is { } d1 ? $"b1:{d1.Year}:{Soundex(last)}" : null;
        string? b2 = first is not null && last is not null && dob is { } d2 ? $"b2:{Soundex(first)}:{last[0]}:{Math.Min(d2.Day, d2.Month)}-{Math.Max(d2.Day, d2.Month)}" : null;
        string? b3 = first is { Length: >= 2 } && last is { Length: >= 2 } && dob is { } d3 ? $"b3:{first[..2]}{last[..2]}:{d3.Year}-{d3.Month}" : null;
        return [b1, b2, b3];
    }

    /// <summary>American Soundex (the letter and three digits) of an upper-case name; "Z000" for a name with no letter A–Z.</summary>
    public static string Soundex(string name)
    {
        static char Code(char c) => c switch
        {
            'B' or 'F' or 'P' or 'V' => '1',
            'C' or 'G' or 'J' or 'K' or 'Q' or 'S' or 'X' or 'Z' => '2',
            'D' or 'T' => '3',
            'L' => '4',
            'M' or 'N' => '5',
            'R' => '6',
            'H' or 'W' => 'h',   // neither separates equal codes
            _ => '0',            // vowels and Y: separate equal codes
        };
        var letters = name.Where(c => c is >= 'A' and <= 'Z').ToArray();
        if (letters.Length == 0) return "Z000";
        var sb = new StringBuilder().Append(letters[0]);
        char last = Code(letters[0]);
        foreach (char c in letters.Skip(1))
        {
            char code = Code(c);
            if (code == 'h') continue;
            if (code != '0' && code != last) sb.Append(code);
            last = code;
            if (sb.Length == 4) break;
        }
        return sb.ToString().PadRight(4, '0');
    }
}
