namespace Smpc.Analytics.Interactive.Magics;

internal static class Names
{
    public static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c == '_');

    /// <summary>Splits "a, b,c" into trimmed, non-empty parts.</summary>
    public static string[] List(string? s) =>
        s is null ? [] : s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An optional whole-number option, or an error naming it.</summary>
    public static int? Integer(string? text, string option) =>
        text is null ? null
        : int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v) ? v
        : throw new Statistics.QueryException($"{option}: '{text}' is not a whole number.");
}
