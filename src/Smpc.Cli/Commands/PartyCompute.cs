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
/// breaks (a party stopped), it logs the reason and joins again, so a restarted party resumes with its stored shares.
/// </summary>
internal sealed class PartyCompute(int id, StudyConfig config, StudyCredentials credentials, PartyStore store, StoreLog log) : IDisposable
{
    volatile bool _stopping;
    TlsNetwork? _network;
    Thread? _thread;

    public string Study => config.Study;
    public string State { get; private set; } = "connecting";

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"compute {config.Study}" };
        _thread.Start();
    }

    void Run()
    {
        while (!_stopping)
        {
            try
            {
                State = "connecting";
                using var network = TlsNetwork.Connect(config, credentials, new TlsNetworkOptions { ConnectTimeout = TimeSpan.FromSeconds(30) }, acceptAnalyst: true);
                _network = network;
                var session = MpcSession.Establish(id, network.Next, network.Prev);
                State = "serving";
                log.Info("compute-ready", config.Study);
                PartyStudyHost.Serve(config.Study, session, Accept, new StoreDatasets(store, config.Study), line => log.Info("compute", config.Study, message: line), Gate());
            }
            catch (Exception e) when (e is SmpcException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                if (_stopping) return;
                State = "reconnecting";
                log.Warn("compute-mesh", config.Study, message: e.Message);
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
            finally { _network = null; }
        }

        AnalystLink? Accept()
        {
            while (!_stopping)
            {
                if (_network is not { } network) return null;
                if (network.AcceptAnalystLink(TimeSpan.FromMilliseconds(250)) is { } link) return link;
                // Between jobs: a peer that stopped or restarted closed its connection; meet the parties again.
                if (!network.PeersConnected()) throw new SmpcException("a peer party's connection closed; joining the parties again");
            }
            return null;
        }
    }

    /// <summary>The registry gate of a study whose study.json names its registry's token key, else none.</summary>
    PartyGate? Gate() => config.Registry is { } r
        ? new PartyGate(new Smpc.Governance.Gating.StudyTokenCheck
        {
            Registry = new Smpc.Governance.Transparency.LogPublicKey(r.Name, Convert.FromBase64String(r.PublicKey)),
            Study = r.StudyId,
            Revoked = r.RevokedTokens.ToHashSet(StringComparer.Ordinal),
        })
        : null;

    public void Dispose()
    {
        _stopping = true;
        _thread?.Join(TimeSpan.FromSeconds(5));
    }
}
