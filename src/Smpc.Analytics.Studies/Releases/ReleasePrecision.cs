using System.Globalization;
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Studies;

/// <summary>
/// How many decimals each statistic of a release supports, so that a table shows what the computation can vouch for
/// and no more: counts (and histogram counts, row counts, noisy counts) are whole; a sum, minimum, maximum, median or
/// quantile carries its column's precision (an integer column none; a fixed-point column with f fraction bits
/// ⌊f·log10 2⌋ decimals: 8 bits → 2, 16 → 4); a mean, variance or standard deviation at least two (the secure division's
/// error is below 2^-9 of the unit); correlations and regression coefficients four (16 fraction bits, errors stated in
/// the release's notes). Decided where the release is made, from the dataset's column specs, so the analyst of a remote
/// study gets the same digits.
/// </summary>
public static class ReleasePrecision
{
    public const int Fitted = 4, Ratio = 2;

    public static IReadOnlyList<int> Of(IReadOnlyList<string> valueColumns, StatisticFamily family, AggregateRequest request, Func<string, ColumnSpec?> spec) =>
        [.. valueColumns.Select(v => Of(v, family, request, spec))];

    static int Of(string label, StatisticFamily family, AggregateRequest request, Func<string, ColumnSpec?> spec)
    {
        if (family is StatisticFamily.Ols or StatisticFamily.Correlation) return Fitted;
        if (label is "count" or "rows" || label == Smpc.Analytics.Queries.QueryResult.RowsColumn)
            return request.Weight is { } w ? Own(spec(w)) : 0;                  // a weighted count is a sum of weights
        int open = label.IndexOf('(');
        if (open <= 0 || !label.EndsWith(')')) return Ratio;
        string statistic = label[..open], inside = label[(open + 1)..^1];
        var column = inside.Split([',', ';'], 2)[0].Trim();
        int own = Own(spec(column));
        return statistic switch
        {
            "sum" or "min" or "max" or "median" or "quantile" => own,
            "mean" or "variance" or "std" or "stddev" => Math.Max(own, Ratio),
            _ => Math.Max(own, Ratio),
        };
    }

    static int Own(ColumnSpec? spec) => spec?.Kind == ColumnKind.FixedPoint ? (int)Math.Floor(spec.FractionBits * Math.Log10(2)) : 0;

    /// <summary>A value with <paramref name="decimals"/> decimals and thousands separators (invariant culture).</summary>
    public static string Format(double value, int decimals) =>
        double.IsNaN(value) ? "—" : value.ToString("N" + Math.Clamp(decimals, 0, 15).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
