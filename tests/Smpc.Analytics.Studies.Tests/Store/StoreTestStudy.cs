using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Session;
using Smpc.Analytics.Studies.Store;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Tests.Store;

/// <summary>A study with two contributors and three party store services on loopback TLS, in a temporary folder.
/// Each party's service can be stopped and started again on its store folder (a restart). With <c>pseudonymiser: "oprf"</c>
/// the contributors pseudonymise with the parties' threshold OPRF; <see cref="ServeCompute"/> adds the parties' compute
/// side (the study host over their stores) for an analyst.</summary>
internal sealed class StoreTestStudy : IDisposable
{
    readonly UploadService?[] _services = new UploadService?[3];
    readonly PartyStore?[] _stores = new PartyStore?[3];
    readonly StringWriter[] _logs = [new(), new(), new()];
    readonly List<Thread> _compute = [];
    volatile bool _stopping;

    public StoreTestStudy(string name = "store-test", string? pseudonymiser = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "smpc-store-tests", Guid.NewGuid().ToString("N")[..12]);
        var ports = FreePorts(6);
        Config = StudyCertificates.Create(name, Path.Combine(Root, "certs"), ports[..3], contributors: ["census", "clinic"], uploadPorts: ports[3..]);
        if (pseudonymiser is not null)
        {
            Config = Config with { Pseudonymiser = pseudonymiser };
            Config.Save(ConfigPath);
        }
        PseudonymKey = Convert.FromHexString(File.ReadAllText(Config.Resolve(Config.ContributorKey!)).Trim());
        for (int p = 0; p < 3; p++) Start(p);
    }

    public string Root { get; }
    public StudyConfig Config { get; }
    public byte[] PseudonymKey { get; }
    public string ConfigPath => Path.Combine(Root, "certs", "study.json");

    /// <summary>Every frame each party's upload service received (kind, payload after TLS), across restarts.</summary>
    public List<(byte Kind, byte[] Payload)>[] Received { get; } = [[], [], []];

    public string StoreDir(int party) => Path.Combine(Root, $"store-{party}");
    public PartyStore Store(int party) => _stores[party] ?? throw new InvalidOperationException($"party {party} is stopped");
    public string Log(int party) => _logs[party].ToString();
    public string AllLogs => string.Concat(_logs.Select(l => l.ToString()));

    /// <param name="deviation">Makes the party dishonest: its answers to OPRF points are replaced by this function's.</param>
    public void Start(int party, Func<byte[], byte[]>? deviation = null)
    {
        var store = new PartyStore(StoreDir(party), party);
        var received = Received[party];
        var service = new UploadService(store, new StoreLog(TextWriter.Synchronized(_logs[party]), party))
        {
            IdleTimeout = TimeSpan.FromSeconds(30),
            Received = (kind, payload) => { lock (received) received.Add((kind, payload)); },
            OprfDeviation = deviation,
        };
        service.Serve(Config, StudyCredentials.Load(Config, StudyMember.Party(party)));
        _stores[party] = store;
        _services[party] = service;
    }

    public void Stop(int party)
    {
        _services[party]?.Dispose();
        _stores[party]?.Dispose();
        _services[party] = null;
        _stores[party] = null;
    }

    /// <summary>Starts each party's compute side: the study host over the datasets in its store, on the study's TLS mesh.</summary>
    public List<Exception> ComputeFailures { get; } = [];

    public void ServeCompute()
    {
        for (int p = 0; p < 3; p++)
        {
            int party = p;
            var store = Store(party);
            var thread = new Thread(() =>
            {
                try
                {
                    using var credentials = StudyCredentials.Load(Config, StudyMember.Party(party));
                    using var network = TlsNetwork.Connect(Config, credentials, acceptAnalyst: true);
                    var session = Smpc.Analytics.Session.MpcSession.Establish(party, network.Next, network.Prev);
                    Smpc.Analytics.Studies.Parties.PartyStudyHost.Serve(Config.Study, session, () =>
                    {
                        while (!_stopping)
                            if (network.AcceptAnalystLink(TimeSpan.FromMilliseconds(100)) is { } link) return link;
                        return null;
                    }, new StoreDatasets(store, Config.Study), line => { lock (_logs[party]) _logs[party].WriteLine(line); });
                }
                catch (Exception e) when (!_stopping) { lock (ComputeFailures) ComputeFailures.Add(e); }
                catch (Exception) { /* stopping: the mesh closes under the host */ }
            }) { IsBackground = true, Name = $"store-test-compute-{party}" };
            thread.Start();
            _compute.Add(thread);
        }
    }

    public UploadResult Contribute(string file, TableSchema schema, DataUseTerms terms, string dataset = "patients", string contributor = "census",
        int batchSize = 16, Action<string>? progress = null)
    {
        using var credentials = StudyCredentials.Load(Config, StudyMember.ContributorNamed(contributor));
        return DatasetUpload.Run(Config, credentials, dataset, file, schema, terms, PseudonymKey,
            new UploadOptions { BatchSize = batchSize, Timeout = TimeSpan.FromSeconds(20), Progress = progress });
    }

    /// <summary>Nothing of <paramref name="dataset"/> at any running party: no dataset, no staged or partial file.</summary>
    public void AssertNothingStored(string dataset = "patients")
    {
        for (int p = 0; p < 3; p++)
        {
            if (_stores[p] is not { } store) continue;
            Assert.DoesNotContain(dataset, store.Datasets(Config.Study));
            var folder = Path.Combine(StoreDir(p), Config.Study);
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(folder, "staging")));
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(folder, "datasets")));
        }
    }

    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }

    // ---- a steward's dataset -----------------------------------------------------------------------------

    public static readonly TableSchema Schema = new()
    {
        Name = "patients",
        Columns =
        [
            new ColumnSpec { Name = "ward", Kind = ColumnKind.Categorical, Domain = ["harbourside", "millbrook", "thornfield"] },
            new ColumnSpec { Name = "stay_cost", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 100000 },
            new ColumnSpec { Name = "visits", Kind = ColumnKind.Integer, Min = 0, Max = 100000, Nullable = true },
        ],
        Identifiers =
        [
            new IdentifierSpec { Name = "ssn", Kind = IdentifierKind.Ssn },
            new IdentifierSpec { Name = "given", Kind = IdentifierKind.FirstName },
            new IdentifierSpec { Name = "family", Kind = IdentifierKind.LastName },
            new IdentifierSpec { Name = "born", Kind = IdentifierKind.DateOfBirth },
            new IdentifierSpec { Name = "sex", Kind = IdentifierKind.Sex },
        ],
    };

    public static DataUseTerms Terms(string dataset = "patients") => new()
    {
        Dataset = dataset,
        Steward = "test steward",
        Purpose = "store tests",
        Redisclosure = new RedisclosureTerms { InternalUseOnly = true },
        LinkageColumns = ["ssn", "given", "family", "born", "sex"],
    };

    static readonly string[] Givens = ["Oriel", "Bastian", "Clementine", "Dorotea", "Evander", "Fenella", "Gideon"];
    static readonly string[] Families = ["Quarrington", "Velasquez-Moor", "Abernethy", "Tregothnan", "Ingleby"];

    /// <summary>A CSV of <paramref name="rows"/> rows with distinctive values (long, unlike any count or port).</summary>
    public string WriteCsv(int rows, string name = "patients.csv", Func<int, string>? ward = null)
    {
        var random = new Random(rows);
        var text = new StringBuilder("ssn,given,family,born,sex,ward,stay_cost,visits\n");
        for (int r = 0; r < rows; r++)
        {
            string ssn = (512000000 + random.Next(1, 9999999)).ToString(CultureInfo.InvariantCulture);
            string born = $"{random.Next(1, 13):00}/{random.Next(1, 28):00}/{random.Next(1930, 2000)}";
            string cost = (random.Next(1000000, 9000000) / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
            string visits = r % 7 == 3 ? "" : random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture);
            text.Append($"{ssn},{Givens[r % Givens.Length]},{Families[r % Families.Length]},{born},{(r % 2 == 0 ? "F" : "M")},")
                .Append($"{ward?.Invoke(r) ?? Schema.Columns[0].Domain![r % 3]},{cost},{visits}\n");
        }
        Directory.CreateDirectory(Path.Combine(Root, "data"));
        var path = Path.Combine(Root, "data", name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var t in _compute) t.Join(TimeSpan.FromSeconds(30));
        for (int p = 0; p < 3; p++) Stop(p);
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
