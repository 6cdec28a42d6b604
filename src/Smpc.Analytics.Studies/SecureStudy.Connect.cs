using Smpc.Analytics.Columnar;
using Smpc.Analytics.Session;
using Smpc.Analytics.Studies.Parties;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies;

public sealed partial class SecureStudy
{
    StudyConnection? _connection;
    IReadOnlyList<DatasetWire> _remoteDatasets = [];

    /// <summary>
    /// The analyst's study against three compute party services (<c>smpc party serve</c>) holding data contributed by
    /// others: this process holds no share and no row. Joins and aggregates go to the three parties as study-level requests;
    /// each party checks the analyst's certificate against the data-use terms, runs the terms and disclosure control itself
    /// and returns only the release, accepted here when the three parties agree. The API is the one of a study in this
    /// process (Join, Count, Mean, Median, Ols, Query(…).Where(…).GroupBy(…)); <see cref="Datasets"/> is empty (the
    /// datasets are at the parties: see <see cref="RemoteDatasets"/>).
    /// </summary>
    /// <param name="studyJson">The study configuration (<c>study.json</c>: parties' endpoints, study CA).</param>
    /// <param name="analyst">The analyst's credentials: its certificate names the account the terms' AllowedAnalysts are checked against.</param>
    public static SecureStudy Connect(string studyJson, StudyCredentials analyst, TimeSpan? connectTimeout = null, string? workToken = null)
    {
        ArgumentNullException.ThrowIfNull(analyst);
        var config = StudyConfig.Load(studyJson);
        var connection = StudyConnection.Open(config, analyst, connectTimeout ?? TimeSpan.FromSeconds(30));
        connection.WorkToken = workToken ?? Environment.GetEnvironmentVariable("SMPC_WORK_TOKEN");
        var study = new SecureStudy(config.Study, new ConnectedEngine(), connection.Account) { _connection = connection, _uploadsUseOprf = config.Pseudonymiser == "oprf", _workToken = connection.WorkToken };
        connection.Progress = line => study.Progress?.Invoke(line);
        try { study._remoteDatasets = connection.Call<DatasetWire[]>(new PartyRequest { Op = PartyRequest.Datasets }, out _); }
        catch
        {
            study.Dispose();
            throw;
        }
        return study;
    }

    /// <summary>The analyst's study with the analyst certificate named in <paramref name="studyJson"/>.</summary>
    public static SecureStudy Connect(string studyJson, TimeSpan? connectTimeout = null)
    {
        var config = StudyConfig.Load(studyJson);
        return Connect(studyJson, StudyCredentials.Load(config, StudyMember.Analyst), connectTimeout);
    }

    string? _workToken;

    /// <summary>The registry's work token sent with every request to registry-gated party services (connected or
    /// embedded); set a fresh one when it expires (POST /api/studies/{id}/work-token). Null: none.</summary>
    public string? WorkToken
    {
        get { lock (_gate) return _workToken; }
        set
        {
            lock (_gate)
            {
                _workToken = value;
                if (_connection is not null) _connection.WorkToken = value;
            }
        }
    }

    /// <summary>Whether this study runs at three party services (<see cref="Connect(string, StudyCredentials, TimeSpan?)"/>).</summary>
    public bool IsConnected => _connection is not null && _parties is null;

    /// <summary>The datasets the party services hold that this analyst may use (public: names, released row counts, columns).</summary>
    public IReadOnlyList<DatasetWire> RemoteDatasets => _remoteDatasets;

    bool _uploadsUseOprf;

    /// <summary>Lists a dataset this process contributed to the party services (as its steward: <c>smpc contribute</c>,
    /// DatasetUpload) in <see cref="Datasets"/> — name, shared columns, rows, terms, files with their hashes, for a
    /// report; no share and no row is held here, and queries go to the parties as before.</summary>
    /// <param name="schema">The dataset's schema (its identifiers are not listed: they were pseudonymised at upload).</param>
    public StudyDataset Contributed(TableSchema schema, DataUseTerms terms, int rows, IReadOnlyList<DatasetFile> files)
    {
        ArgumentNullException.ThrowIfNull(schema);
        lock (_gate)
        {
            if (!IsConnected) throw new InvalidOperationException("Contributed lists a dataset uploaded to party services; a study in this process takes Contribute.");
            if (_datasets.ContainsKey(schema.Name)) throw new Statistics.QueryException($"Study '{Name}' already lists a dataset '{schema.Name}'.");
            return Catalogue(schema with { Identifiers = [], Fuzzy = null }, terms, rows, files);
        }
    }

    /// <summary>At the party services the pseudonyms are the ones the contributors made at upload (study.json's
    /// "pseudonymiser"): in an OPRF study a join that leaves the pseudonymiser at its default runs on the OPRF pseudonyms.</summary>
    JoinRelease RemoteJoin(JoinRequest request)
    {
        if (_uploadsUseOprf && request.Pseudonymiser == PseudonymiserKind.KeyedHash) request = request with { Pseudonymiser = PseudonymiserKind.Oprf };
        OperationCost? cost = null;
        var wire = Holding(() => _connection!.Call<JoinWire>(new PartyRequest { Op = PartyRequest.JoinOp, Join = request }, out cost));
        return PartyWire.FromWire(wire, cost ?? throw new SmpcException("The compute parties sent a join without its cost.")) with { LogEntries = _connection!.LastLogEntries };
    }

    Release RemoteAggregate(AggregateRequest request)
    {
        OperationCost? cost = null;
        var wire = Holding(() => _connection!.Call<ReleaseWire>(new PartyRequest { Op = PartyRequest.AggregateOp, Aggregate = request }, out cost));
        return PartyWire.FromWire(wire, cost ?? throw new SmpcException("The compute parties sent a release without its cost.")) with { LogEntries = _connection!.LastLogEntries };
    }

    T Remember<T>(T release) where T : StudyEvent
    {
        _history.Add(release);
        return release;
    }
}
