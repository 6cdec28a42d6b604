// Atoms of the study-wide disclosure model: the finest pieces of a table that the public conditions of its
// releases can tell apart.
//
// What: every released cell is a RowSet (filter ∧ cell conditions ∧ presence of the measured columns). Each column
// read by any of them is cut into regions by the constants the conditions use (for a numeric column: the open
// intervals between the constants and the constants themselves, clipped to the declared bounds and, for integer
// columns, kept only where an integer lies; for a categorical column: its domain values; plus "missing" for a
// nullable column). An atom is one region per column; a row set is a union of atoms, decided exactly by evaluating
// its conditions on the atom's representative values. Atoms that every row set treats alike are merged into one
// class (they are indistinguishable to anyone who sees only releases), and atoms no row set covers are dropped.
// The analyst knows all of this (it is the queries' public structure and the declared schema), so an attack that
// combines releases linearly is a linear combination over these classes (Disclosure/Audit/DisclosureLedger.cs).
// Reference: Chin & Özsoyoğlu, "Auditing and inference control in statistical databases" (IEEE TSE 1982) — the
// elementary sets of a query collection; Adam & Wortmann, ACM Computing Surveys 21(4) 1989, §4.
// Security / leakage: public information only; nothing is computed on shares here.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Disclosure;

internal static class AtomSpace
{
    /// <summary>Most atoms the model enumerates before it refuses (fails closed) rather than audit approximately.</summary>
    public const int MaxAtoms = 400_000;

    readonly record struct Region(bool Missing, double Value, string? Label);

    /// <summary>Per row set, its 0/1 vector over the atom classes (classes: atoms covered by at least one set, merged when alike).</summary>
    public static double[][] Classes(IReadOnlyList<RowSet> sets, Func<string, (ColumnSpec Spec, bool Nullable)> column, string table)
    {
        var names = sets.SelectMany(s => s.Columns()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var regions = names.Select(n => Regions(n, column(n), sets)).ToArray();
        long total = regions.Aggregate(1L, (p, r) => p * Math.Max(1, r.Length));
        if (total > MaxAtoms)
            throw new PolicyException("StudyDisclosure", $"the releases on '{table}' use too many distinct conditions to audit together ({total:N0} combinations of " +
                $"{string.Join(", ", names.Select((n, i) => $"{n}: {regions[i].Length}"))}; at most {MaxAtoms:N0}). Use fewer cut points or columns in filters and bins.");
        if (regions.Any(r => r.Length == 0)) return sets.Select(_ => Array.Empty<double>()).ToArray();

        // Conjunctions of single-column conditions (the usual filter ∧ group cell) are decided per column once.
        var plans = sets.Select(s => Plan(s, index, regions)).ToArray();
        var classOf = new Dictionary<string, int>();
        var members = new List<bool[]>();
        var digits = new int[names.Length];
        var signature = new bool[sets.Count];
        var values = new Region[names.Length];
        for (long a = 0; a < total; a++)
        {
            bool any = false;
            for (int c = 0; c < names.Length; c++) values[c] = regions[c][digits[c]];
            for (int s = 0; s < sets.Count; s++)
            {
                signature[s] = plans[s](digits, values);
                any |= signature[s];
            }
            if (any)
            {
                var key = new string(signature.Select(b => b ? '1' : '0').ToArray());
                if (!classOf.ContainsKey(key)) { classOf[key] = members.Count; members.Add((bool[])signature.Clone()); }
            }
            for (int c = 0; c < names.Length && ++digits[c] == regions[c].Length; c++) digits[c] = 0;
        }
        return Enumerable.Range(0, sets.Count).Select(s => members.Select(m => m[s] ? 1.0 : 0.0).ToArray()).ToArray();
    }

    /// <summary>A membership test of one row set on an atom (its region index and value per column).</summary>
    static Func<int[], Region[], bool> Plan(RowSet set, Dictionary<string, int> index, Region[][] regions)
    {
        var present = set.Present.Select(p => index[p]).ToArray();
        var filterColumns = (set.Filter?.Columns() ?? []).Distinct().Select(c => index[c]).ToArray();
        var leaves = set.Filter is null ? [] : Conjuncts(set.Filter).ToList();
        if (leaves.All(l => l is not null))
        {
            // allowed[c][r]: region r of column c satisfies every condition on c.
            var allowed = new Dictionary<int, bool[]>();
            foreach (var leaf in leaves)
            {
                int c = index[leaf!.Columns().First()];
                var ok = allowed.TryGetValue(c, out var a) ? a : allowed[c] = Enumerable.Repeat(true, regions[c].Length).ToArray();
                for (int r = 0; r < ok.Length; r++) ok[r] &= !regions[c][r].Missing && Holds(leaf, regions[c][r]);
            }
            var checks = allowed.Select(kv => (kv.Key, kv.Value)).ToArray();
            return (digits, values) =>
            {
                foreach (var p in present) if (values[p].Missing) return false;
                foreach (var (c, ok) in checks) if (!ok[digits[c]]) return false;
                return true;
            };
        }
        return (digits, values) =>
        {
            foreach (var p in present) if (values[p].Missing) return false;
            foreach (var c in filterColumns) if (values[c].Missing) return false;   // a filter excludes rows missing any column it reads
            return Evaluate(set.Filter!, index, values);
        };
    }

    /// <summary>The leaves of a conjunction, or a null element when the filter is not a conjunction of one-column conditions.</summary>
    static IEnumerable<RowFilter?> Conjuncts(RowFilter f) => f switch
    {
        RowFilter.All a => Conjuncts(a.Left).Concat(Conjuncts(a.Right)),
        RowFilter.Comparison or RowFilter.Membership => [f],
        RowFilter.Negation { Inner: RowFilter.Comparison or RowFilter.Membership } n => [n],
        _ => [null],
    };

    static bool Holds(RowFilter leaf, Region r) => leaf switch
    {
        RowFilter.Comparison c => Compare(c, r.Value),
        RowFilter.Membership m => r.Label is not null && m.Values.Contains(r.Label, StringComparer.Ordinal),
        RowFilter.Negation n => !Holds(n.Inner, r),
        _ => throw new InvalidOperationException(),
    };

    static bool Evaluate(RowFilter f, Dictionary<string, int> index, Region[] values) => f switch
    {
        RowFilter.Comparison c => Compare(c, values[index[c.Column]].Value),
        RowFilter.Membership m => values[index[m.Column]].Label is { } l && m.Values.Contains(l, StringComparer.Ordinal),
        RowFilter.All a => Evaluate(a.Left, index, values) && Evaluate(a.Right, index, values),
        RowFilter.Any o => Evaluate(o.Left, index, values) || Evaluate(o.Right, index, values),
        RowFilter.Negation n => !Evaluate(n.Inner, index, values),
        _ => throw new InvalidOperationException($"Unknown filter node {f.GetType().Name}."),
    };

    static bool Compare(RowFilter.Comparison c, double v) => c.Op switch
    {
        CompareOp.Less => v < c.Value,
        CompareOp.LessOrEqual => v <= c.Value,
        CompareOp.Greater => v > c.Value,
        CompareOp.GreaterOrEqual => v >= c.Value,
        CompareOp.Equal => v == c.Value,
        _ => v != c.Value,
    };

    /// <summary>The regions of one column: values every condition treats alike, within the declared domain.</summary>
    static Region[] Regions(string name, (ColumnSpec Spec, bool Nullable) column, IReadOnlyList<RowSet> sets)
    {
        var (spec, nullable) = column;
        var result = new List<Region>();
        if (spec.Kind == ColumnKind.Categorical)
            result.AddRange(spec.Domain!.Select(l => new Region(false, 0, l)));
        else
        {
            bool integral = spec.Kind is ColumnKind.Integer or ColumnKind.Boolean;
            double lo = spec.Kind == ColumnKind.Boolean ? 0 : spec.Min ?? double.NegativeInfinity;
            double hi = spec.Kind == ColumnKind.Boolean ? 1 : spec.Max ?? double.PositiveInfinity;
            var points = sets.Where(s => s.Filter is not null).SelectMany(s => Constants(s.Filter!, name))
                .Where(p => p >= lo && p <= hi && (!integral || p == Math.Floor(p))).Distinct().Order().ToArray();
            var cuts = points.Prepend(double.NegativeInfinity).Append(double.PositiveInfinity).ToArray();
            for (int i = 0; i + 1 < cuts.Length; i++)
            {
                if (Between(cuts[i], cuts[i + 1], lo, hi, integral) is { } v) result.Add(new Region(false, v, null));
                if (i + 1 < cuts.Length - 1) result.Add(new Region(false, cuts[i + 1], null));
            }
        }
        if (nullable) result.Add(new Region(true, 0, null));
        return result.ToArray();
    }

    /// <summary>A value strictly between two cuts and within [lo, hi] (an integer for integer columns), or null.</summary>
    static double? Between(double a, double b, double lo, double hi, bool integral)
    {
        // Values v with a < v < b and lo <= v <= hi.
        double low = Math.Max(a, lo), high = Math.Min(b, hi);
        bool lowOpen = low == a, highOpen = high == b;
        if (integral)
        {
            double first = double.IsNegativeInfinity(low) ? (double.IsPositiveInfinity(high) ? 0 : Math.Floor(high) - 1) : lowOpen ? Math.Floor(low) + 1 : Math.Ceiling(low);
            if (highOpen ? first < high : first <= high) return first;
            return null;
        }
        if (double.IsNegativeInfinity(low) && double.IsPositiveInfinity(high)) return 0;
        if (double.IsNegativeInfinity(low)) return high - 1;
        if (double.IsPositiveInfinity(high)) return low + 1;
        if (low < high) return lowOpen || highOpen ? (low + high) / 2 : low;
        return low == high && !lowOpen && !highOpen ? low : null;
    }

    static IEnumerable<double> Constants(RowFilter f, string column) => f switch
    {
        RowFilter.Comparison c when c.Column == column => [c.Value],
        RowFilter.All a => Constants(a.Left, column).Concat(Constants(a.Right, column)),
        RowFilter.Any o => Constants(o.Left, column).Concat(Constants(o.Right, column)),
        RowFilter.Negation n => Constants(n.Inner, column),
        _ => [],
    };
}
