using Smpc.Analytics.Engine;
using Microsoft.Data.Analysis;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Queries;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

/// <summary>
/// Runs an <see cref="AggregateRequest"/> on the engine's <see cref="Query"/>: plan and policy first (nothing computed
/// when either refuses; the terms of every contributing dataset are checked here, once, so the engine's query runs with
/// the dataset's disclosure rules handed down and no gate of its own), then one query for a table of cells, or one query per
/// group for order statistics, correlations and regressions (each group a filter evaluated on shares, so group
/// membership stays secret; each group's row count passes the cell-size rule inside the computation). The results
/// become one <see cref="Release"/>.
/// </summary>
internal static class StudyAggregation
{
    sealed record Outcome(DataFrame Table, IReadOnlyList<string> Keys, IReadOnlyList<string> Values, string Query,
                          IReadOnlyList<string> Rules, IReadOnlyList<string> Notes, double? Epsilon);

    public static Release Run(SecureStudy study, StudyDataset d, AggregateRequest r, int sequence)
    {
        var plan = AggregatePlan.Check(d, r);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var reservations = StudyPolicy.Authorize(d, plan, r, study.Analyst, study.Ledger, today);
        var meter = new OperationMeter(study.Engine);
        Outcome outcome;
        try
        {
            var query = plan.Query(d.Table, d.Terms.DisclosureRules(), study.Disclosure);
            outcome = plan.Family == StatisticFamily.Table ? Table(query, plan, r) : PerGroup(query, d, plan, r);
        }
        catch
        {
            bool released = meter.AnalystReveals();
            foreach (var reservation in reservations) { if (released) reservation.Commit(); else reservation.Cancel(); }
            throw;
        }
        foreach (var reservation in reservations) reservation.Commit();
        var cost = OperationCost.From(meter, d.ReleasedRows ?? 0);      // the size the analyst may see (a join's is rounded)
        (double, double)? range = plan.Family == StatisticFamily.Ols ? Range(d.Table[r.Columns[1]].Spec) : null;
        return new Release
        {
            Sequence = sequence, At = DateTimeOffset.UtcNow, Cost = cost, Request = r, Family = plan.Family,
            Query = outcome.Query, Table = outcome.Table, KeyColumns = outcome.Keys, ValueColumns = outcome.Values,
            RulesApplied = outcome.Rules, Notes = outcome.Notes, EpsilonSpent = outcome.Epsilon, CovariateRange = range,
            Decimals = ReleasePrecision.Of(outcome.Values, plan.Family, r, c => d.Table.Has(c) ? d.Table[c].Spec : null),
        };
    }

    static (double, double)? Range(ColumnSpec spec) =>
        spec.Kind == ColumnKind.Boolean ? (0, 1) : spec is { Min: { } lo, Max: { } hi } ? (lo, hi) : null;

    /// <summary>Count, sum, mean, variance, std (and histograms, cross-tabs): one table of cells with margins.</summary>
    static Outcome Table(Query q, AggregatePlan plan, AggregateRequest r)
    {
        q = q.GroupBy([.. r.GroupBy]);
        var result = plan.Histogram ? q.Histogram(r.Columns[0], r.Bins, [.. plan.Measures]) : q.Aggregate([.. plan.Measures]);
        var keys = result.Cells!.Layout.DimensionNames;
        // With missing values (a left join's other tables), "count" is the complete cases and "rows" each cell's row count;
        // "rows" goes next to "count" (the last statistic stays the default to draw).
        var values = plan.Measures.Select(m => m.Label).ToList();
        if (result.Cells.RowCounts is not null) values.Insert(values.IndexOf("count") + 1, QueryResult.RowsColumn);
        return new Outcome(result.Table, keys, values.ToArray(), result.Query, result.RulesApplied, result.Notes, result.EpsilonSpent);
    }

    /// <summary>Order statistics, correlation or OLS per group (or once without groups): one query per group.</summary>
    static Outcome PerGroup(Query baseQuery, StudyDataset d, AggregatePlan plan, AggregateRequest r)
    {
        var dims = r.GroupBy.Select(g => (Name: g, Labels: d.Table[g].Spec.Domain!)).ToArray();
        var cells = dims.Aggregate((IEnumerable<string[]>)[[]], (acc, dim) => acc.SelectMany(k => dim.Labels.Select(l => (string[])[.. k, l]))).ToArray();
        var rows = new List<(string[] Keys, DataFrame Frame, bool Suppressed, string Rule)>();
        var rules = new List<string>();
        var notes = new List<string>();
        foreach (var cell in cells)
        {
            var q = baseQuery;
            for (int k = 0; k < dims.Length; k++) q = q.Where(RowFilter.In(dims[k].Name, cell[k]));
            var results = Compute(q, plan, r);
            foreach (var res in results) { rules.AddRange(res.RulesApplied); notes.AddRange(res.Notes); }
            bool suppressed = results.Any(res => res.Table.Columns["status"].Cast<string?>().Any(s => s == "suppressed"));
            string rule = results.SelectMany(res => res.Table.Columns["rule"].Cast<string?>()).FirstOrDefault(s => !string.IsNullOrEmpty(s)) ?? "";
            var frame = results.Count == 1 ? results[0].Table : Wide(results);
            rows.Add((cell, plan.Family == StatisticFamily.Ols ? frame : WideRow(frame), suppressed, rule));
        }
        var keyNames = dims.Select(x => x.Name).ToList();
        if (plan.Family == StatisticFamily.Ols) keyNames.Add("term");
        var valueNames = plan.Family == StatisticFamily.Ols ? new[] { "coefficient", "std_error" } : StatisticNames(rows[0].Frame);
        var table = Assemble(rows, dims.Select(x => x.Name).ToArray(), plan.Family == StatisticFamily.Ols, valueNames);
        string what = dims.Length == 0 ? r.Describe() : $"{r.Describe()} (one query per group)";
        return new Outcome(table, keyNames, valueNames, what, rules.Distinct().ToArray(), notes.Distinct().ToArray(), null);
    }

    static List<QueryResult> Compute(Query q, AggregatePlan plan, AggregateRequest r)
    {
        var results = new List<QueryResult>();
        switch (plan.Family)
        {
            case StatisticFamily.Order:
                if (plan.Probabilities.Count > 0) results.Add(q.Quantile(r.Columns[0], [.. plan.Probabilities]));
                if (r.Statistics.Contains(StatisticKind.Min)) results.Add(q.Min(r.Columns[0]));
                if (r.Statistics.Contains(StatisticKind.Max)) results.Add(q.Max(r.Columns[0]));
                break;
            case StatisticFamily.Correlation:
                results.Add(q.Correlation(r.Columns[0], r.Columns[1]));
                break;
            default:
                results.Add(q.Ols(r.Columns[0], [.. r.Columns.Skip(1)]));
                break;
        }
        return results;
    }

    /// <summary>Several long frames (statistic, value, status, rule) stacked into one.</summary>
    static DataFrame Wide(List<QueryResult> results)
    {
        var names = new List<string>(); var values = new List<double?>(); var status = new List<string?>(); var rule = new List<string?>();
        foreach (var res in results)
            for (long i = 0; i < res.Table.Rows.Count; i++)
            {
                names.Add((string?)res.Table.Columns["statistic"][i] ?? "");
                values.Add((double?)res.Table.Columns["value"][i]);
                status.Add((string?)res.Table.Columns["status"][i]);
                rule.Add((string?)res.Table.Columns["rule"][i]);
            }
        return new DataFrame(new StringDataFrameColumn("statistic", names), new DoubleDataFrameColumn("value", values),
                             new StringDataFrameColumn("status", status), new StringDataFrameColumn("rule", rule));
    }

    /// <summary>A long (statistic, value) frame as one row: statistic names become columns.</summary>
    static DataFrame WideRow(DataFrame frame)
    {
        var columns = new List<DataFrameColumn>();
        for (long i = 0; i < frame.Rows.Count; i++)
            columns.Add(new DoubleDataFrameColumn((string)frame.Columns["statistic"][i], [(double?)frame.Columns["value"][i]]));
        return new DataFrame(columns);
    }

    static string[] StatisticNames(DataFrame wideRow) => wideRow.Columns.Select(c => c.Name).ToArray();

    /// <summary>Group columns, then each group's rows (one, or one per regression term), then status and rule.</summary>
    static DataFrame Assemble(List<(string[] Keys, DataFrame Frame, bool Suppressed, string Rule)> rows, string[] groups, bool regression, string[] values)
    {
        var keys = groups.Select(_ => new List<string?>()).ToArray();
        var terms = new List<string?>();
        var cols = values.Select(_ => new List<double?>()).ToArray();
        var status = new List<string?>(); var rule = new List<string?>();
        foreach (var (cell, frame, suppressed, why) in rows)
            for (long i = 0; i < frame.Rows.Count; i++)
            {
                for (int g = 0; g < groups.Length; g++) keys[g].Add(cell[g]);
                if (regression) terms.Add((string?)frame.Columns["term"][i]);
                for (int v = 0; v < values.Length; v++) cols[v].Add(suppressed ? null : (double?)frame.Columns[values[v]][i]);
                status.Add(suppressed ? "suppressed" : "released");
                rule.Add(suppressed ? why : "");
            }
        var columns = new List<DataFrameColumn>();
        for (int g = 0; g < groups.Length; g++) columns.Add(new StringDataFrameColumn(groups[g], keys[g]));
        if (regression) columns.Add(new StringDataFrameColumn("term", terms));
        for (int v = 0; v < values.Length; v++) columns.Add(new DoubleDataFrameColumn(values[v], cols[v]));
        columns.Add(new StringDataFrameColumn("status", status));
        columns.Add(new StringDataFrameColumn("rule", rule));
        return new DataFrame(columns);
    }
}
