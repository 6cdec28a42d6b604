using Smpc.Analytics.Columnar;
using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies;

/// <summary>
/// The checked form of an <see cref="AggregateRequest"/>: its family, the columns it reads, the operations the data-use
/// terms must allow, and the per-cell measures. Every problem — unknown column, wrong kind, options that do not fit
/// the statistic — is reported here, naming it, before the policy check and before anything is computed. The one
/// translation of a study's request into the engine's <see cref="Queries.Query"/> (<see cref="Query"/>): the request's
/// filter, weight, group sizes and ε; the statistic's terminal and its groups are added by the caller.
/// </summary>
internal sealed record AggregatePlan(
    StatisticFamily Family,
    IReadOnlyList<string> Operations,
    IReadOnlyList<string> UsedColumns,
    IReadOnlyList<Measure> Measures,
    IReadOnlyList<double> Probabilities,
    RowFilter? Filter,
    bool Histogram,
    bool SumAndMeanTogether)
{
    /// <summary>The request's options carried so that <see cref="Query"/> needs nothing else.</summary>
    AggregateRequest Request { get; init; } = null!;

    /// <summary>The engine's query over <paramref name="table"/> under <paramref name="rules"/>: filter, weight (with its kind),
    /// group sizes and ε as the request gives them.</summary>
    public Query Query(SecretTable table, DisclosureRules rules, DisclosureLedger? disclosure)
    {
        var q = new Query(table, rules) { Disclosure = disclosure };
        if (Filter is not null) q = q.Where(Filter);
        if (Request.Weight is { } w) q = q.Weighted(w, Request.WeightKind!.Value);
        if (Request.RevealGroupSizesToComputeParties) q = q.WithGroupSizes(GroupSizeDisclosure.RevealToComputeParties);
        if (Request.Epsilon is { } eps && Family == StatisticFamily.Table) q = q.WithEpsilon(eps);
        return q;
    }

    /// <summary>What the query does, as the data-use terms' check reads it.</summary>
    public QueryShape Shape(IReadOnlyList<string> columns) => new()
    {
        Operations = Operations,
        Columns = columns,
        GroupSizes = Request.RevealGroupSizesToComputeParties ? GroupSizeDisclosure.RevealToComputeParties : GroupSizeDisclosure.Hidden,
        Epsilon = Request.Epsilon,
        SumAndMeanTogether = SumAndMeanTogether,
    };

    public static AggregatePlan Check(StudyDataset d, AggregateRequest r) => Checked(d, r) with { Request = r };

    static AggregatePlan Checked(StudyDataset d, AggregateRequest r)
    {
        var t = d.Table;
        if (r.Statistics.Count == 0) throw new QueryException("Give at least one statistic (count, sum, mean, …).");
        var families = r.Statistics.Select(s => s.Family()).Distinct().ToList();
        if (families.Count > 1)
            throw new QueryException($"Statistics of different kinds cannot be computed in one query ({string.Join(", ", r.Statistics.Select(s => s.Name()))}): " +
                                     "count/sum/mean/variance/std/histogram/crosstab form tables, min/max/median/quantiles are order statistics, correlation and ols stand alone. Ask them in separate queries.");
        var family = families[0];

        foreach (var c in r.Columns.Concat(r.GroupBy).Append(r.Weight).OfType<string>()) Column(d, c);
        if (r.GroupBy.Count > 2) throw new QueryException($"Group by at most two columns; got {r.GroupBy.Count} ({string.Join(", ", r.GroupBy)}).");
        foreach (var dup in r.GroupBy.GroupBy(g => g).Where(g => g.Count() > 1)) throw new QueryException($"Group-by column '{dup.Key}' is listed twice.");
        foreach (var g in r.GroupBy)
            if (t[g].Spec.Kind != ColumnKind.Categorical)
                throw new QueryException($"Cannot group by '{g}': it is {Kind(t[g])}; group-by needs a categorical column with a declared domain (use a histogram for a numeric column).");
        RowFilter? filter = null;
        if (r.Filter is { } text)
        {
            if (string.IsNullOrWhiteSpace(text)) throw new QueryException("The filter is empty; give a condition such as age >= 65.");
            filter = RowFilter.Parse(text);
            foreach (var c in filter.Columns()) Column(d, c);
        }
        if (r.Weight is { } w && !t[w].Spec.IsNumeric) throw new QueryException($"Weight column '{w}' is {Kind(t[w])}; a weight must be numeric.");
        if (r.Weight is { } wc && r.WeightKind is null)
            throw new QueryException($"Weight column '{wc}' needs its kind: frequency, analytic or probability weights (WeightKind; --weight-kind in the magic).");
        if (r.Weight is null && r.WeightKind is not null) throw new QueryException("A weight kind was given without a weight column.");
        if (r.WeightKind is { } wk && !Enum.IsDefined(wk)) throw new QueryException($"Unknown weight kind {wk}.");
        bool histogram = r.Statistics.Contains(StatisticKind.Histogram);
        if (r.Bins.Count > 0 && !histogram) throw new QueryException("Bins (--bins) apply to a histogram only.");
        if (r.Probabilities.Count > 0 && !r.Statistics.Contains(StatisticKind.Quantiles)) throw new QueryException("Probabilities (--probabilities) apply to quantiles only.");
        if (r.Epsilon is not null && family != StatisticFamily.Table)
            throw new QueryException("ε (differential privacy) applies to counts, sums, means and histograms; this query has none.");
        if (r.Epsilon is { } eps && (!(eps > 0) || double.IsInfinity(eps))) throw new QueryException($"ε must be a positive number, not {eps}.");

        var groupOps = r.GroupBy.Count switch { 0 => Array.Empty<string>(), 1 => ["groupby"], _ => ["crosstab"] };
        var used = new List<string>(r.Columns);
        used.AddRange(r.GroupBy);
        if (filter is not null) used.AddRange(filter.Columns());
        if (r.Weight is not null) used.Add(r.Weight);
        var usedColumns = used.Distinct().ToArray();

        switch (family)
        {
            case StatisticFamily.Table:
            {
                var valueStats = r.Statistics.Where(s => s.Measure() is { } m && m != Statistic.Count).ToList();
                if (r.Statistics.Contains(StatisticKind.CrossTab) && r.GroupBy.Count != 2)
                    throw new QueryException($"A cross-tab needs two group-by columns; got {r.GroupBy.Count}.");
                if (histogram)
                {
                    if (r.Columns.Count != 1) throw new QueryException($"A histogram bins one numeric column; got {r.Columns.Count} columns.");
                    if (r.Bins.Count < 2) throw new QueryException("A histogram needs at least two bin edges (--bins 0,500,1000).");
                    if (r.GroupBy.Count > 1) throw new QueryException("A histogram can be split by at most one group-by column.");
                    Statistics.Histogram.CheckEdges(r.Columns[0], r.Bins);
                }
                else if (valueStats.Count == 0 && r.Columns.Count > 0)
                    throw new QueryException($"'count' counts rows and takes no column; columns ({string.Join(", ", r.Columns)}) apply to sum, mean, variance and std.");
                else if (valueStats.Count > 0 && r.Columns.Count == 0)
                    throw new QueryException($"'{valueStats[0].Name()}' needs a column (--column).");
                foreach (var c in r.Columns) Numeric(d, c, valueStats.Count > 0 ? valueStats[0] : StatisticKind.Histogram);
                var measures = new List<Measure> { Measure.Count() };
                foreach (var s in valueStats)
                    foreach (var c in r.Columns) measures.Add(new Measure(s.Measure()!.Value, c));
                var ops = measures.Select(m => m.Operation).Concat(histogram ? ["histogram"] : []).Concat(groupOps)
                    .Concat(r.Statistics.Contains(StatisticKind.CrossTab) ? ["crosstab"] : []).Distinct().ToArray();
                bool sumAndMean = measures.Where(m => m.Statistic == Statistic.Sum).Select(m => m.Column)
                    .Intersect(measures.Where(m => m.Statistic == Statistic.Mean).Select(m => m.Column)).Any();
                return new AggregatePlan(family, ops, usedColumns, measures.Distinct().ToArray(), [], filter, histogram, sumAndMean);
            }
            case StatisticFamily.Order:
            {
                if (r.Columns.Count != 1) throw new QueryException($"{string.Join(", ", r.Statistics.Select(s => s.Name()))} summarise one numeric column; got {r.Columns.Count}.");
                Numeric(d, r.Columns[0], r.Statistics[0]);
                var probabilities = new List<double>();
                if (r.Statistics.Contains(StatisticKind.Quantiles)) probabilities.AddRange(r.Probabilities.Count > 0 ? r.Probabilities : AggregateRequest.BoxProbabilities);
                if (r.Statistics.Contains(StatisticKind.Median)) probabilities.Add(0.5);
                if (probabilities.Count > 0) Quantiles.CheckProbabilities(probabilities);
                var ops = new List<string>();
                if (probabilities.Count > 0) ops.Add("quantile");
                if (r.Statistics.Contains(StatisticKind.Min)) ops.Add("min");
                if (r.Statistics.Contains(StatisticKind.Max)) ops.Add("max");
                return new AggregatePlan(family, [.. ops, .. groupOps], usedColumns, [], probabilities.Distinct().Order().ToArray(), filter, false, false);
            }
            case StatisticFamily.Correlation:
                if (r.Columns.Count != 2) throw new QueryException($"A correlation needs two numeric columns; got {r.Columns.Count}.");
                foreach (var c in r.Columns) Numeric(d, c, StatisticKind.Correlation);
                return new AggregatePlan(family, ["correlation", .. groupOps], usedColumns, [], [], filter, false, false);
            default:
                if (r.Columns.Count < 2) throw new QueryException("OLS needs a response and at least one covariate (--column response,covariate1,…).");
                foreach (var c in r.Columns) Numeric(d, c, StatisticKind.Ols);
                if (r.Columns.Distinct().Count() != r.Columns.Count) throw new QueryException($"A column appears twice in the regression ({string.Join(", ", r.Columns)}).");
                return new AggregatePlan(family, ["ols", .. groupOps], usedColumns, [], [], filter, false, false);
        }
    }

    static SecretColumn Column(StudyDataset d, string name) => d.Table.Has(name) ? d.Table[name]
        : throw new QueryException($"Unknown column '{name}' in dataset '{d.Name}'. Columns: {string.Join(", ", d.Table.Columns.Select(c => c.Name))}.");

    static void Numeric(StudyDataset d, string name, StatisticKind s)
    {
        var c = d.Table[name];
        if (!c.Spec.IsNumeric) throw new QueryException($"'{s.Name()}' needs a numeric column; '{name}' is {Kind(c)}.");
    }

    static string Kind(SecretColumn c) => c.Spec.Kind.ToString().ToLowerInvariant();
}
