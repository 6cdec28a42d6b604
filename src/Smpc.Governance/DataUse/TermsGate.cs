using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Queries;

namespace Smpc.Governance.DataUse;

/// <summary>
/// The data-use terms as the engine's admission gate: each query's shape is checked against the terms
/// (<see cref="QueryPolicy"/>: expiry, access level, analysts, operations, columns, group sizes, ε) on today's date,
/// and ε is reserved on the dataset's budget (<see cref="PrivacyBudgetLedger"/>) until the query releases (commit) or
/// fails before revealing anything (cancel).
/// </summary>
public sealed class TermsGate(DataUseTerms terms, PrivacyBudgetLedger ledger, string? analyst = null, TimeProvider? clock = null) : IQueryGate
{
    public DataUseTerms Terms => terms;
    public PrivacyBudgetLedger Ledger => ledger;
    public string? Analyst => analyst;

    public IQueryAdmission? Admit(QueryShape shape)
    {
        var today = DateOnly.FromDateTime((clock ?? TimeProvider.System).GetUtcNow().UtcDateTime);
        QueryPolicy.Check(terms, shape, today, ledger, analyst);
        return shape.Epsilon is { } eps && terms.EpsilonBudget is { } budget ? ledger.Reserve(terms.Dataset, eps, budget, shape.ToString()) : null;
    }
}

/// <summary>The plain policy values the engine takes, read from a dataset's data-use terms.</summary>
public static class DataUseTermsRules
{
    /// <summary>The disclosure-control rules of a release under <paramref name="terms"/>, spending <paramref name="epsilon"/> (null: no noise).</summary>
    public static DisclosureRules DisclosureRules(this DataUseTerms terms, double? epsilon = null) => new()
    {
        MinCellSize = terms.MinCellSize,
        DominanceP = terms.DominanceP,
        DominanceColumns = terms.DominanceColumns?.ToHashSet(StringComparer.Ordinal),
        RoundingBase = terms.RoundingBase,
        Epsilon = epsilon,
    };

    /// <summary>The linkage rules of the terms' dataset (keys allowed, join allowed, expiry, smallest released count, rounding).</summary>
    public static LinkageRules LinkageRules(this DataUseTerms terms) => new()
    {
        Dataset = terms.Dataset,
        Steward = terms.Steward,
        AllowedOperations = terms.AllowedOperations,
        LinkageColumns = terms.LinkageColumns,
        Expires = terms.Expires,
        MinCellSize = terms.MinCellSize,
        RoundingBase = terms.RoundingBase,
    };
}
