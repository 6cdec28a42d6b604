// No single keeper of the record: each registry-gated compute party is a witness of the registry's transparency log.
// At service start and after each computation it logs, the party fetches the registry's latest signed tree head and a
// consistency proof from the last head it countersigned (kept in its state directory, beside its store), checks both
// (Smpc.Governance.Transparency.RegistryWitness, the check `smpc audit witness` runs), countersigns the head with its
// own witness key and posts the cosignature. A head that does not extend the kept one — a registry restored from an
// older copy, an edited log row, a history shown differently to different parties — stops the party's work: it
// withholds the result at hand and refuses every later request with rule LogConsistency, naming both heads, until its
// operator has looked into it (and restarts the service). A cosignature reveals nothing new: it signs a head (size,
// root hash, time) every signed-in person may already read.
using Smpc.Analytics.Studies.Registry;
using Smpc.Governance.Transparency;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>A party's witness of the log it records its computations in.</summary>
public interface ILogWitness
{
    /// <summary>Checks the log's latest head against the last one this party countersigned and countersigns it. Throws
    /// <see cref="LogVerificationException"/> (a <see cref="LogForkException"/> naming both heads) when the head must not
    /// be countersigned; any other exception when the log cannot be asked.</summary>
    WitnessedHead Countersign();
}

/// <summary>The registry's log, witnessed with the party's witness key over the registry's API, with the compute
/// operator's token.</summary>
public sealed class RegistryLogWitness : ILogWitness, IDisposable
{
    readonly RegistryClient _client;
    readonly RegistryWitness _witness;

    /// <param name="url">The registry (https, or http to a loopback address).</param>
    /// <param name="token">The compute operator's personal access token.</param>
    /// <param name="key">The party's witness key (registered by the registry's administrator).</param>
    /// <param name="log">The registry's log key as the study pins it.</param>
    /// <param name="statePath">Where the last countersigned head is kept (the party's state directory).</param>
    public RegistryLogWitness(string url, string token, LogKey key, LogPublicKey log, string statePath)
        : this(new RegistryClient(url, token), key, log, statePath) { }

    /// <param name="client">The registry, reached with the party's compute operator's token (disposed with this witness).</param>
    public RegistryLogWitness(RegistryClient client, LogKey key, LogPublicKey log, string statePath)
    {
        _client = client;
        _witness = _client.Witness(key, log, statePath);
    }

    public RegistryWitness Witness => _witness;

    public WitnessedHead Countersign() => _witness.CosignLatestAsync().GetAwaiter().GetResult();

    public void Dispose() => _client.Dispose();
}
