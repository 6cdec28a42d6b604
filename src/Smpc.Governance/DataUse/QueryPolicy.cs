using Smpc.Analytics;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Statistics;

namespace Smpc.Governance.DataUse;

/// <summary>
/// The compute side's check of a query against a dataset's data-use terms, run before anything is computed.
/// Each refusal is a <see cref="PolicyException"/> naming the rule. Differential-privacy budget: see
/// <see cref="PrivacyBudgetLedger"/>.
/// </summary>
public static class QueryPolicy
{
    /// <summary>Operations that have a differentially private release here (noisy counts and sums, means as their ratio).</summary>
    public static readonly IReadOnlySet<string> DifferentiallyPrivate = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { "count", "sum", "mean", "groupby", "crosstab", "histogram" };

    /// <summary>Throws a <see cref="PolicyException"/> naming the rule unless <paramref name="terms"/> allow <paramref name="query"/> for
    /// <paramref name="analyst"/> (checked against AllowedAnalysts when given) today, with the ε the ledger has left.</summary>
    public static void Check(DataUseTerms terms, QueryShape query, DateOnly today, PrivacyBudgetLedger? ledger = null, string? analyst = null)
    {
        if (terms.Expires is { } expires && today > expires)
            throw new PolicyException("Expires", $"the terms for '{terms.Dataset}' expired on {expires:yyyy-MM-dd}; today is {today:yyyy-MM-dd}.");
        if (terms.Access == AccessLevel.MetadataOnly)
            throw new PolicyException("Access", $"'{terms.Dataset}' allows metadata only; no statistics may be computed.");
        if (analyst is { } who && terms.AllowedAnalysts.Count > 0 && !terms.AllowedAnalysts.Contains(who, StringComparer.Ordinal))
            throw new PolicyException("AllowedAnalysts", $"'{who}' is not among the analysts allowed on '{terms.Dataset}'.");
        foreach (var op in query.Operations)
            if (!terms.AllowedOperations.Contains(op, StringComparer.OrdinalIgnoreCase))
                throw new PolicyException("AllowedOperations", $"operation '{op}' is not allowed on '{terms.Dataset}' (allowed: {(terms.AllowedOperations.Count == 0 ? "none" : string.Join(", ", terms.AllowedOperations))}).");
        if (terms.AllowedColumns.Count > 0)
            foreach (var c in query.Columns)
                if (!terms.AllowedColumns.Contains(c, StringComparer.Ordinal))
                    throw new PolicyException("AllowedColumns", $"column '{c}' may not be used in analyses of '{terms.Dataset}' (allowed: {string.Join(", ", terms.AllowedColumns)}).");
        if (query.GroupSizes == GroupSizeDisclosure.RevealToComputeParties && !terms.AllowRevealGroupSizes)
            throw new PolicyException("AllowRevealGroupSizes", $"revealing group sizes to the compute parties (GroupSizeDisclosure.RevealToComputeParties) is not allowed on '{terms.Dataset}'.");
        if (query.SumAndMeanTogether && terms.RoundingBase > 1 && query.Epsilon is null)
            throw new PolicyException("RoundingBase", $"counts of '{terms.Dataset}' are rounded to multiples of {terms.RoundingBase}; releasing a sum and a mean of the same cells would reveal the unrounded count (sum / mean). Ask for one of them.");
        if (terms.EpsilonBudget is { } budget)
        {
            if (query.Epsilon is not { } eps)
                throw new PolicyException("EpsilonBudget", $"'{terms.Dataset}' requires differential privacy (budget ε = {budget}); give the ε this query may spend.");
            foreach (var op in query.Operations)
                if (!DifferentiallyPrivate.Contains(op))
                    throw new PolicyException("EpsilonBudget", $"'{terms.Dataset}' requires differential privacy, and '{op}' has no differentially private release here (only {string.Join(", ", DifferentiallyPrivate)}).");
            double spent = ledger?.Spent(terms.Dataset) ?? 0;
            if (spent + eps > budget + 1e-12)
                throw new PolicyException("EpsilonBudget", $"the privacy budget of '{terms.Dataset}' is exhausted: ε spent {spent:G4} + this query {eps:G4} > budget {budget:G4}.");
        }
        if (query.Epsilon is { } e && (!(e > 0) || double.IsInfinity(e)))
            throw new QueryException($"ε must be a positive number, not {e}.");
    }
}
