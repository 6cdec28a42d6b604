using System.Globalization;
using System.Net;

namespace Smpc.Analytics.Reporting;

/// <summary>Escaping and number formatting shared by the writers (invariant culture everywhere).</summary>
public static class Html
{
    public static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>Whole numbers with thousands separators; others with two decimals, or four significant digits below 1.</summary>
    public static string Number(double v)
    {
        if (double.IsNaN(v)) return "—";
        if (v == Math.Floor(v) && Math.Abs(v) < 1e15) return v.ToString("N0", CultureInfo.InvariantCulture);
        return Math.Abs(v) < 1 ? v.ToString("G4", CultureInfo.InvariantCulture) : v.ToString("N2", CultureInfo.InvariantCulture);
    }

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / (1024.0 * 1024)).ToString("N1", CultureInfo.InvariantCulture) + " MiB",
    };

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(t.TotalSeconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " s";

    public static string Audience(RevealAudienceKind a) => a == RevealAudienceKind.Analyst ? "analyst" : "compute parties";
}
