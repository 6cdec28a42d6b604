using Smpc.Analytics.Columnar;
using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

/// <summary>
/// Statistics over one secret-shared table (a contributor's dataset or a join result) under its data-use terms, without
/// a study around it: the engine's <see cref="Query"/> with the terms' disclosure rules handed down and the terms as its
/// gate (<see cref="TermsGate"/>), so every query is checked against the terms first (refusals name the rule), runs on
/// shares, passes disclosure control inside the computation, and returns a <see cref="QueryResult"/>.
/// </summary>
/// <example>
/// <code>
/// var analysis = new SecureAnalysis(table, terms, ledger);
/// var byState = analysis.Where("age >= 65").GroupBy("state").Aggregate(Measure.Count(), Measure.Mean("income"));
/// var median = analysis.Median("income");
/// var fit = analysis.Ols("income", "age", "years_service");
/// </code>
/// </example>
public sealed class SecureAnalysis
{
    /// <exception cref="SchemaException">The terms are invalid (DataUseTerms.Validate: each bad field named with its allowed range).</exception>
    public SecureAnalysis(SecretTable table, DataUseTerms terms, PrivacyBudgetLedger? ledger = null, string? analyst = null, TimeProvider? clock = null)
    {
        Table = table;
        Terms = terms.Validate();
        Ledger = ledger ?? new PrivacyBudgetLedger();
        Analyst = analyst;
        Clock = clock ?? TimeProvider.System;
    }

    public SecretTable Table { get; }
    public DataUseTerms Terms { get; }
    public PrivacyBudgetLedger Ledger { get; }
    public string? Analyst { get; }
    public TimeProvider Clock { get; }

    /// <summary>The study-wide disclosure model's record of earlier releases (shared by every analysis of one study);
    /// null: each query is checked on its own.</summary>
    public DisclosureLedger? Disclosure { get; init; }

    /// <summary>Every row of the table, under the terms: the start of a query.</summary>
    public Query All => new(Table, Terms.DisclosureRules()) { Gate = new TermsGate(Terms, Ledger, Analyst, Clock), Disclosure = Disclosure };

    public Query Where(string filter) => All.Where(filter);
    public Query Where(RowFilter filter) => All.Where(filter);
    public Query Weighted(string weightColumn, WeightKind kind) => All.Weighted(weightColumn, kind);
    public Query GroupBy(params string[] columns) => All.GroupBy(columns);
    public Query WithGroupSizes(GroupSizeDisclosure mode) => All.WithGroupSizes(mode);
    public Query WithEpsilon(double epsilon) => All.WithEpsilon(epsilon);

    public QueryResult Count() => All.Count();
    public QueryResult Sum(string column) => All.Sum(column);
    public QueryResult Mean(string column) => All.Mean(column);
    public QueryResult Variance(string column) => All.Variance(column);
    public QueryResult StdDev(string column) => All.StdDev(column);
    public QueryResult Aggregate(params Measure[] measures) => All.Aggregate(measures);
    public QueryResult CrossTab(string rows, string columns, params Measure[] measures) => All.CrossTab(rows, columns, measures);
    public QueryResult Histogram(string column, IReadOnlyList<double> edges, params Measure[] measures) => All.Histogram(column, edges, measures);
    public QueryResult Quantile(string column, params double[] probabilities) => All.Quantile(column, probabilities);
    public QueryResult Median(string column) => All.Median(column);
    public QueryResult Min(string column) => All.Min(column);
    public QueryResult Max(string column) => All.Max(column);
    public QueryResult Correlation(string x, string y) => All.Correlation(x, y);
    public QueryResult Ols(string response, params string[] covariates) => All.Ols(response, covariates);
}
