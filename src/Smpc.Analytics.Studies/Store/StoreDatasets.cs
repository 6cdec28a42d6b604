// The study host's view of a party's store: the datasets contributed to one study, each this party's share file and
// the data-use terms it was contributed under (both checked against the commit record on every load).
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Studies.Parties;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies.Store;

public sealed class StoreDatasets(PartyStore store, string study) : IPartyDatasets
{
    public IReadOnlyList<string> Names => store.Datasets(study);

    public ShareFileContents Load(string dataset) => store.Load(study, dataset);

    public DataUseTerms Terms(string dataset) => store.Terms(study, dataset);

    public string? BudgetLedgerPath => store.BudgetLedgerPath(study);
}
