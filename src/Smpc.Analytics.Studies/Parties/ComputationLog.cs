// Each registry-gated compute party logs what it computed for an analyst — a query (join), a release (aggregate) or a
// refusal with its rule — to the study's transparency log at the registry, with its compute operator's credential
// (POST /api/studies/{id}/log/computations). The record (Smpc.Governance.Transparency.ComputationRecord) names the
// study, the analyst, the operation, the request in words and the contributing datasets, and for a result the SHA-256
// of the result exactly as the analyst receives it (PartyWire.Digest) and the ε it spent: never a row value, an
// identifier, a share or a suppressed value. The three parties log independently, so no single party's claim is the
// record. A party that cannot log a result withholds it (rule ComputationLog): the analyst accepts a result only when
// the three parties sent it, so no result reaches the analyst without its three entries.
using Smpc.Analytics.Studies.Registry;
using Smpc.Governance.Transparency;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>Where a party service logs what it computed.</summary>
public interface IComputationLog
{
    /// <summary>Appends <paramref name="record"/>; returns the entry's index and the URL of its inclusion proof. Throws when
    /// it cannot.</summary>
    ComputationLogged Append(ComputationRecord record);
}

/// <summary>The registry's transparency log, reached with a compute operator's personal access token.</summary>
public sealed class RegistryComputationLog(RegistryClient client, string studyId) : IComputationLog, IDisposable
{
    /// <param name="url">The registry (https, or http to a loopback address).</param>
    /// <param name="token">The compute operator's personal access token (smpc_pat_…).</param>
    /// <param name="studyId">The study's id in the registry.</param>
    public RegistryComputationLog(string url, string token, string studyId) : this(new RegistryClient(url, token), studyId) { }

    public ComputationLogged Append(ComputationRecord record) =>
        client.LogComputationAsync(studyId, record).GetAwaiter().GetResult();

    public void Dispose() => client.Dispose();
}
