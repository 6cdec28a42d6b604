// The study-wide disclosure model: every table release is checked against what the study's earlier releases on the
// same dataset already revealed, before any value of it is opened.
//
// Model. A released count, sum or mean of a cell is a linear equation over the cell's atom classes
// (Disclosure/Audit/AtomSpace.cs): count(cell) = Σ count(class), sum(cell) = Σ sum(class). An analyst who keeps every
// release can add and subtract them; what they can determine exactly is the linear span of the released cells
// (Disclosure/Audit/LinearSpan.cs), one system per kind of value: exact counts (only when counts are not rounded),
// sums of each column (and means, which give sums when counts are exact), sums of squares (variances, likewise),
// each per weight column. Before a table is opened the model requires, for every system:
//  1. no suppressed cell of this or any earlier release lies in the span (the suppressed value would follow);
//  2. no union of classes in the span covers fewer rows than the minimum cell size — differences of nested or
//     overlapping groups, filters that differ by a few rows (tracker), a table's total minus its released cells
//     (complementary suppression extended from counts to every statistic), totals of earlier queries minus this
//     table's cells. Unions that determine nothing but emptiness are allowed unless they cover a suppressed cell.
//     The union's row count is computed on shares from the released cells' exact counts (Σ λ·count) and compared
//     with the threshold inside the computation; only the bit is opened, to the compute parties;
//  3. with rounded counts, no mean whose cell's sum follows from released sums (count = sum / mean exactly), in any
//     order of queries.
// A cell that would break a requirement is withheld ("study-wide disclosure model", naming the earlier releases it
// would combine with) and complementary suppression runs again; a query whose every cell is withheld is refused
// with the same rule. Rounding is a deterministic function of the exact count, so a cell asked again, or written
// with another filter, gets the same rounded value (nothing to average).
// Not covered (stated in LEAKAGE.md): releases on different datasets (a join and its inputs) are audited separately;
// order statistics, correlations and regressions are not linear in cells and are checked by their own rules;
// bounds (intervals) rather than exact values; differentially private releases (their noise and budget protect them).
// Completeness: every union is found when the span of a connected group of releases has rank ≤ 16; above that the
// candidates are the basis rows, pairwise differences of nested cells and each table's margins minus its cells.
// Leakage: one bit per candidate union to the compute parties (small or not), and to the analyst, through a withheld
// cell, that some combination of it with named releases covers fewer than k rows.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Disclosure;

/// <summary>What the study has released so far, per dataset, as the study-wide disclosure model sees it.</summary>
public sealed class DisclosureLedger
{
    /// <summary>One cell of a release: its rows, the exact systems it is an equation of, and its secret row count.</summary>
    public sealed record Entry(int Release, string Description, RowSet Rows, IReadOnlySet<string> Systems,
                               IReadOnlySet<string> MeanSystems, SecretVector? Count, bool Suppressed);

    readonly Dictionary<string, List<Entry>> _tables = new(StringComparer.Ordinal);
    readonly Lock _gate = new();
    int _releases;

    /// <summary>The cells recorded for <paramref name="table"/>, in release order.</summary>
    public IReadOnlyList<Entry> Entries(string table) { lock (_gate) return _tables.TryGetValue(table, out var l) ? l.ToArray() : []; }

    /// <summary>Number of table releases recorded.</summary>
    public int Releases { get { lock (_gate) return _releases; } }

    /// <summary>A copy of this ledger whose secret counts are replaced by <paramref name="count"/>(original) — for an
    /// estimate on another engine (SecureStudy.Explain): the same cells and systems, so the same checks run.</summary>
    public DisclosureLedger Mirror(Func<SecretVector, SecretVector> count)
    {
        var copy = new DisclosureLedger();
        lock (_gate)
        {
            foreach (var (table, entries) in _tables)
                copy._tables[table] = [.. entries.Select(e => e.Count is null ? e : e with { Count = count(e.Count) })];
            copy._releases = _releases;
        }
        return copy;
    }

    internal int Reserve() { lock (_gate) return ++_releases; }

    internal void Add(string table, IEnumerable<Entry> entries)
    {
        lock (_gate)
        {
            if (!_tables.TryGetValue(table, out var list)) _tables[table] = list = [];
            list.AddRange(entries);
        }
    }
}

/// <summary>One table release's part in the study-wide model: its cells' row sets, checked before opening, then recorded.</summary>
public sealed class ReleaseAudit
{
    readonly DisclosureLedger _ledger;
    readonly SecretTable _table;
    readonly IReadOnlyList<RowSet> _cells;
    readonly string? _weight;
    readonly string _description;
    int _release;

    public ReleaseAudit(DisclosureLedger ledger, SecretTable table, IReadOnlyList<RowSet> cells, string? weight, string description)
    {
        _ledger = ledger; _table = table; _cells = cells; _weight = weight; _description = description;
    }

    /// <summary>A released cell as an equation: its classes, and where its exact row count lives (a new cell's index into
    /// <paramref name="Counts"/>, or an earlier entry).</summary>
    sealed record Row(double[] Vector, int? NewCell, DisclosureLedger.Entry? Old, SecretVector? Counts = null);

    /// <summary>
    /// Checks the table's pattern (after the per-table rules) against the study's earlier releases and its own cells;
    /// returns the pattern with cells withheld by the model and a per-cell explanation (null where none).
    /// </summary>
    internal (SuppressionReason[] Status, string?[] Detail) Apply(CellTotals totals, IReadOnlyList<Measure> measures, DisclosureRules rules,
                                                               SuppressionReason[] status, SecretVector? rowsVector = null)
    {
        if (_cells.Count != totals.Layout.Count) throw new ShapeException($"The audit has {_cells.Count} row sets for {totals.Layout.Count} cells.");
        _release = _ledger.Reserve();
        var e = totals.Engine;
        int k = Math.Max(1, rules.MinCellSize);
        var old = _ledger.Entries(_table.Name);
        var keys = measures.Select(m => Systems(m, rules)).ToArray();
        var newSystems = keys.SelectMany(x => x.Exact).ToHashSet(StringComparer.Ordinal);
        var newMeans = keys.SelectMany(x => x.Mean).ToHashSet(StringComparer.Ordinal);
        var detail = new string?[status.Length];
        status = (SuppressionReason[])status.Clone();
        // A cell with missing values also releases its row count (Disclosure/PresenceRule.cs): an exact count of the cell's
        // rows without the presence condition, one more equation of the count system when counts are not rounded.
        bool rowCounts = rowsVector is not null && rules.RoundingBase <= 1;
        if (rowCounts) newSystems.Add(RowsSystem);
        var vectors = AtomSpace.Classes(old.Select(o => o.Rows).Concat(_cells).Concat(rowCounts ? _cells.Select(WithoutPresence) : []).ToArray(), Column, _table.Name);
        var oldVectors = vectors.Take(old.Count).ToArray();
        var cellVectors = vectors.Skip(old.Count).Take(_cells.Count).ToArray();
        var rowVectors = vectors.Skip(old.Count + _cells.Count).ToArray();

        for (int round = 0; round <= status.Length; round++)
        {
            var violations = new List<(int[] NewCells, DisclosureLedger.Entry[] Old, string What)>();
            var unions = new List<(long[] Lambda, long D, Row[] Rows, bool CoversSuppressed)>();
            var targets = old.Select((o, i) => (o, i)).Where(x => x.o.Suppressed).Select(x => oldVectors[x.i])
                .Concat(Enumerable.Range(0, status.Length).Where(c => status[c] != SuppressionReason.Released).Select(c => cellVectors[c])).ToArray();
            foreach (var system in old.SelectMany(o => o.Systems).Concat(newSystems).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var rows = old.Select((o, i) => (o, i)).Where(x => !x.o.Suppressed && x.o.Systems.Contains(system)).Select(x => new Row(oldVectors[x.i], null, x.o)).ToList();
                if (keys.Any(x => x.Exact.Contains(system)))
                    rows.AddRange(Enumerable.Range(0, status.Length).Where(c => status[c] == SuppressionReason.Released).Select(c => new Row(cellVectors[c], c, null, totals.Count)));
                if (rowCounts && system == RowsSystem)
                    rows.AddRange(Enumerable.Range(0, status.Length).Where(c => status[c] == SuppressionReason.Released).Select(c => new Row(rowVectors[c], c, null, rowsVector)));
                if (rows.Count == 0) continue;
                var span = new LinearSpan(rows.Select(r => r.Vector).ToArray());
                foreach (var t in targets)
                    if (span.Contains(t, out var lambda))
                    {
                        // A value the earlier releases alone determine was released then (a margin withheld now as a
                        // complement, say); only combinations that need this table's cells are new.
                        var v = Involved(rows, lambda, $"would determine a suppressed cell's {system}");
                        if (v.NewCells.Length > 0) violations.Add(v);
                    }
                foreach (var (mean, cell) in MeanTargets(system, old, oldVectors, newMeans, status, cellVectors))
                    if (span.Contains(mean, out var lambda))
                    {
                        var v = Involved(rows, lambda, $"would reveal an unrounded count (sum / mean) under rounding to {rules.RoundingBase}");
                        violations.Add(cell is { } c ? (v.NewCells.Prepend(c).ToArray(), v.Old, v.What) : v);
                    }
                foreach (var (rowIndex, component) in Components(rows))
                {
                    if (!component.Any(i => rows[i].NewCell is not null)) continue;
                    var sub = component.Select(i => rows[i]).ToArray();
                    var used = Enumerable.Range(0, sub[0].Vector.Length).Where(c => sub.Any(r => r.Vector[c] != 0)).ToArray();
                    var local = new LinearSpan(sub.Select(r => used.Select(c => r.Vector[c]).ToArray()).ToArray());
                    var margins = MarginRemainders(totals.Layout, status, cellVectors).Select(v => used.Select(c => v[c]).ToArray());
                    var targetsLocal = targets.Select(t => used.Select(c => t[c]).ToArray()).ToArray();
                    foreach (var (u, lambda) in local.ZeroOneVectors(margins))
                    {
                        var involved = Enumerable.Range(0, sub.Length).Where(i => Math.Abs(lambda[i]) > 1e-9).ToArray();
                        if (!involved.Any(i => sub[i].NewCell is not null)) continue;          // checked when those were released
                        if (involved.Length == 1 && Math.Abs(lambda[involved[0]] - 1) < 1e-9) continue;   // a released cell itself
                        var (num, d) = LinearSpan.Integral(lambda);
                        bool covers = targetsLocal.Any(t => t.Zip(u).Any(p => p.First > 0.5 && p.Second > 0.5));
                        unions.Add((num, d, sub, covers));
                    }
                }
            }
            if (unions.Count > 0)
            {
                var small = SmallUnions(e, totals, unions, k);
                for (int i = 0; i < unions.Count; i++)
                    if (small[i])
                    {
                        var (num, _, rows, _) = unions[i];
                        var involved = Enumerable.Range(0, rows.Length).Where(j => num[j] != 0).ToArray();
                        violations.Add((involved.Select(j => rows[j].NewCell).OfType<int>().ToArray(), involved.Select(j => rows[j].Old).OfType<DisclosureLedger.Entry>().ToArray(),
                                        $"would determine a total over fewer than {k} rows"));
                    }
            }
            if (violations.Count == 0) return (status, detail);

            bool changed = false;
            foreach (var (cells, earlier, what) in violations)
            {
                var candidates = cells.Where(c => status[c] == SuppressionReason.Released).ToArray();
                if (candidates.Length == 0) continue;
                // A mean whose count would follow is itself withheld (listed first); otherwise an interior cell before a margin.
                int pick = what.Contains("sum / mean") ? candidates[0] : candidates.OrderBy(c => totals.Layout.IsMargin(c) ? 1 : 0).ThenBy(c => c).First();
                status[pick] = SuppressionReason.StudyWide;
                var with = earlier.Select(x => x.Release).Distinct().Order().ToArray();
                detail[pick] = with.Length == 0 ? $"study-wide disclosure model: with this table's other cells it {what}"
                    : $"study-wide disclosure model: with release{(with.Length > 1 ? "s" : "")} {string.Join(", ", with.Select(r => $"#{r} ({earlier.First(x => x.Release == r).Description})"))} it {what}";
                changed = true;
            }
            if (!changed)
            {
                var (_, earlier, what) = violations[0];
                throw new PolicyException("StudyDisclosure", $"the study's earlier releases ({string.Join(", ", earlier.Select(x => $"#{x.Release} {x.Description}").Distinct())}) already {what.Replace("would determine", "determine")}; nothing of this query can be released.");
            }
            var all = ComplementarySuppression.Apply(totals.Layout, status.Select(s => s != SuppressionReason.Released).ToArray());
            for (int c = 0; c < status.Length; c++)
                if (all[c] && status[c] == SuppressionReason.Released) status[c] = SuppressionReason.Complementary;
            if (status.All(s => s != SuppressionReason.Released))
            {
                var first = violations[0];
                throw new PolicyException("StudyDisclosure", $"every cell of this query {first.What}" +
                    (first.Old.Length == 0 ? " with the table's other cells." : $" together with {string.Join(", ", first.Old.Select(x => $"release #{x.Release} ({x.Description})").Distinct())}."));
            }
        }
        throw new InvalidOperationException("The study-wide disclosure model did not converge.");
    }

    /// <summary>Records the released and suppressed cells after the release was opened.</summary>
    internal void Record(CellTotals totals, IReadOnlyList<Measure> measures, DisclosureRules rules, SuppressionReason[] status, SecretVector? rows = null)
    {
        var keys = measures.Select(m => Systems(m, rules)).ToArray();
        var exact = keys.SelectMany(x => x.Exact).ToHashSet(StringComparer.Ordinal);
        var means = keys.SelectMany(x => x.Mean).ToHashSet(StringComparer.Ordinal);
        var e = totals.Engine;
        _ledger.Add(_table.Name, Enumerable.Range(0, status.Length).Select(c =>
        {
            bool suppressed = status[c] != SuppressionReason.Released;
            return new DisclosureLedger.Entry(_release, $"{_description}, cell {totals.Layout.Describe(c)}", _cells[c],
                suppressed ? new HashSet<string>() : exact, suppressed ? new HashSet<string>() : means, suppressed ? null : e.Gather(totals.Count, [c]), suppressed);
        }));
        if (rows is not null && rules.RoundingBase <= 1)
            _ledger.Add(_table.Name, Enumerable.Range(0, status.Length).Where(c => status[c] == SuppressionReason.Released).Select(c =>
                new DisclosureLedger.Entry(_release, $"{_description}, rows of cell {totals.Layout.Describe(c)}", WithoutPresence(_cells[c]),
                    new HashSet<string> { RowsSystem }, new HashSet<string>(), e.Gather(rows, [c]), false)));
    }

    const string RowsSystem = "count";

    static RowSet WithoutPresence(RowSet r) => r with { Present = [] };


    (ColumnSpec, bool) Column(string name) => (_table[name].Spec, _table[name].Present is not null || _table[name].Spec.Nullable);

    /// <summary>The exact linear systems a measure adds equations to, and the systems whose sums would expose its count.</summary>
    (string[] Exact, string[] Mean) Systems(Measure m, DisclosureRules rules)
    {
        string w = _weight is null ? "" : $" weighted by {_weight}";
        bool exactCounts = rules.RoundingBase <= 1;
        // Under rounding, sums and means of an unweighted 0/1 column are rounded counts and rates of rounded counts (TableRelease).
        if (!exactCounts && _weight is null && m.Column is not null && _table[m.Column].Spec.Kind == ColumnKind.Boolean
            && m.Statistic is Statistic.Sum or Statistic.Mean) return ([], []);
        return m.Statistic switch
        {
            Statistic.Count => (exactCounts ? [$"count{w}"] : [], []),
            Statistic.Sum => ([$"sum of {m.Column}{w}"], []),
            Statistic.Mean => exactCounts ? ([$"sum of {m.Column}{w}"], []) : ([], [$"sum of {m.Column}{w}"]),
            _ => (exactCounts ? [$"sum of squares of {m.Column}{w}"] : [], []),
        };
    }

    IEnumerable<(double[], int?)> MeanTargets(string system, IReadOnlyList<DisclosureLedger.Entry> old, double[][] oldVectors, HashSet<string> newMeans,
                                      SuppressionReason[] status, double[][] cellVectors)
    {
        for (int i = 0; i < old.Count; i++)
            if (old[i].MeanSystems.Contains(system)) yield return (oldVectors[i], null);
        if (newMeans.Contains(system))
            for (int c = 0; c < status.Length; c++)
                if (status[c] == SuppressionReason.Released) yield return (cellVectors[c], c);
    }

    /// <summary>A table's margin minus its released parts: the union of its suppressed parts (when the margin is released).</summary>
    static IEnumerable<double[]> MarginRemainders(CellLayout layout, SuppressionReason[] status, double[][] cells)
    {
        foreach (var (margin, parts) in layout.Relations)
        {
            if (status[margin] != SuppressionReason.Released) continue;
            var v = (double[])cells[margin].Clone();
            foreach (var p in parts.Where(p => status[p] == SuppressionReason.Released))
                for (int j = 0; j < v.Length; j++) v[j] -= cells[p][j];
            yield return v;
        }
    }

    static (int[] NewCells, DisclosureLedger.Entry[] Old, string What) Involved(List<Row> rows, double[] lambda, string what)
    {
        var used = Enumerable.Range(0, rows.Count).Where(i => Math.Abs(lambda[i]) > 1e-9).ToArray();
        return (used.Select(i => rows[i].NewCell).OfType<int>().ToArray(), used.Select(i => rows[i].Old).OfType<DisclosureLedger.Entry>().ToArray(), what);
    }

    /// <summary>Groups of rows connected through shared classes (unions never cross them).</summary>
    static IEnumerable<(int, int[])> Components(List<Row> rows)
    {
        var parent = Enumerable.Range(0, rows.Count).ToArray();
        int Find(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        int width = rows[0].Vector.Length;
        var owner = new int[width];
        Array.Fill(owner, -1);
        for (int i = 0; i < rows.Count; i++)
            for (int c = 0; c < width; c++)
                if (rows[i].Vector[c] != 0)
                {
                    if (owner[c] < 0) owner[c] = i;
                    else parent[Find(i)] = Find(owner[c]);
                }
        return Enumerable.Range(0, rows.Count).GroupBy(Find).Select(g => (g.Key, g.ToArray()));
    }

    /// <summary>For each candidate union Σ λ·count (λ = num / d), whether it covers fewer than k rows (and is not empty,
    /// unless it covers a suppressed cell) — on shares; only these bits are opened, to the compute parties.</summary>
    static bool[] SmallUnions(IComputeEngine e, CellTotals totals, List<(long[] Lambda, long D, Row[] Rows, bool CoversSuppressed)> unions, int k)
    {
        var scaled = new List<SecretVector>();
        var lowK = new List<SecretVector>();
        var lowOne = new List<SecretVector>();
        foreach (var (num, d, rows, _) in unions)
        {
            SecretVector? sum = null;
            for (int i = 0; i < rows.Length; i++)
            {
                if (num[i] == 0) continue;
                var count = rows[i].NewCell is { } c ? e.Gather(rows[i].Counts!, [c]) : rows[i].Old!.Count!;
                var term = e.MultiplyPublic(count, unchecked((ulong)num[i]));
                sum = sum is null ? term : e.Add(sum, term);
            }
            lowK.Add(e.AddPublic(sum!, unchecked((ulong)(-d * k))));
            lowOne.Add(e.AddPublic(sum!, unchecked((ulong)(-d))));
        }
        int n = unions.Count;
        var below = e.LessThan(e.Concat([.. lowK, .. lowOne]), 0);
        var bits = e.RevealToParties(below, $"study-wide disclosure rule: whether each of {n} determinable combinations of releases covers fewer than {k} rows (or none)");
        return Enumerable.Range(0, n).Select(i => unions[i].CoversSuppressed ? bits[i] : bits[i] && !bits[n + i]).ToArray();
    }
}
