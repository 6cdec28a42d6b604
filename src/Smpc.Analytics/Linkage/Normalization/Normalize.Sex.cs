namespace Smpc.Analytics.Linkage;

public static partial class Normalize
{
    /// <summary>
    /// "M" or "F", or null when unknown. Accepts (case-insensitive, trimmed) M, MALE, MAN and F, FEMALE, WOMAN,
    /// and the ISO/IEC 5218 codes 1 (male) and 2 (female). Everything else — U, X, 0, 9, "unknown", blank —
    /// is missing: a record whose sex is not stated must not link on sex.
    /// </summary>
    public static string? Sex(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "M" or "MALE" or "MAN" or "1" => "M",
        "F" or "FEMALE" or "WOMAN" or "2" => "F",
        _ => null,
    };

    /// <summary>ISO/IEC 5218 numeric code: 1 → "M", 2 → "F", anything else → null.</summary>
    public static string? Sex(long code) => code switch { 1 => "M", 2 => "F", _ => null };
}
