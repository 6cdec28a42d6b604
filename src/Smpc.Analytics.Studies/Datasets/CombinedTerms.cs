using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

/// <summary>
/// The data-use terms a joined dataset is analysed under: every contributing dataset's terms apply, so the strictest
/// wins — largest minimum cell size, largest p of the p% rule (applied to the columns of the stewards that ask for it),
/// largest rounding base, operations allowed by all,
/// analysts allowed by all, earliest expiry, the most restrictive access level, group sizes revealed only if all
/// allow it — and a column may be used when its own dataset's terms allow it. The differential-privacy budget is
/// not combined: the study charges ε to each contributing dataset's own budget (<see cref="StudyPolicy"/>).
/// </summary>
internal static class CombinedTerms
{
    public static DataUseTerms For(string name, IReadOnlyList<DataUseTerms> origins, SecretTable table, IReadOnlyDictionary<string, ColumnOrigin> columns)
    {
        if (origins.Count == 0) throw new ArgumentException("A dataset needs the terms of at least one contributor.", nameof(origins));
        var analysts = origins.Where(t => t.AllowedAnalysts.Count > 0).Select(t => t.AllowedAnalysts.ToHashSet(StringComparer.Ordinal)).ToList();
        IReadOnlyList<string> allowedAnalysts = analysts.Count == 0 ? [] : analysts.Aggregate((a, b) => { a.IntersectWith(b); return a; }).Order().ToArray();
        if (analysts.Count > 0 && allowedAnalysts.Count == 0) allowedAnalysts = ["(no analyst is allowed by every contributor)"];
        bool allColumns = origins.All(t => t.AllowedColumns.Count == 0);
        return new DataUseTerms
        {
            Dataset = name,
            Steward = string.Join("; ", origins.Select(t => t.Steward).Distinct()),
            Purpose = string.Join(" | ", origins.Select(t => t.Purpose).Distinct()),
            Redisclosure = new RedisclosureTerms
            {
                InternalUseOnly = origins.Any(t => t.Redisclosure.InternalUseOnly),
                RedisclosureTo = origins.Select(t => (IEnumerable<string>)t.Redisclosure.RedisclosureTo).Aggregate((a, b) => a.Intersect(b)).ToArray(),
                Conditions = string.Join(" ", origins.Select(t => t.Redisclosure.Conditions).OfType<string>().Distinct()),
            },
            Access = origins.Min(t => t.Access),
            AllowedAnalysts = allowedAnalysts,
            StorageLocation = string.Join("; ", origins.Select(t => t.StorageLocation).OfType<string>().Distinct()),
            MinCellSize = origins.Max(t => t.MinCellSize),
            DominanceP = origins.Select(t => t.DominanceP).OfType<double>().Cast<double?>().Max(),
            DominanceColumns = table.Columns.Select(c => c.Name).Where(c => Dominance(c, columns)).ToArray(),
            RoundingBase = origins.Max(t => t.RoundingBase),
            EpsilonBudget = null,
            AllowedOperations = origins.Select(t => (IEnumerable<string>)t.AllowedOperations.Select(o => o.ToLowerInvariant()))
                .Aggregate((a, b) => a.Intersect(b)).ToArray(),
            AllowedColumns = allColumns ? [] : table.Columns.Select(c => c.Name).Where(c => Allowed(c, columns)).ToArray(),
            LinkageColumns = [],
            AllowRevealGroupSizes = origins.All(t => t.AllowRevealGroupSizes),
            Expires = origins.Select(t => t.Expires).OfType<DateOnly>().Cast<DateOnly?>().Min(),
        };
    }

    /// <summary>The p% rule protects the magnitudes of the steward that asks for it: it applies to a column whose origin's
    /// terms set a p (to the columns they list, or to all of theirs).</summary>
    static bool Dominance(string column, IReadOnlyDictionary<string, ColumnOrigin> columns) =>
        columns.TryGetValue(column, out var o) && o.Terms.DominanceP is not null
        && (o.Terms.DominanceColumns is null || o.Terms.DominanceColumns.Contains(o.Column, StringComparer.Ordinal));

    /// <summary>A column may be analysed when its origin's terms list it (or list no columns); a column made by a join
    /// (the 0/1 "matched" flag of a left join) carries no data of its own.</summary>
    static bool Allowed(string column, IReadOnlyDictionary<string, ColumnOrigin> columns) =>
        !columns.TryGetValue(column, out var o) || o.Terms.AllowedColumns.Count == 0 || o.Terms.AllowedColumns.Contains(o.Column, StringComparer.Ordinal);
}
