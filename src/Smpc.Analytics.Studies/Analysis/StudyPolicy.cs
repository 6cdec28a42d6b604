using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

/// <summary>
/// The study's check of a query against the data-use terms of every contributed dataset whose rows it reads, before
/// anything is computed: each origin's terms with the columns that came from it, under their names there, so a
/// refusal names the steward's dataset and the rule (<see cref="PolicyException"/>). Then ε is reserved on each origin
/// that keeps a differential-privacy budget (<see cref="PrivacyBudgetLedger"/>); the caller commits or cancels.
/// </summary>
internal static class StudyPolicy
{
    public static IReadOnlyList<PrivacyBudgetLedger.Reservation> Authorize(StudyDataset dataset, AggregatePlan plan, AggregateRequest request,
                                                                        string? analyst, PrivacyBudgetLedger ledger, DateOnly today)
    {
        foreach (var terms in dataset.Origins)
        {
            var own = plan.UsedColumns
                .Where(c => dataset.Columns.TryGetValue(c, out var o) && o.Dataset == terms.Dataset)
                .Select(c => dataset.Columns[c].Column).Distinct().ToArray();
            QueryPolicy.Check(terms, plan.Shape(own), today, ledger, analyst);
        }
        var reservations = new List<PrivacyBudgetLedger.Reservation>();
        if (request.Epsilon is not { } eps) return reservations;
        try
        {
            foreach (var terms in dataset.Origins)
                if (terms.EpsilonBudget is { } budget)
                    reservations.Add(ledger.Reserve(terms.Dataset, eps, budget, request.Describe()));
        }
        catch
        {
            foreach (var r in reservations) r.Cancel();
            throw;
        }
        return reservations;
    }
}
