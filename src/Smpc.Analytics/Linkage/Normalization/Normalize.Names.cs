using System.Text;
using Smpc.Analytics.Linkage.Normalization;

namespace Smpc.Analytics.Linkage;

public static partial class Normalize
{
    // Generational suffixes removed from the end of a name (only while another word remains).
    static readonly HashSet<string> Suffixes = ["JR", "JNR", "JUNIOR", "SR", "SNR", "SENIOR", "II", "III", "IV", "2ND", "3RD", "4TH"];

    // Courtesy titles removed from the start of a name (only while another word remains).
    static readonly HashSet<string> Titles = ["MR", "MRS", "MS", "MISS", "DR"];

    /// <summary>
    /// Canonical surname: Latin diacritics folded (Á→A, ß→SS, Ø→O, …), upper case, apostrophes and hyphens
    /// removed ("O'Brien" → "OBRIEN", "Smith-Jones" → "SMITHJONES"), words joined ("de la Cruz" → "DELACRUZ"),
    /// suffixes JR/SR/II/III/IV (and spelled-out forms) and titles MR/MRS/MS/MISS/DR dropped. Digits and
    /// other symbols are dropped. Null when nothing is left.
    /// </summary>
    public static string? Surname(string? value)
    {
        var words = NameWords(value);
        return words.Count == 0 ? null : string.Concat(words);
    }

    /// <summary>
    /// Canonical given name: the first word of the name after the same cleaning as <see cref="Surname"/>
    /// ("Mary Ann" → "MARY", "J. Robert" → "J"); middle names and initials that follow are dropped, because
    /// datasets disagree on whether they record them. Null when nothing is left.
    /// </summary>
    public static string? GivenName(string? value)
    {
        var words = NameWords(value);
        return words.Count == 0 ? null : words[0];
    }

    /// <summary>Cleaned, upper-case words of a name field, titles and suffixes removed.</summary>
    static List<string> NameWords(string? value)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(value)) return words;
        var word = new StringBuilder();
        void EndWord()
        {
            if (word.Length > 0) words.Add(word.ToString());
            word.Clear();
        }
        foreach (char c in value)
        {
            if (c is >= 'a' and <= 'z') word.Append((char)(c - 32));
            else if (c is >= 'A' and <= 'Z') word.Append(c);
            else if (LatinFolding.Fold(c) is { } folded) word.Append(folded);
            else if (LatinFolding.IsCombiningMark(c) || c is '\'' or '\u2019' or '\u02BC' or '`' or '-' or '\u2010' or '\u2011' or '\u2013') { }
            else if (char.IsLetter(c)) word.Append(char.ToUpperInvariant(c));   // other scripts: kept, upper-cased
            else EndWord();                                                       // whitespace, comma, period, digits, …
        }
        EndWord();
        while (words.Count > 1 && Suffixes.Contains(words[^1])) words.RemoveAt(words.Count - 1);
        while (words.Count > 1 && Titles.Contains(words[0])) words.RemoveAt(0);
        return words;
    }
}
