namespace Smpc.Analytics.Studies;

/// <summary>Statistics by name, for C# cells: each is one <see cref="Aggregate"/> call (see <see cref="StudyQuery"/> for
/// filters, weights and differential privacy).</summary>
public sealed partial class SecureStudy
{
    /// <summary>A query on <paramref name="dataset"/> to refine with Where, Weighted, GroupBy, WithEpsilon.</summary>
    public StudyQuery Query(string dataset) => new(this, dataset);

    public Release Count(string dataset, params string[] groupBy) => Query(dataset).GroupBy(groupBy).Count();
    public Release Sum(string dataset, string column, params string[] groupBy) => Query(dataset).GroupBy(groupBy).Sum(column);
    public Release Mean(string dataset, string column, params string[] groupBy) => Query(dataset).GroupBy(groupBy).Mean(column);
    public Release Variance(string dataset, string column, params string[] groupBy) => Query(dataset).GroupBy(groupBy).Variance(column);
    public Release StdDev(string dataset, string column, params string[] groupBy) => Query(dataset).GroupBy(groupBy).StdDev(column);

    /// <summary>Counts per public bin of <paramref name="column"/> (bins [e_j, e_j+1), the last closed), per group.</summary>
    public Release Histogram(string dataset, string column, IReadOnlyList<double> bins, params string[] groupBy) =>
        Query(dataset).GroupBy(groupBy).Histogram(column, bins);

    /// <summary>Counts of <paramref name="rows"/> × <paramref name="columns"/> with margins.</summary>
    public Release CrossTab(string dataset, string rows, string columns) =>
        Aggregate(new AggregateRequest { Dataset = dataset, Statistics = [StatisticKind.CrossTab], GroupBy = [rows, columns] });

    public Release Median(string dataset, string column, params string[] groupBy) => Query(dataset).GroupBy(groupBy).Median(column);

    public Release Quantiles(string dataset, string column, IReadOnlyList<double> probabilities, params string[] groupBy) =>
        Query(dataset).GroupBy(groupBy).Quantiles(column, [.. probabilities]);

    public Release Min(string dataset, string column, params string[] groupBy) => Query(dataset).GroupBy(groupBy).Min(column);
    public Release Max(string dataset, string column, params string[] groupBy) => Query(dataset).GroupBy(groupBy).Max(column);
    public Release Correlation(string dataset, string x, string y) => Query(dataset).Correlation(x, y);

    /// <summary>Ordinary least squares of <paramref name="response"/> on <paramref name="covariates"/> with an intercept.</summary>
    public Release Ols(string dataset, string response, params string[] covariates) => Query(dataset).Ols(response, covariates);
}
