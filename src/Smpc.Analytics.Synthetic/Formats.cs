using System.Globalization;

namespace Smpc.Analytics.Synthetic;

/// <summary>How values are written in the agency files: invariant culture, exact decimal money, true/false.</summary>
internal static class Formats
{
    /// <summary>Cents as dollars with two decimals, by integer arithmetic (exact; no binary rounding).</summary>
    public static string Money(long cents)
    {
        string sign = cents < 0 ? "-" : "";
        long a = Math.Abs(cents);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{a / 100}.{a % 100:D2}");
    }

    public static string Bool(bool b) => b ? "true" : "false";

    public static string Int(long n) => n.ToString(CultureInfo.InvariantCulture);
}

internal static class ListExtensions
{
    public static int IndexOf<T>(this IReadOnlyList<T> list, T value)
    {
        for (int i = 0; i < list.Count; i++) if (EqualityComparer<T>.Default.Equals(list[i], value)) return i;
        throw new ArgumentException($"'{value}' is not in the list ({string.Join(", ", list)}).");
    }
}
