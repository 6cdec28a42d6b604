using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Disclosure;

/// <summary>One released statistic: a value per cell (null where suppressed) and how precise it is.</summary>
public sealed record ReleasedMeasure(Measure Measure, double?[] Values, double ErrorBound, string Formula, double? NoiseStdDev);

/// <summary>What disclosure control let out of a table query: per-cell status and rule, and the released values.</summary>
public sealed record ReleasedTable(CellLayout Layout, SuppressionReason[] Status, IReadOnlyList<ReleasedMeasure> Measures,
                                   IReadOnlyList<string> RulesApplied, DisclosureRules Rules)
{
    /// <summary>Per cell, why the study-wide disclosure model withheld it (null where it did not).</summary>
    public IReadOnlyList<string?>? Details { get; init; }

    /// <summary>The rule that withheld a cell, in words ("" when released).</summary>
    public string Rule(int cell) => Details?[cell] ?? Status[cell].Rule(Rules);

    public int Suppressed => Status.Count(s => s != SuppressionReason.Released);

    /// <summary>Each cell's row count with or without the measured values (rounded; null where suppressed), when a measured
    /// column has missing values (a left join's other tables, nullable columns); the measures' own count is then the
    /// complete cases the statistics and rules ran on (Disclosure/PresenceRule.cs). Null when every row holds every value.</summary>
    public double?[]? RowCounts { get; init; }
}
