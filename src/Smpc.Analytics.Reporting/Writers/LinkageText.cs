using System.Globalization;

namespace Smpc.Analytics.Reporting;

/// <summary>A linkage's released row count as the writers print it: rounded (and said so), or suppressed.</summary>
static class LinkageText
{
    public static string Rows(LinkageEntry l) => l.JoinedRows is { } n
        ? n.ToString("N0", CultureInfo.InvariantCulture) + (l.RoundingBase > 1 ? $" (rounded to a multiple of {l.RoundingBase})" : "")
        : "suppressed (below the minimum cell size)";
}
