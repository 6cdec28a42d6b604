using Smpc.Analytics.Queries;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// Each compute party keeps the study's privacy-budget ledger on disk beside its shares (IPartyDatasets.BudgetLedgerPath:
/// the store's study folder for <c>smpc party serve</c>, the party's folder for the embedded default), so a restarted
/// service reloads what was spent instead of giving the budget back. The ledger holds datasets, ε and the query in words,
/// never a value.
/// </summary>
public sealed class BudgetLedgerTests
{
    [Fact]
    public void Every_party_writes_the_spent_epsilon_to_its_own_ledger_and_a_ledger_reloaded_from_it_refuses_the_rest()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"smpc-budget-{Guid.NewGuid():N}");
        try
        {
            ConformanceData.Write(folder);
            using var study = SecureStudy.Embedded("budgets");
            study.ContributeFolder(folder);
            var first = study.Query(ConformanceData.Budgeted).GroupBy("group").WithEpsilon(0.6).Count();
            Assert.Equal(0.6, first.EpsilonSpent);
            for (int p = 0; p < 3; p++)
            {
                string path = Path.Combine(study.EmbeddedFolder!, $"party-{p}", "privacy-budget.jsonl");
                Assert.True(File.Exists(path), $"party {p} keeps no ledger at {path}");
                // What a restarted party reloads: ε 0.6 spent on the dataset, so 0.6 more is refused by rule and 0.4 is not.
                var reloaded = new PrivacyBudgetLedger(path);
                Assert.Equal(0.6, reloaded.Spent(ConformanceData.Budgeted), 9);
                Assert.All(reloaded.Entries, entry => Assert.DoesNotContain("income", entry.Dataset));
                var e = Assert.Throws<PolicyException>(() => reloaded.Reserve(ConformanceData.Budgeted, 0.6, ConformanceData.Budget, "again"));
                Assert.Equal("EpsilonBudget", e.Rule);
                reloaded.Reserve(ConformanceData.Budgeted, 0.4, ConformanceData.Budget, "the rest").Cancel();
            }
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
    }
}
