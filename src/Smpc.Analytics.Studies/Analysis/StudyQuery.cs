using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies;

/// <summary>
/// A query on one dataset of a study under construction, read like LINQ:
/// <c>study.Query("linked").Where("age &gt;= 65").GroupBy("service_era").Mean("balance")</c>. Immutable; each terminal
/// method builds an <see cref="AggregateRequest"/> and runs it with <see cref="SecureStudy.Aggregate"/>.
/// </summary>
public sealed record StudyQuery(SecureStudy Study, string Dataset)
{
    public string? Filter { get; init; }
    public string? Weight { get; init; }
    public WeightKind? WeightKind { get; init; }
    public IReadOnlyList<string> Groups { get; init; } = [];
    public double? Epsilon { get; init; }
    public bool RevealGroupSizes { get; init; }

    /// <summary>Adds a row filter (combined with "and" with an earlier one).</summary>
    public StudyQuery Where(string filter) => this with { Filter = Filter is null ? filter : $"({Filter}) and ({filter})" };
    /// <summary>Weights by a non-negative column of the given kind (frequency, analytic or probability); no default kind.</summary>
    public StudyQuery Weighted(string weightColumn, WeightKind kind) => this with { Weight = weightColumn, WeightKind = kind };
    public StudyQuery GroupBy(params string[] columns) => this with { Groups = [.. Groups, .. columns] };
    public StudyQuery WithEpsilon(double epsilon) => this with { Epsilon = epsilon };

    /// <summary>The faster group-by that reveals group sizes to the compute parties (the terms must allow it).</summary>
    public StudyQuery RevealingGroupSizesToComputeParties() => this with { RevealGroupSizes = true };

    public AggregateRequest Request(IReadOnlyList<StatisticKind> statistics, IReadOnlyList<string> columns,
                                    IReadOnlyList<double>? bins = null, IReadOnlyList<double>? probabilities = null) => new()
    {
        Dataset = Dataset, Statistics = statistics, Columns = columns, GroupBy = Groups, Filter = Filter, Weight = Weight, WeightKind = WeightKind,
        Epsilon = Epsilon, Bins = bins ?? [], Probabilities = probabilities ?? [], RevealGroupSizesToComputeParties = RevealGroupSizes,
    };

    Release Run(IReadOnlyList<StatisticKind> statistics, IReadOnlyList<string> columns, IReadOnlyList<double>? bins = null, IReadOnlyList<double>? probabilities = null) =>
        Study.Aggregate(Request(statistics, columns, bins, probabilities));

    /// <summary>Several table statistics of the same columns at once, e.g. Aggregate([Count, Mean, StdDev], "balance").</summary>
    public Release Aggregate(IReadOnlyList<StatisticKind> statistics, params string[] columns) => Run(statistics, columns);

    public Release Count() => Run([StatisticKind.Count], []);
    public Release Sum(string column) => Run([StatisticKind.Sum], [column]);
    public Release Mean(string column) => Run([StatisticKind.Mean], [column]);
    public Release Variance(string column) => Run([StatisticKind.Variance], [column]);
    public Release StdDev(string column) => Run([StatisticKind.StdDev], [column]);
    public Release Histogram(string column, IReadOnlyList<double> bins) => Run([StatisticKind.Histogram], [column], bins);
    public Release Median(string column) => Run([StatisticKind.Median], [column]);
    public Release Quantiles(string column, params double[] probabilities) => Run([StatisticKind.Quantiles], [column], probabilities: probabilities);
    public Release Min(string column) => Run([StatisticKind.Min], [column]);
    public Release Max(string column) => Run([StatisticKind.Max], [column]);
    public Release Correlation(string x, string y) => Run([StatisticKind.Correlation], [x, y]);
    public Release Ols(string response, params string[] covariates) => Run([StatisticKind.Ols], [response, .. covariates]);
}
