namespace Smpc.Analytics.Statistics;

/// <summary>
/// What a weight column means. The point estimates (weighted counts, sums, means, quantiles, coefficients) are the
/// same for every kind; the kind decides the standard errors of an OLS fit and how a weighted count is read.
/// The minimum cell size always applies to the number of rows (people), never to Σw.
/// </summary>
public enum WeightKind
{
    /// <summary>Each row stands for w identical units (w a whole number of replicates): n = Σw, weight-0 rows
    /// do not count; σ² = Σw·e² / (Σw − k); a weighted count is the number of units.</summary>
    Frequency,

    /// <summary>Rows are averages of w units, or carry inverse-variance weights: n = the number of rows with
    /// positive weight; σ² = Σw·e² / (n − k) with the weights normalised to sum to n (Stata's aweights).</summary>
    Analytic,

    /// <summary>Survey (sampling) weights, w = 1 / inclusion probability: design-based (linearisation, sandwich)
    /// standard errors, V = (X'WX)^-1 (Σ w²e² x x') (X'WX)^-1 · n/(n − 1), rows as primary sampling units, no strata;
    /// a weighted count is the estimated population total (Σw).</summary>
    Probability,
}

public static class WeightKinds
{
    /// <summary>Lower-case names as the magic takes them: frequency, analytic, probability.</summary>
    public static readonly IReadOnlyList<string> All = ["frequency", "analytic", "probability"];

    public static string Name(this WeightKind kind) => kind switch
    {
        WeightKind.Frequency => "frequency",
        WeightKind.Analytic => "analytic",
        WeightKind.Probability => "probability",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>"frequency weights 'w'" and so on, for query descriptions.</summary>
    public static string Describe(this WeightKind kind, string column) => $"{kind.Name()} weights '{column}'";

    /// <summary>Parses frequency|analytic|probability (also fweight, aweight, pweight; case-insensitive).</summary>
    public static WeightKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "frequency" or "fweight" or "fweights" => WeightKind.Frequency,
        "analytic" or "aweight" or "aweights" => WeightKind.Analytic,
        "probability" or "pweight" or "pweights" or "survey" => WeightKind.Probability,
        _ => throw new QueryException($"Weight kind '{text}' is not one of {string.Join(", ", All)}."),
    };

    /// <summary>How a weighted count (Σw per cell) is to be read under each kind.</summary>
    public static string CountMeaning(this WeightKind kind, string column) => kind switch
    {
        WeightKind.Frequency => $"count = Σ{column}: the number of units the rows stand for (frequency weights)",
        WeightKind.Analytic => $"count = Σ{column}: the sum of the analytic weights, not a number of rows or units",
        WeightKind.Probability => $"count = Σ{column}: the estimated population total (Horvitz–Thompson), not a number of rows",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
