// Latin letters with diacritics folded to ASCII capitals, generated from the Unicode canonical decompositions
// (NFD: the base letter of each precomposed character in U+00C0–U+024F and U+1E00–U+1EFF), plus letters that
// have no decomposition (ß, Æ, Œ, Ø, Ł, Đ, Þ, ı, …) folded by their usual transliteration. Needed because the
// project runs with InvariantGlobalization, where string.Normalize does not decompose.
namespace Smpc.Analytics.Linkage.Normalization;

internal static class LatinFolding
{
    // One character per code point from U+00C0; '.' = no folding (keep as is), '*' = see Multi.
    const string Latin1AndExtended =
        "AAAAAA*CEEEEIIIIDNOOOOO.OUUUUY**AAAAAA*CEEEEIIIIDNOOOOO.OUUUUY*YAAAAAACCCCCCCCDD" +
        "DDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIII**JJKKKLLLLLLLLLLNNNNNN.NNOOOOOO**RRRRRRSSSSSS" +
        "SSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZSBB.......D.............I..L.....OO.............U" +
        "U....ZZ.............*********AAIIOOUUUUUUUUUU.AAAA..GGGGKKOOOO..J***GG..NNAA...." +
        "AAAAEEEEIIIIOOOORRRRUUUUSSTT..HH......AAEEOOOOOOOOYY......ACC......BU.EEJJ..RRYY";

    // One character per code point from U+1E00 (Latin Extended Additional).
    const string ExtendedAdditional =
        "AABBBBBBCCDDDDDDDDDDEEEEEEEEEEFFGGHHHHHHHHHHIIIIKKKKKKLLLLLLLLMMMMMMNNNNNNNNOOOO" +
        "OOOOPPPPRRRRRRRRSSSSSSSSSSTTTTTTTTUUUUUUUUUUVVVVWWWWWWWWWWXXXXYYZZZZZZHTWY....*." +
        "AAAAAAAAAAAAAAAAAAAAAAAAEEEEEEEEEEEEEEEEIIIIOOOOOOOOOOOOOOOOOOOOOOOOUUUUUUUUUUUU" +
        "UUYYYYYYYY......";

    static readonly Dictionary<char, string> Multi = new()
    {
        ['\u00C6'] = "AE",
        ['\u00DE'] = "TH",
        ['\u00DF'] = "SS",
        ['\u00E6'] = "AE",
        ['\u00FE'] = "TH",
        ['\u0132'] = "IJ",
        ['\u0133'] = "IJ",
        ['\u0152'] = "OE",
        ['\u0153'] = "OE",
        ['\u01C4'] = "DZ",
        ['\u01C5'] = "DZ",
        ['\u01C6'] = "DZ",
        ['\u01C7'] = "LJ",
        ['\u01C8'] = "LJ",
        ['\u01C9'] = "LJ",
        ['\u01CA'] = "NJ",
        ['\u01CB'] = "NJ",
        ['\u01CC'] = "NJ",
        ['\u01F1'] = "DZ",
        ['\u01F2'] = "DZ",
        ['\u01F3'] = "DZ",
        ['\u1E9E'] = "SS",
    };

    /// <summary>The ASCII capital(s) a Latin letter with diacritics folds to, or null when it has none.</summary>
    public static string? Fold(char c)
    {
        char f = c switch
        {
            >= '\u00C0' and < '\u0250' => Latin1AndExtended[c - 0x00C0],
            >= '\u1E00' and < '\u1F00' => ExtendedAdditional[c - 0x1E00],
            _ => '.',
        };
        return f switch
        {
            '.' => null,
            '*' => Multi[c],
            _ => f.ToString(),
        };
    }

    /// <summary>Combining diacritical marks (U+0300–U+036F), dropped when input arrives decomposed.</summary>
    public static bool IsCombiningMark(char c) => c is >= '\u0300' and <= '\u036F';
}
