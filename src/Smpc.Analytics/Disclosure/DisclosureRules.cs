namespace Smpc.Analytics.Disclosure;

/// <summary>
/// The disclosure-control rules one release runs under, as plain values (a study's data-use terms give them: Smpc.Governance's <c>DataUseTerms.DisclosureRules</c>): minimum cell
/// size, the p% dominance rule for sums, means and order statistics (Disclosure/OrderStatisticRule.cs), rounding of counts, and optionally differential privacy with the ε
/// this query spends. Applied inside the computation before anything is revealed (Disclosure/TableRelease.cs).
/// </summary>
public sealed record DisclosureRules
{
    /// <summary>Cells with fewer contributing rows are suppressed (never revealed). Default 11.</summary>
    public int MinCellSize { get; init; } = 11;

    /// <summary>p of the p% rule (percent), or null when the rule is not applied.</summary>
    public double? DominanceP { get; init; }

    /// <summary>Columns the p% rule applies to (null: every column): their sums and means, and their minimum, maximum and
    /// quantiles (withheld when the cell fails the rule or too few rows lie at or beyond the value, Disclosure/OrderStatisticRule.cs).</summary>
    public IReadOnlySet<string>? DominanceColumns { get; init; }

    /// <summary>Released counts are rounded to the nearest multiple of this (1: no rounding).</summary>
    public int RoundingBase { get; init; } = 1;

    /// <summary>ε this release spends (discrete Laplace noise on counts and sums), or null for no noise.</summary>
    public double? Epsilon { get; init; }

    /// <summary>Whether the p% rule applies to <paramref name="column"/> (its sums, means and order statistics).</summary>
    public bool DominanceAppliesTo(string column) => DominanceP is not null && (DominanceColumns is null || DominanceColumns.Contains(column));

    /// <summary>The rules in words, for the result metadata.</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"minimum cell size {MinCellSize} (secure comparison; only the suppressed/released bit is opened)";
        yield return "complementary suppression (no suppressed cell can be recomputed exactly from margins or other cells)";
        if (DominanceP is { } p)
            yield return DominanceColumns is null ? $"p% dominance rule for sums, p = {p}"
                : $"p% dominance rule for sums of {(DominanceColumns.Count == 0 ? "no column" : string.Join(", ", DominanceColumns.Order()))}, p = {p}";
        if (RoundingBase > 1) yield return $"counts rounded to the nearest multiple of {RoundingBase}";
        if (Epsilon is { } eps) yield return $"differential privacy: discrete Laplace noise drawn jointly by the compute parties, ε = {eps}";
    }

    public void Validate()
    {
        if (MinCellSize < 0) throw new ArgumentOutOfRangeException(nameof(MinCellSize), MinCellSize, "Minimum cell size cannot be negative.");
        if (RoundingBase < 1) throw new ArgumentOutOfRangeException(nameof(RoundingBase), RoundingBase, "Rounding base must be at least 1.");
        if (DominanceP is { } p && (p <= 0 || p >= 100 || double.IsNaN(p))) throw new ArgumentOutOfRangeException(nameof(DominanceP), p, "p of the p% rule must be between 0 and 100.");
        if (Epsilon is { } e && (e <= 0 || double.IsNaN(e) || double.IsInfinity(e))) throw new ArgumentOutOfRangeException(nameof(Epsilon), e, "ε must be a positive number.");
    }
}
