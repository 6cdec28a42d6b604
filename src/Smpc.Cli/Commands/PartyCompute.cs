using Smpc.Analytics;
using Smpc.Analytics.Session;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Studies.Store;
using Smpc.Analytics.Transport;

namespace Smpc.Cli.Commands;

/// <summary>
/// The compute side of `smpc party serve`, one per study: joins the study's mesh with the other two parties (mutual
/// TLS on the study's party port, retrying until they are up), then runs the study host (<see cref="PartyStudyHost"/>)
/// on the datasets in this party's store, for analysts who connect with their study certificates. When the mesh
/// breaks (a party stopped), it logs which party failed, tells the other survivor, and joins again, so a restarted party
/// resumes with its stored shares. At every mesh start the three compare the contributions they hold (StoreAgreement)
/// and refuse to compute together while they differ (a party restarted with an empty or another store).
/// </summary>
internal sealed class PartyCompute(int id, StudyConfig config, StudyCredentials credentials, PartyStore store, StoreLog log) : IDisposable
{
    volatile bool _stopping;
    TlsNetwork? _network;
    Thread? _thread;
    PartyGate? _gate;
    Smpc.Analytics.Studies.Registry.RegistryClient? _registry;

    public string Study => config.Study;
    public string State { get; private set; } = "connecting";

    public void Start()
    {
        _gate = Gate();   // a missing registry credential is reported before the party joins the mesh
        _thread = new Thread(Run) { IsBackground = true, Name = $"compute {config.Study}" };
        _thread.Start();
    }

    void Run()
    {
        while (!_stopping)
        {
            TlsNetwork? network = null;
            var pause = TimeSpan.FromSeconds(1);
            try
            {
                State = "connecting";
                network = TlsNetwork.Connect(config, credentials, new TlsNetworkOptions
                {
                    ConnectTimeout = TimeSpan.FromSeconds(30),
                    Refused = reason => log.Warn("tls-refused", config.Study, message: reason),
                }, acceptAnalyst: true);
                _network = network;
                var catalogues = StoreAgreement.Exchange(network, StoreAgreement.Catalogue(store, config.Study));
                if (StoreAgreement.Compare(config.Study, catalogues) is { } mismatch)
                {
                    State = "refused (the parties' stores differ)";
                    log.Error("store-mismatch", config.Study, message: mismatch);
                    pause = TimeSpan.FromSeconds(5);   // then the three compare again (an upload may complete, a store be restored)
                }
                else
                {
                    var session = MpcSession.Establish(id, network.Next, network.Prev);
                    State = "serving";
                    log.Info("compute-ready", config.Study);
                    PartyStudyHost.Serve(config.Study, session, Accept, new StoreDatasets(store, config.Study), line => log.Info("compute", config.Study, message: line), _gate);
                }
            }
            catch (PeerFailureException e) when (e.Peer is >= 0 and <= 2 && e.Peer != id)
            {
                if (_stopping) return;
                State = "reconnecting";
                // Tell the other surviving party which party failed, so its log names it too; then wait for the mesh again.
                network?.Abort(e);
                network = null;
                log.Error("party-failed", config.Study, message: $"party {e.Peer} ({config.EndPoint(e.Peer)}) failed: {e.Message} Waiting for it to come back; this party's stored shares are unchanged.");
            }
            catch (Exception e) when (e is SmpcException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                if (_stopping) return;
                State = e is CertificateRefusedException ? "refused (certificate)" : "reconnecting";
                log.Warn(e is CertificateRefusedException ? "tls-refused" : "compute-mesh", config.Study, message: e.Message);
                if (e is CertificateRefusedException) pause = TimeSpan.FromSeconds(5);
            }
            finally
            {
                _network = null;
                network?.Dispose();
            }
            if (!_stopping) Thread.Sleep(pause);
        }

        AnalystLink? Accept()
        {
            while (!_stopping)
            {
                if (_network is not { } network) return null;
                if (network.AcceptAnalystLink(TimeSpan.FromMilliseconds(250)) is { } link) return link;
                // Between jobs: a peer that stopped or restarted closed its connection; meet the parties again.
                if (network.PeerFailure() is { } failure) throw failure;   // logged as party-failed, naming the party
            }
            return null;
        }
    }

    /// <summary>The registry gate of a study whose study.json names its registry's token key, else none; with the
    /// registry's "url", the gate logs every join and aggregate in the registry's transparency log with this party's
    /// compute operator's token (parties[id].registryToken, else SMPC_REGISTRY_TOKEN), and holds releases that the terms
    /// require a steward to review at the registry (outputReview), and refuses the work tokens revoked at the registry as
    /// well as those registry.revokedTokens lists (TokenRevocations.cs: fail-closed when the registry cannot be asked).</summary>
    PartyGate? Gate()
    {
        if (config.Registry is not { } r) return null;
        _registry = r.Url is { } url ? Registry(url) : null;   // one client (one token read) for the log, the witness and the reviews
        return new PartyGate(new Smpc.Governance.Gating.StudyTokenCheck
        {
            Registry = new Smpc.Governance.Transparency.LogPublicKey(r.Name, Convert.FromBase64String(r.PublicKey)),
            Study = r.StudyId,
            Revoked = r.RevokedTokens.ToHashSet(StringComparer.Ordinal),
        })
        {
            Log = _registry is { } log ? new RegistryComputationLog(log, r.StudyId) : null,
            Witness = _registry is { } witness && r.Log is { } logKey ? LogWitness(witness, logKey) : null,
            Reviews = _registry is { } reviews ? new RegistryReleaseReviews(reviews, r.StudyId) : null,   // releases held for a steward's review
            Revocations = _registry is { } revocations ? new RegistryTokenRevocations(revocations, r.StudyId) : null,   // tokens revoked at the registry
        };
    }

    /// <summary>This party as a witness of the registry's log (registry.log pinned): its witness key from
    /// parties[id].witnessKey, the last head it countersigned kept in its store's folder (witness/STUDY.head.json).</summary>
    RegistryLogWitness LogWitness(Smpc.Analytics.Studies.Registry.RegistryClient registry, Smpc.Analytics.Session.RegistryLogKeyConfig logKey)
    {
        var party = config.Party(id);
        if (party.WitnessKey is not { } file)
            throw new SmpcException($"Study '{config.Study}' pins the registry's log key (registry.log), so each party countersigns its heads, but party {id} has no witness key: create one with `smpc audit witness-key --key FILE --name {party.WitnessName ?? $"party-{id}"}`, have the registry's administrator register its public key (POST /api/log/witnesses), and set parties[{id}].witnessKey to FILE.");
        var path = config.Resolve(file);
        if (!File.Exists(path)) throw new SmpcException($"Study '{config.Study}': party {id}'s witnessKey file '{path}' does not exist (create it with `smpc audit witness-key`).");
        try
        {
            var key = Smpc.Governance.Transparency.LogKey.LoadOrCreate(path, party.WitnessName ?? $"party-{id}");
            var log = new Smpc.Governance.Transparency.LogPublicKey(logKey.Name, Convert.FromBase64String(logKey.PublicKey));
            return new RegistryLogWitness(registry, key, log, Path.Combine(store.Directory, "witness", config.Study + ".head.json"));
        }
        catch (Exception e) when (e is Smpc.Governance.Transparency.LogFormatException or FormatException or Smpc.Analytics.Studies.Registry.RegistryException)
        {
            throw new SmpcException($"Study '{config.Study}', party {id}'s witness: {e.Message}");
        }
    }

    /// <summary>The study's registry, reached with this party's compute operator's token.</summary>
    Smpc.Analytics.Studies.Registry.RegistryClient Registry(string url)
    {
        try { return new Smpc.Analytics.Studies.Registry.RegistryClient(url, RegistryToken()); }
        catch (Smpc.Analytics.Studies.Registry.RegistryException e) { throw new SmpcException($"Study '{config.Study}', registry.url: {e.Message}"); }
    }

    /// <summary>This party's compute operator's registry token.</summary>
    string RegistryToken()
    {
        if (config.Party(id).RegistryToken is { } file)
        {
            var path = config.Resolve(file);
            if (!File.Exists(path)) throw new SmpcException($"Study '{config.Study}': party {id}'s registryToken file '{path}' does not exist.");
            return File.ReadAllText(path).Trim();
        }
        return Environment.GetEnvironmentVariable("SMPC_REGISTRY_TOKEN") is { Length: > 0 } token ? token.Trim()
            : throw new SmpcException($"Study '{config.Study}' logs computations at the registry {config.Registry!.Url}, but party {id} has no credential: set parties[{id}].registryToken in study.json to a file with its compute operator's personal access token, or SMPC_REGISTRY_TOKEN.");
    }

    public void Dispose()
    {
        _stopping = true;
        _thread?.Join(TimeSpan.FromSeconds(5));
        _registry?.Dispose();   // the log, the witness and the reviews share it
    }
}
