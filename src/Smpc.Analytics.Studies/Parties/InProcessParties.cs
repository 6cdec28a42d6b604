// The embedded default as the product's own form in one process: three compute party services (PartyStudyHost, each on
// its own thread with its own session over in-memory links), contributors that share their datasets the way
// `smpc contribute` does (validate, pseudonymise the identifiers under the contributors' key, encode, secret-share in
// batches; each party receives only its own share file), and an analyst that sends study-level requests over in-process
// analyst links (StudyConnection) and receives releases only. The study program, the data-use terms and disclosure
// control run at the parties, exactly as at `smpc party serve`; what differs from three hosts is only the transport
// (memory instead of TLS) and the store (share files in a private temporary folder instead of the encrypted party store).
// Security: one process holds every role, so this is a teaching and development setting, not a boundary; the data flow
// is the production one (LEAKAGE.md, "Embedded default").
using System.Collections.Concurrent;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Session;
using Smpc.Analytics.Studies.Store;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Parties;

internal sealed class InProcessParties : IDisposable
{
    /// <summary>In one process no link falls silent on its own; a failed party closes its links (below).</summary>
    static readonly FramedLinkOptions LinkOptions = new() { HeartbeatInterval = Timeout.InfiniteTimeSpan, ReceiveTimeout = Timeout.InfiniteTimeSpan };

    readonly string _study;
    readonly LocalCluster _cluster;
    readonly Thread[] _threads = new Thread[3];
    readonly BlockingCollection<AnalystLink?>[] _arrivals = [new(), new(), new()];
    readonly PartyFolder[] _stores;
    readonly byte[] _contributorsKey = KeyedHashPseudonymiser.NewKey();   // the contributors' keyed-hash key: never given to a party
    readonly OprfKeyShare[]? _oprfKeys;                                    // party p's OPRF key share is used by party p's endpoint only
    readonly Exception?[] _failures = new Exception?[3];
    readonly PartyEngine?[] _engines = new PartyEngine?[3];
    readonly List<AnalystLink> _partySides = [];
    readonly Lock _gate = new();
    readonly Func<int, PartyGate?>? _gates;
    bool _disposed;

    /// <param name="oprf">Pseudonyms by the parties' threshold OPRF at upload (as a study.json with "pseudonymiser": "oprf"),
    /// each party applying its own key share; else by the contributors' keyed hash.</param>
    /// <param name="gates">Party p's registry gate (work tokens, computation log), or null: not gated.</param>
    public InProcessParties(string study, bool checkAnalysts, bool oprf = false, Transport.LinkProfile? links = null, Func<int, PartyGate?>? gates = null)
    {
        _gates = gates;
        _study = study;
        _oprfKeys = oprf ? OprfKeyShare.GenerateForParties() : null;
        Folder = Path.Combine(Path.GetTempPath(), "smpc-embedded-" + Guid.NewGuid().ToString("N")[..12]);
        _stores = [.. Enumerable.Range(0, 3).Select(p => new PartyFolder(Path.Combine(Folder, $"party-{p}"), study, p))];
        _cluster = links is null ? new LocalCluster() : LoopbackTlsCluster.Start(links);
        for (int p = 0; p < 3; p++)
        {
            int party = p;
            _threads[p] = new Thread(() => Serve(party, checkAnalysts)) { IsBackground = true, Name = $"embedded-party-{p}" };
            _threads[p].Start();
        }
    }

    /// <summary>What party 0 opened, to whom and why (the three parties' logs are the same: they run one program).</summary>
    public IReadOnlyList<RevealRecord> Reveals => _engines[0]?.Reveals ?? [];

    /// <summary>Each party's traffic on its links so far.</summary>
    public IReadOnlyList<TrafficSnapshot> Traffic => [.. _engines.Select(e => e?.Traffic[0] ?? default)];

    /// <summary>The private folder of the three parties' share files (deleted with the study).</summary>
    public string Folder { get; }

    /// <summary>Each party's service log (no share value, no identifier).</summary>
    public List<string>[] Logs { get; } = [[], [], []];

    void Serve(int party, bool checkAnalysts)
    {
        try
        {
            PartyStudyHost.Serve(_study, _cluster.Session(party), () => _arrivals[party].Take(), _stores[party],
                line => { lock (Logs[party]) Logs[party].Add(line); }, _gates?.Invoke(party), checkAnalysts: checkAnalysts, started: e => _engines[party] = e,
                linkKind: _cluster.InMemory ? "in-process" : null);
        }
        catch (Exception e)
        {
            _failures[party] = e;
            lock (_gate) foreach (var l in _partySides) l.Dispose();   // the analyst's pending request fails, naming the party
        }
    }

    /// <summary>The contributor's side, as <c>smpc contribute</c> runs it: the dataset pseudonymised under the contributors'
    /// key (every linkage key its identifiers and terms allow), encoded and secret-shared in batches; each party's share
    /// file is written to that party's folder only, and committed at all three or at none.</summary>
    public void Contribute(Contributor contributor)
    {
        ThrowIfFailed();
        var name = contributor.Dataset;
        PartyStore.CheckName(name, "dataset");
        if (_stores.Any(s => s.Names.Contains(name))) throw new Statistics.QueryException($"Study '{_study}' already has a dataset '{name}'.");
        var contents = new DatasetContents(contributor.Schema, contributor.Analysis, contributor.Identifiers, name);
        IPseudonymiser pseudonymiser = _oprfKeys is null ? new KeyedHashPseudonymiser(_contributorsKey) : new SchemeOnlyPseudonymiser(OprfPseudonymiser.SchemeName);
        var source = UploadSource.Of(contents, contributor.Terms, pseudonymiser, DatasetUpload.AutoBatch(contributor.Schema, new UploadOptions().TargetBatchBytes), _ => { });
        var header = new ShareFileHeader
        {
            Study = _study, Dataset = name, PartyId = 0, UploadId = ShareFileHeader.NewUploadId(), Schema = source.SharedSchema,
            PresenceColumns = ContributorEncoder.StoredPresence(source.SharedSchema), CodedColumns = ContributorEncoder.StoredCodes(source.SharedSchema),
        };
        if (_oprfKeys is { } keys) pseudonymiser = OprfAtUpload(keys, name, header.UploadId, source);
        var writers = new ShareFileWriter[3];
        try
        {
            for (int p = 0; p < 3; p++) writers[p] = new ShareFileWriter(_stores[p].PathOf(name), header.ForParty(p));
            foreach (var batch in source.Batches(pseudonymiser))
            {
                var views = ContributorEncoder.ShareViews(name, ContributorEncoder.Encode(source.SharedSchema, batch));
                for (int p = 0; p < 3; p++) writers[p].Write(views[p]);
            }
            foreach (var w in writers) w.Finish();
            foreach (var w in writers) w.Commit();
        }
        finally
        {
            foreach (var w in writers) w?.Dispose();
        }
        for (int p = 0; p < 3; p++) _stores[p].Add(name, contributor.Terms);
    }

    /// <summary>The share manifest of a contributed dataset: one line per party, the SHA-256 of that party's share file
    /// and its name (what a contributor's upload receipt at the registry names by its own SHA-256).</summary>
    public string ShareManifest(string dataset)
    {
        if (!_stores.All(s => s.Names.Contains(dataset))) throw new Statistics.QueryException($"Study '{_study}' has no contributed dataset '{dataset}'.");
        var lines = Enumerable.Range(0, 3).Select(p =>
        {
            var path = _stores[p].PathOf(dataset);
            using var file = File.OpenRead(path);
            return $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file))}  party-{p}/{Path.GetFileName(path)}";
        });
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>The OPRF as an upload to `smpc party serve` evaluates it (UploadOprfClient with each party's
    /// OprfEndpoint: allowance for this upload's rows and keys, blinded points through the three key shares in turn,
    /// check points), the endpoints called directly instead of over the upload connections.</summary>
    OprfPseudonymiser OprfAtUpload(OprfKeyShare[] keys, string dataset, string uploadId, UploadSource source)
    {
        var upload = new StagedUpload(_study, dataset, uploadId, SharingId: "", FileSha256: "", SchemaSha256: "", TermsSha256: "", source.Rows, 0, "", dataset);
        var endpoints = Enumerable.Range(0, 3).Select(p => new OprfEndpoint(() => keys[p], p, _study, studyUsesOprf: true)).ToArray();
        foreach (var e in endpoints) e.CheckScheme(source.SharedSchema);
        return UploadOprfClient.Pseudonymiser([.. endpoints.Select(e => (Func<UploadMessage, UploadMessage>)(m => e.Grant(m, upload)))],
            [.. endpoints.Select(e => (Func<byte[], byte[]>)e.Evaluate)], dataset, dataset, uploadId, source.Rows, source.SharedSchema, _ => { });
    }

    /// <summary>A new analyst job at the three parties (they adopt the datasets contributed since the last one).</summary>
    public StudyConnection Connect(string account)
    {
        ThrowIfFailed();
        var analystSides = new AnalystLink[3];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (int p = 0; p < 3; p++)
            {
                var (analyst, party) = AnalystLink.InProcess(account, p, LinkOptions);
                analystSides[p] = analyst;
                _partySides.Add(party);
                _arrivals[p].Add(party);
            }
        }
        return StudyConnection.InProcess(analystSides);
    }

    void ThrowIfFailed()
    {
        for (int p = 0; p < 3; p++)
            if (_failures[p] is { } e) throw new SmpcException($"Compute party {p} of the embedded study stopped: {e.Message}", e);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var a in _arrivals) a.Add(null);   // each party's service ends after its current job
        }
        foreach (var t in _threads) if (!t.Join(TimeSpan.FromSeconds(30))) break;   // a party still in a job: its links close below
        lock (_gate) foreach (var l in _partySides) l.Dispose();
        _cluster.Dispose();
        foreach (var a in _arrivals) a.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>One party's contributed datasets: its own share files, read with the checks a party's store applies
    /// (study, dataset, party id, checksums).</summary>
    sealed class PartyFolder(string folder, string study, int party) : IPartyDatasets
    {
        readonly List<string> _names = [];
        readonly Dictionary<string, DataUseTerms> _terms = new(StringComparer.Ordinal);

        public IReadOnlyList<string> Names { get { lock (_names) return [.. _names]; } }

        public string? BudgetLedgerPath { get { Directory.CreateDirectory(folder); return Path.Combine(folder, "privacy-budget.jsonl"); } }

        public string PathOf(string dataset)
        {
            Directory.CreateDirectory(folder);
            return ShareFileSet.For(folder, dataset)[party];
        }

        public void Add(string dataset, DataUseTerms terms)
        {
            lock (_names)
            {
                _terms[dataset] = terms;
                _names.Add(dataset);
            }
        }

        public ShareFileContents Load(string dataset) =>
            ShareFileReader.Read(PathOf(dataset), new ShareFileExpectation { PartyId = party, Study = study, Dataset = dataset });

        public DataUseTerms Terms(string dataset) { lock (_names) return _terms[dataset]; }
    }
}
