using Smpc.Analytics.Columnar.Ipc;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>
/// What a compute party service holds of one study: the datasets contributed to it, each as this party's share file
/// (header with the schema, and this party's own <see cref="Columnar.SharedTable"/> view) and the data-use terms the
/// steward contributed it under. The party's durable store implements it; the study host only reads.
/// </summary>
/// <remarks>A dataset contributed for linkage carries its pseudonym columns (<see cref="Columnar.ColumnKind.Pseudonym"/>,
/// named after the linkage key: ssn_key, demographic_key, name_dob_key), prepared and pseudonymised by its contributor,
/// and its schema keeps the identifier declarations (never the identifiers).</remarks>
public interface IPartyDatasets
{
    /// <summary>Names of the contributed datasets, in the order the study should list them.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>This party's shares of <paramref name="dataset"/>.</summary>
    ShareFileContents Load(string dataset);

    /// <summary>The data-use terms <paramref name="dataset"/> was contributed under.</summary>
    DataUseTerms Terms(string dataset);

    /// <summary>Where this party keeps the study's privacy-budget ledger (ε committed per dataset, appended and reloaded, so
    /// that a restarted service does not give a spent budget back); null: in memory only.</summary>
    string? BudgetLedgerPath => null;
}
