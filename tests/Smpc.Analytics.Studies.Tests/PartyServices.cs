using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Session;
using Smpc.Analytics.Studies.Parties;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// Three compute party services in this process, each on its own thread with its own TLS mesh links, session and
/// analyst listener, serving <see cref="PartyStudyHost"/> over datasets contributed as share files. The contributors
/// (here: the <see cref="Strangers"/> files) share their analysis columns and pseudonym columns under a study linkage
/// key only they hold, one file per party; each party reads only its own file.
/// </summary>
internal sealed class PartyServices : IDisposable
{
    public const string Study = "strangers";
    public const string Analyst = "ana";

    readonly Thread[] _threads = new Thread[3];
    readonly TlsNetwork?[] _networks = new TlsNetwork?[3];
    readonly StudyCredentials?[] _credentials = new StudyCredentials?[3];
    readonly Exception?[] _failures = new Exception?[3];
    volatile bool _stopping;

    public string Folder { get; }
    public StudyConfig Config { get; }
    public string ConfigPath => Path.Combine(Folder, "certs", "study.json");
    public Strangers Data { get; }
    public List<string>[] Logs { get; } = [[], [], []];

    /// <summary>The terms each dataset was contributed under (as the parties hold them).</summary>
    public IReadOnlyDictionary<string, DataUseTerms> Terms { get; private init; } = new Dictionary<string, DataUseTerms>();

    Func<int, PartyGate?> _gates = _ => null;

    PartyServices(string folder, StudyConfig config, Strangers data)
    {
        Folder = folder;
        Config = config;
        Data = data;
    }

    /// <summary>Generates the strangers' files, contributes them as share files (allotments' terms forbid plot_size_m2;
    /// both allow only <see cref="Analyst"/>) and starts the three party services.</summary>
    /// <param name="hiddenFrom">A party whose store does not (yet) hold <paramref name="hidden"/> (null: every party holds every dataset).</param>
    /// <param name="unreadable">Instead: the party's store lists <paramref name="hidden"/> but cannot load it.</param>
    /// <param name="gates">Each party's own gate (e.g. with its own computation log); overrides <paramref name="gate"/>.</param>
    public static PartyServices Start(string folder, int? hiddenFrom = null, string? hidden = null, bool unreadable = false, PartyGate? gate = null,
                                      Func<int, PartyGate?>? gates = null)
    {
        var data = new Strangers(folder);
        data.Prepare();
        var shares = Path.Combine(folder, "shares");
        Directory.CreateDirectory(shares);
        var key = KeyedHashPseudonymiser.NewKey();               // the contributors' study key: never given to a party
        var terms = new Dictionary<string, DataUseTerms>(StringComparer.Ordinal);
        foreach (var c in DatasetFolder.Load(data.Folder))
        {
            var t = c.Terms with
            {
                AllowedAnalysts = [Analyst],
                AllowedColumns = c.Dataset == "allotments" ? c.Terms.AllowedColumns.Where(x => x != "plot_size_m2").ToArray() : c.Terms.AllowedColumns,
            };
            terms[c.Dataset] = t;
            Contribute(c, shares, key);
        }
        var config = StudyCertificates.Create(Study, Path.Combine(folder, "certs"), FreePorts());
        var services = new PartyServices(folder, config, data) { _gates = gates ?? (_ => gate), Terms = terms };
        for (int p = 0; p < 3; p++)
        {
            int party = p;
            var held = party == hiddenFrom && !unreadable ? terms.Where(t => t.Key != hidden).ToDictionary() : terms;
            var store = new ShareFileDatasets(shares, party, held) { Unreadable = party == hiddenFrom && unreadable ? hidden : null };
            services._threads[p] = new Thread(() => services.Run(party, store)) { IsBackground = true, Name = $"party-service-{p}" };
            services._threads[p].Start();
        }
        return services;
    }

    /// <summary>A contributor's side: payload columns and the ssn and name + date of birth pseudonym columns (keyed hash),
    /// encoded by the contributor encoding, each party's views written to its own share file.</summary>
    static void Contribute(Contributor c, string folder, byte[] key)
    {
        using var engine = new SecureEngine();
        var pseudonymiser = new KeyedHashPseudonymiser(key);
        var keys = new[] { LinkageKeyKind.Ssn, LinkageKeyKind.NameDateOfBirth }.Select(k => LinkageKeyKinds.Key(k, c.Schema)).ToArray();
        // The payload as uploads store it (categorical columns as codes, expanded by the parties when a query uses them).
        var payload = ContributorEncoder.ShareViews(c.Dataset, ContributorEncoder.Encode(c.PayloadSchema, c.Analysis));
        var pseudonyms = new SecretTable(c.Dataset, engine, c.SharePseudonyms(engine, keys, pseudonymiser.Scheme, _ => pseudonymiser));
        var views = Enumerable.Range(0, 3).Select(p => new SharedTable(c.Dataset, p, [.. payload[p].Columns, .. SharedTable.FromSecretTable(pseudonyms, p).Columns])).ToArray();
        Assert.NotEmpty(views[0].CodedColumns);
        var header = new ShareFileHeader
        {
            Study = Study, Dataset = c.Dataset, PartyId = 0, UploadId = ShareFileHeader.NewUploadId(),
            Schema = c.Schema with { Columns = views[0].Schema.Columns }, PresenceColumns = views[0].PresenceColumns, CodedColumns = views[0].CodedColumns,
        };
        using var writer = new ShareFileSetWriter(ShareFileSet.For(folder, c.Dataset), header);
        writer.Write(views);
        writer.Commit();
    }

    void Run(int party, IPartyDatasets datasets)
    {
        try
        {
            _credentials[party] = StudyCredentials.Load(Config, StudyMember.Party(party));
            var network = TlsNetwork.Connect(Config, _credentials[party]!, acceptAnalyst: true);
            _networks[party] = network;
            var session = MpcSession.Establish(party, network.Next, network.Prev);
            PartyStudyHost.Serve(Study, session, () =>
            {
                while (!_stopping)
                    if (network.AcceptAnalystLink(TimeSpan.FromMilliseconds(100)) is { } link) return link;
                return null;
            }, datasets, line => { lock (Logs[party]) Logs[party].Add(line); }, _gates(party));
        }
        catch (Exception e) when (_stopping) { _ = e; }
        catch (Exception e) { _failures[party] = e; }
    }

    /// <summary>A certificate for another analyst account, issued by the study CA.</summary>
    public StudyCredentials Credentials(string account) => StudyCredentials.Load(AnalystConfig(account), StudyMember.Analyst);

    /// <summary>The study configuration with a freshly issued certificate and key for <paramref name="account"/>.</summary>
    public StudyConfig AnalystConfig(string account) => StudyCertificates.IssueAnalyst(Config, account, Path.Combine(Folder, "analysts", Guid.NewGuid().ToString("N")[..8]));

    /// <summary>Raw TLS links to the three parties as analyst <paramref name="account"/> (for a client that writes its own frames).</summary>
    public AnalystLink[] RawLinks(string account)
    {
        var credentials = Credentials(account);
        return Enumerable.Range(0, 3).Select(p => AnalystLink.Dial(Config, credentials, p, TimeSpan.FromSeconds(30))).ToArray();
    }

    public void ThrowIfFailed()
    {
        foreach (var f in _failures) if (f is not null) throw new InvalidOperationException("A party service failed.", f);
    }

    static int[] FreePorts()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((System.Net.IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var t in _threads) t?.Join(TimeSpan.FromSeconds(30));
        var closers = _networks.Where(n => n is not null).Select(n => new Thread(() => { try { n!.Dispose(); } catch (Exception) { } })).ToArray();
        foreach (var t in closers) t.Start();
        foreach (var t in closers) t.Join(TimeSpan.FromSeconds(10));
        foreach (var c in _credentials) c?.Dispose();
    }
}

/// <summary>A party's datasets from share files in a folder (the test's stand-in for the party's store).</summary>
internal sealed class ShareFileDatasets(string folder, int party, IReadOnlyDictionary<string, DataUseTerms> terms) : IPartyDatasets
{
    public IReadOnlyList<string> Names => [.. terms.Keys.Order(StringComparer.Ordinal)];

    /// <summary>A dataset this store lists but cannot load (an upload still being written, a damaged file).</summary>
    public string? Unreadable { get; init; }

    public ShareFileContents Load(string dataset) => dataset == Unreadable
        ? throw new ShareFileException(ShareFileProblem.Truncated, $"Share file of '{dataset}' is still being written.")
        : ShareFileReader.Read(ShareFileSet.For(folder, dataset)[party], new ShareFileExpectation { PartyId = party, Study = PartyServices.Study, Dataset = dataset });

    public DataUseTerms Terms(string dataset) => terms[dataset];
}
