using Smpc.Analytics.Engine;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Queries;

/// <summary>
/// An immutable query over one secret-shared table under plain disclosure rules: filter, weight, grouping, options.
/// Terminal methods (Count, Mean, Aggregate, Quantile, Ols, …) ask the <see cref="Gate"/> to admit the query's
/// <see cref="QueryShape"/> (the data-use terms' check and the ε reservation live above the engine), compute on shares,
/// apply disclosure control and return the result. Read it like LINQ:
/// <c>new Query(table, rules).Where("age &gt;= 65").GroupBy("state").Mean("income")</c>.
/// </summary>
public sealed partial record Query(SecretTable Table, DisclosureRules Rules)
{
    /// <summary>Admits each terminal's shape before anything is computed; null: every query runs under <see cref="Rules"/>.</summary>
    public IQueryGate? Gate { get; init; }

    /// <summary>The study-wide disclosure model's record of earlier releases (shared by every query of one study);
    /// null: each query is checked on its own.</summary>
    public DisclosureLedger? Disclosure { get; init; }

    public RowFilter? Filter { get; init; }
    public string? Weight { get; init; }

    /// <summary>What <see cref="Weight"/> means; required with a weight (<see cref="Weighted(string, Statistics.WeightKind)"/>).</summary>
    public WeightKind? WeightKind { get; init; }
    public IReadOnlyList<string> Groups { get; init; } = [];
    public GroupSizeDisclosure GroupSizes { get; init; } = GroupSizeDisclosure.Hidden;
    public double? Epsilon { get; init; }

    public Query Where(string filter) => Where(RowFilter.Parse(filter));
    public Query Where(RowFilter filter) => this with { Filter = Filter is null ? filter : Filter & filter };

    /// <summary>Weights by a non-negative column of the given kind: frequency (replicates), analytic (averages /
    /// precision) or probability (survey design weights). The kind decides standard errors and how counts read;
    /// there is no default kind.</summary>
    public Query Weighted(string weightColumn, WeightKind kind) =>
        Enum.IsDefined(kind) ? this with { Weight = weightColumn, WeightKind = kind } : throw new QueryException($"Unknown weight kind {kind}.");

    /// <summary>The kind of the weights (throws when a weight was set without one).</summary>
    WeightKind Kind() => WeightKind ?? throw new QueryException($"Weight column '{Weight}' was given without its kind; use Weighted(column, WeightKind.Frequency | Analytic | Probability).");

    /// <summary>Notes that say what weighted counts and means are under the weight kind.</summary>
    void WeightNotes(IReadOnlyList<Measure> measures, List<string> notes)
    {
        if (Weight is null) return;
        var kind = Kind();
        if (measures.Any(m => m.Statistic is Statistic.Count or Statistic.Mean)) notes.Add(kind.CountMeaning(Weight));
        if (kind == Statistics.WeightKind.Probability && measures.Any(m => m.Statistic == Statistic.Mean))
            notes.Add($"means under probability weights '{Weight}': the weighted (Hájek) estimate Σw·x / Σw of the population mean");
        notes.Add($"the minimum cell size applies to the number of rows, not to Σ{Weight}");
    }
    public Query GroupBy(params string[] columns)
    {
        if (Groups.Count + columns.Length > 2) throw new QueryException($"Group-by on at most two columns; got {string.Join(", ", Groups.Concat(columns))}.");
        return this with { Groups = Groups.Concat(columns).ToArray() };
    }

    /// <summary>Chooses the group-by mode; <see cref="GroupSizeDisclosure.RevealToComputeParties"/> needs AllowRevealGroupSizes.</summary>
    public Query WithGroupSizes(GroupSizeDisclosure mode) => this with { GroupSizes = mode };

    /// <summary>Differential privacy: this query spends ε of the study's budget.</summary>
    public Query WithEpsilon(double epsilon) => this with { Epsilon = epsilon };

    public QueryResult Count() => Aggregate(Measure.Count());
    public QueryResult Sum(string column) => Aggregate(Measure.Sum(column));
    public QueryResult Mean(string column) => Aggregate(Measure.Mean(column));
    public QueryResult Variance(string column) => Aggregate(Measure.Variance(column));
    public QueryResult StdDev(string column) => Aggregate(Measure.StdDev(column));

    /// <summary>Two-way table of <paramref name="rows"/> × <paramref name="columns"/> with margins (default measure: count).</summary>
    public QueryResult CrossTab(string rows, string columns, params Measure[] measures) =>
        GroupBy(rows, columns).Aggregate(measures.Length == 0 ? [Measure.Count()] : measures);

    /// <summary>Histogram over declared bin edges (default measure: count), within any one group-by column.</summary>
    public QueryResult Histogram(string column, IReadOnlyList<double> edges, params Measure[] measures)
    {
        if (Groups.Count > 1) throw new QueryException("A histogram can be combined with at most one group-by column.");
        Statistics.Histogram.CheckEdges(column, edges);
        ColumnBounds.Of(Table[column].Spec, $"Histogram of '{column}'");
        var all = measures.Length == 0 ? [Measure.Count()] : measures;
        return Run(all, ["histogram"], [column], () => [.. Groups.Select(g => Dimension.FromColumn(Table, g)), Statistics.Histogram.Bins(Table, column, edges)],
                   $"histogram of {column} over [{string.Join(", ", edges)}]", [.. Groups.Select(Categorical), Bins(column, edges)]);
    }

    /// <summary>Per-cell statistics of the grouping (none: the whole table), with margins, after disclosure control.</summary>
    public QueryResult Aggregate(params Measure[] measures)
    {
        var extra = Groups.Count switch { 0 => Array.Empty<string>(), 1 => ["groupby"], _ => ["crosstab"] };
        return Run(measures, extra, [], () => Groups.Select(g => Dimension.FromColumn(Table, g)).ToArray(),
                   string.Join(", ", measures.Select(m => m.Label)), Groups.Select(Categorical).ToArray());
    }

    /// <summary>A grouping column's condition for one cell label (null: the margin, any label).</summary>
    Func<string?, RowFilter> Categorical(string column) =>
        label => RowFilter.In(column, label is null ? [.. Table[column].Spec.Domain!] : [label]);

    /// <summary>A histogram's condition for one bin label (null: the margin, any bin); bins are [e_j, e_j+1), the last closed.</summary>
    static Func<string?, RowFilter> Bins(string column, IReadOnlyList<double> edges) => label =>
    {
        int m = edges.Count - 1;
        int j = label is null ? -1 : Enumerable.Range(0, m).First(i => label.StartsWith($"[{edges[i]:G6}, ", StringComparison.Ordinal));
        var low = RowFilter.Compare(column, CompareOp.GreaterOrEqual, j < 0 ? edges[0] : edges[j]);
        return low & (j < 0 || j == m - 1 ? RowFilter.Compare(column, CompareOp.LessOrEqual, edges[m]) : RowFilter.Compare(column, CompareOp.Less, edges[j + 1]));
    };

    /// <summary>The study-wide disclosure model's view of each cell (null when the study keeps no ledger or under differential privacy).</summary>
    ReleaseAudit? Audit(CellLayout layout, IReadOnlyList<Func<string?, RowFilter>> conditions, IReadOnlyList<Measure> measures, string what)
    {
        if (Disclosure is not { } ledger || Epsilon is not null) return null;
        var present = measures.Where(m => m.Column is not null).Select(m => m.Column!).Append(Weight).OfType<string>().Distinct().ToArray();
        var rows = layout.Keys.Select(key =>
        {
            RowFilter? f = Filter;
            for (int d = 0; d < key.Length; d++) f = f is null ? conditions[d](key[d]) : f & conditions[d](key[d]);
            return new RowSet(f, present);
        }).ToArray();
        return new ReleaseAudit(ledger, Table, rows, Weight, Describe(what));
    }

    /// <summary>The same query over a table that arrives in row batches (totals are added on shares, released once).</summary>
    public QueryResult AggregateBatches(IEnumerable<SecretTable> batches, params Measure[] measures) =>
        AggregateBatches(batches, batches is IReadOnlyCollection<SecretTable> all ? all.Sum(b => (long)b.RowCount) : 0, measures);

    /// <summary>Row batches adding up to <paramref name="totalRows"/> rows: ranges and precisions (variances of wide
    /// columns) are planned for the total, so that every batch rounds alike and the sums stay in range.</summary>
    public QueryResult AggregateBatches(IEnumerable<SecretTable> batches, long totalRows, params Measure[] measures)
    {
        var extra = Groups.Count switch { 0 => Array.Empty<string>(), 1 => ["groupby"], _ => ["crosstab"] };
        return Execute(measures, extra, [], $"{string.Join(", ", measures.Select(m => m.Label))} over row batches", (rules, notes) =>
        {
            WeightNotes(measures, notes);
            CellTotals? totals = null;
            foreach (var batch in batches)
            {
                var dims = Groups.Select(g => Dimension.FromColumn(batch, g)).ToArray();
                var t = CellAggregator.Compute(batch, dims, Request(measures) with { PlanRows = totalRows > 0 ? totalRows : null });
                totals = totals is null ? t : totals.Add(t);
            }
            if (totals is null) throw new QueryException("No row batches were given.");
            if (totalRows > 0 && totals.Rows > totalRows)
                throw new RangeException($"The row batches add up to {totals.Rows} rows, more than the {totalRows} their ranges were planned for.");
            if (measures.Any(m => m.Statistic is Statistic.Sum or Statistic.Mean && rules.DominanceAppliesTo(m.Column!)))
                throw new QueryException("The p% rule needs every contribution at once; run dominance-checked sums on a single table, not on batches.");
            return (TableRelease.Release(totals, measures, rules), totals.Rows);
        });
    }

    CellAggregator.Request Request(IReadOnlyList<Measure> measures) => new(
        measures.Where(m => m.Column is not null && !m.NeedsSquares).Select(m => m.Column!).Distinct().ToArray(),   // exact sums
        measures.Where(m => m.NeedsSquares).Select(m => m.Column!).Distinct().ToArray(),
        Weight, Filter, GroupSizes,
        measures.Where(m => m.Statistic == Statistic.Mean).Select(m => m.Column!).Except(measures.Where(m => m.Statistic == Statistic.Sum).Select(m => m.Column!)).ToArray(),
        WeightKind: WeightKind);

    QueryResult Run(IReadOnlyList<Measure> measures, string[] extraOperations, string[] extraColumns, Func<IReadOnlyList<Dimension>> dimensions, string what,
                    IReadOnlyList<Func<string?, RowFilter>> conditions) =>
        Execute(measures, extraOperations, extraColumns, what, (rules, notes) =>
        {
            WeightNotes(measures, notes);
            var dims = dimensions();
            var request = Request(measures);
            var totals = CellAggregator.Compute(Table, dims, request);
            List<TableRelease.DominanceInput>? dominance = null;
            if (rules.DominanceP is not null)
                dominance = measures.Where(m => m.Statistic is Statistic.Sum or Statistic.Mean && rules.DominanceAppliesTo(m.Column!)).Select(m => m.Column!).Distinct()
                    .Select(c => Dominance(totals, dims, c)).ToList();
            return (TableRelease.Release(totals, measures, rules, dominance, PresenceRows(dims, request), Audit(totals.Layout, conditions, measures, what)), totals.Rows);
        });

    TableRelease.DominanceInput Dominance(CellTotals totals, IReadOnlyList<Dimension> dims, string column)
    {
        var spec = Table[column].Spec;
        var (lo, _) = ColumnBounds.Of(spec, $"Dominance rule on '{column}'");
        var e = Table.Engine;
        var (mask, weighted) = CellAggregator.RowMask(Table, CompleteCaseColumns(totals), Filter, Weight);   // the rows the totals ran over
        var basis = weighted ?? mask;
        // A column that may be negative (a balance): the rule runs on the absolute contributions |x| (DominanceRule.cs).
        bool signed = lo < 0;
        var values = signed ? DominanceRule.Absolute(e, Table[column].Values!) : Table[column].Values!;
        var contributions = basis is null ? values : e.Multiply(basis, values);
        var (first, second) = DominanceRule.TopTwo(e, totals.Layout, dims, contributions);
        var total = signed ? DominanceRule.CellSums(e, totals.Layout, dims, contributions)
            : Moments.Sum(totals, column, Enumerable.Range(0, totals.Layout.Count).ToArray()).Values;
        double wmax = Weight is null ? 1 : ColumnBounds.Magnitude(Table[Weight].Spec);
        return new TableRelease.DominanceInput(total, first, second, Table.RowCount * wmax * ColumnBounds.Magnitude(spec));
    }

    /// <summary>Validates, asks the gate to admit the query, meters the run and wraps the released table.</summary>
    QueryResult Execute(IReadOnlyList<Measure> measures, string[] extraOperations, string[] extraColumns, string what,
                        Func<DisclosureRules, List<string>, (ReleasedTable Table, long Rows)> body)
    {
        if (measures.Count == 0) throw new QueryException("Give at least one statistic (Count, Sum, Mean, Variance, StdDev).");
        foreach (var m in measures)
            if (m.Column is not null) ColumnBounds.Of(Table[m.Column].Spec, $"{m.Statistic} of '{m.Column}'");
        var shape = new QueryShape
        {
            Operations = measures.Select(m => m.Operation).Concat(extraOperations).Distinct().ToArray(),
            Columns = UsedColumns(measures.Select(m => m.Column).OfType<string>().Concat(extraColumns)),
            GroupSizes = GroupSizes,
            Epsilon = Epsilon,
            SumAndMeanTogether = measures.Where(m => m.Statistic == Statistic.Sum).Select(m => m.Column)
                .Intersect(measures.Where(m => m.Statistic == Statistic.Mean).Select(m => m.Column)).Any(),
        };
        return Metered(shape, what, notes =>
        {
            var rules = Rules with { Epsilon = Epsilon };
            var (released, rows) = body(rules, notes);
            foreach (var m in released.Measures)
                if (m.ErrorBound > 0) notes.Add($"{m.Measure.Label} = {m.Formula}; error at most ±{m.ErrorBound:G3} (fixed-point arithmetic)");
                else if (m.NoiseStdDev is { } sd) notes.Add($"{m.Measure.Label} = {m.Formula}; noise standard deviation {sd:G4}");
            return (QueryResult.ToDataFrame(released), released.RulesApplied, rows, released);
        });
    }

    string[] UsedColumns(IEnumerable<string> columns) =>
        columns.Concat(Groups).Concat(Filter?.Columns() ?? []).Append(Weight).OfType<string>().Distinct().ToArray();

    /// <summary>Admission by the gate (committed on success, cancelled on a failure that revealed nothing), metering, result metadata.</summary>
    QueryResult Metered(QueryShape shape, string what,
                        Func<List<string>, (Microsoft.Data.Analysis.DataFrame Frame, IReadOnlyList<string> Rules, long Rows, ReleasedTable? Cells)> body)
    {
        foreach (var c in shape.Columns) _ = Table[c];            // unknown columns fail before the policy check
        var reservation = Gate?.Admit(shape);
        var meter = new OperationMeter(Table.Engine);
        var notes = new List<string>();
        if (GroupSizes == GroupSizeDisclosure.RevealToComputeParties && Groups.Count > 0)
            notes.Add("group sizes were revealed to the compute parties (GroupSizeDisclosure.RevealToComputeParties), not to the analyst");
        try
        {
            var (frame, rules, rows, cells) = body(notes);
            var (bytes, rounds, elapsed, reveals) = meter.Stop();
            reservation?.Commit();
            return new QueryResult
            {
                Table = frame, Query = Describe(what), RulesApplied = rules, RowsUsed = rows, BytesSent = bytes, Rounds = rounds,
                Elapsed = elapsed, Reveals = reveals, Notes = notes, EpsilonSpent = Epsilon, Cells = cells,
            };
        }
        catch when (reservation is not null && !meter.AnalystReveals())
        {
            reservation.Cancel();
            throw;
        }
        finally { reservation?.Commit(); }
    }

    string Describe(string what)
    {
        var parts = new List<string> { what };
        if (Groups.Count > 0) parts.Add($"by {string.Join(" × ", Groups)}");
        if (Filter is not null) parts.Add($"where {Filter}");
        if (Weight is not null) parts.Add(WeightKind is { } kind ? $"weighted by {Weight} ({kind.Name()} weights)" : $"weighted by {Weight}");
        if (Epsilon is { } eps) parts.Add($"ε = {eps}");
        return $"{string.Join(" ", parts)} on '{Table.Name}'";
    }
}
