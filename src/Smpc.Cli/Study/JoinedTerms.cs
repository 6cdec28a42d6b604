using Smpc.Analytics.Columnar;
using Smpc.Analytics.Study;

namespace Smpc.Cli.Study;

/// <summary>
/// The terms a linked table is analysed under: every contributing dataset's terms at once, so the strictest rule
/// wins — the largest minimum cell size and rounding base, the p% rule if any dataset asks for it, only operations
/// and analysts every dataset allows, the earliest expiry, and each column allowed only if its own dataset allows it
/// (columns keep their origin through the join; a right-hand column renamed "&lt;table&gt;.&lt;column&gt;" is looked up under
/// its original name).
/// </summary>
internal static class JoinedTerms
{
    public static DataUseTerms Of(SecretTable joined, IReadOnlyList<(string Table, DataUseTerms Terms, SecretTable Source)> parts)
    {
        var allowed = new List<string>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (table, terms, source) in parts)
            foreach (var c in source.Columns.Select(c => c.Name))
            {
                string name = joined.Has(c) && claimed.Add(c) ? c : $"{table}.{c}";
                if (!joined.Has(name)) continue;
                claimed.Add(name);
                if (terms.AllowedColumns.Count == 0 || terms.AllowedColumns.Contains(c)) allowed.Add(name);
            }
        var all = parts.Select(p => p.Terms).ToArray();
        return new DataUseTerms
        {
            Dataset = joined.Name,
            Steward = string.Join(" + ", all.Select(t => t.Steward)),
            Purpose = string.Join(" / ", all.Select(t => t.Purpose).Distinct()),
            Redisclosure = new RedisclosureTerms
            {
                InternalUseOnly = all.Any(t => t.Redisclosure.InternalUseOnly),
                RedisclosureTo = all.Select(t => (IEnumerable<string>)t.Redisclosure.RedisclosureTo).Aggregate((a, b) => a.Intersect(b)).ToArray(),
                Conditions = string.Join(" ", all.Select(t => t.Redisclosure.Conditions).OfType<string>()),
            },
            Access = all.Min(t => t.Access),
            AllowedAnalysts = all.Select(t => (IEnumerable<string>)t.AllowedAnalysts).Aggregate((a, b) => a.Intersect(b)).ToArray(),
            MinCellSize = all.Max(t => t.MinCellSize),
            DominanceP = all.Select(t => t.DominanceP).Max(),
            RoundingBase = all.Select(t => t.RoundingBase).Aggregate(1, Lcm),
            EpsilonBudget = all.Select(t => t.EpsilonBudget).OfType<double>().DefaultIfEmpty().Min() is var e && e > 0 ? e : null,
            AllowedOperations = all.Select(t => (IEnumerable<string>)t.AllowedOperations).Aggregate((a, b) => a.Intersect(b, StringComparer.OrdinalIgnoreCase)).ToArray(),
            AllowedColumns = allowed,
            LinkageColumns = [],
            AllowRevealGroupSizes = all.All(t => t.AllowRevealGroupSizes),
            Expires = all.Select(t => t.Expires).OfType<DateOnly>().DefaultIfEmpty().Min() is var x && x != default ? x : null,
        };
    }

    /// <summary>Counts rounded to multiples of both bases are multiples of their least common multiple.</summary>
    static int Lcm(int a, int b)
    {
        int x = a, y = b;
        while (y != 0) (x, y) = (y, x % y);
        return a / x * b;
    }
}
