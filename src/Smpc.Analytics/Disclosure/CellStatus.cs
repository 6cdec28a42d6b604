namespace Smpc.Analytics.Disclosure;

/// <summary>Why a cell was withheld (or that it was released).</summary>
public enum SuppressionReason
{
    Released,
    /// <summary>Fewer contributing rows than the minimum cell size.</summary>
    CellSize,
    /// <summary>The p% rule: the largest contribution could be estimated too closely.</summary>
    Dominance,
    /// <summary>Withheld so that another suppressed cell cannot be recomputed from margins.</summary>
    Complementary,
    /// <summary>Withheld because, with the study's earlier releases (or this table's own cells), it would determine a
    /// suppressed value or a total over fewer rows than the minimum cell size (Disclosure/Audit/DisclosureLedger.cs).</summary>
    StudyWide,
    /// <summary>The cell's rows without the measured value (rows − complete cases) number 1 to MinCellSize − 1: its row
    /// count and its complete-case count together would disclose that small number (Disclosure/PresenceRule.cs).</summary>
    MissingValues,
}

public static class SuppressionReasonText
{
    public static string Status(this SuppressionReason r) => r == SuppressionReason.Released ? "released" : "suppressed";

    public static string Rule(this SuppressionReason r, DisclosureRules rules) => r switch
    {
        SuppressionReason.CellSize => $"cell size < {rules.MinCellSize}",
        SuppressionReason.Dominance => $"dominance (p% rule, p = {rules.DominanceP})",
        SuppressionReason.Complementary => "complementary suppression",
        SuppressionReason.StudyWide => "study-wide disclosure model",
        SuppressionReason.MissingValues => $"rows without the value < {Math.Max(rules.MinCellSize, 1)}",
        _ => "",
    };
}
