using Smpc.Analytics.Columnar;
using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Queries;

namespace Smpc.Analytics.Studies;

/// <summary>
/// A study as the analyst drives it — from C#, a notebook or the command line: secret datasets held by three compute
/// parties (contributed by agencies under their data-use terms), joins that link them into new secret datasets
/// (<see cref="Join(JoinRequest)"/>, the Linkage layer), and aggregates whose cells pass disclosure control inside the
/// computation (<see cref="Aggregate"/>, the Statistics and Disclosure layers). Every operation is recorded in
/// <see cref="History"/> with its cost and what it revealed to whom.
/// </summary>
/// <example><code>
/// using var study = SecureStudy.OpenSynthetic();
/// var linked = study.Join("veterans", "bank");                       // SSN, then name + date of birth
/// var byEra = study.Mean(linked.Dataset, "balance", "service_era");  // a Release: DataFrame + metadata
/// var fit = study.Ols(linked.Dataset, "balance", "monthly_benefit", "age");
/// </code></example>
public sealed partial class SecureStudy : IDisposable
{
    readonly Dictionary<string, StudyDataset> _datasets = new(StringComparer.Ordinal);
    readonly List<string> _order = [];
    readonly List<StudyEvent> _history = [];
    readonly Lock _gate = new();
    readonly List<IDisposable> _owned = [];
    readonly StudyPseudonymisers _pseudonymisers;
    bool _disposed;

    /// <param name="name">Name of the study.</param>
    /// <param name="engine">The compute parties: <see cref="SecureEngine"/> (in this process), <see cref="RemoteEngine"/>
    /// (three party processes) or <see cref="PlaintextEngine"/> (the plaintext reference). The study owns it.</param>
    /// <param name="analyst">The analyst's account, checked against each dataset's AllowedAnalysts (null: not checked).</param>
    /// <param name="ledger">Differential-privacy budget ledger (default: in memory).</param>
    public SecureStudy(string name, IComputeEngine engine, string? analyst = null, PrivacyBudgetLedger? ledger = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A study needs a name.", nameof(name));
        Name = name;
        Engine = engine ?? throw new ArgumentNullException(nameof(engine));
        Analyst = analyst;
        Ledger = ledger ?? new PrivacyBudgetLedger();
        _pseudonymisers = new StudyPseudonymisers(engine);
    }

    public string Name { get; }
    public IComputeEngine Engine { get; }
    public string? Analyst { get; private set; }
    public PrivacyBudgetLedger Ledger { get; }

    /// <summary>The study-wide disclosure model: every table release is checked against the study's earlier releases on
    /// the same dataset before it is opened (Disclosure/Audit/DisclosureLedger.cs in the engine).</summary>
    public DisclosureLedger Disclosure { get; private init; } = new();

    /// <summary>The folder the contributors read their files from (synthetic agencies), or null.</summary>
    public string? DataFolder { get; private set; }

    /// <summary>The plaintext ground truth of synthetic agencies (for checks in notebooks and tests); null otherwise.</summary>
    public SyntheticTruth? GroundTruth { get; private set; }

    public IReadOnlyList<StudyDataset> Datasets { get { lock (_gate) return _order.Select(n => _datasets[n]).ToArray(); } }

    /// <summary>Every join and release so far, in order.</summary>
    public IReadOnlyList<StudyEvent> History { get { lock (_gate) return _history.ToArray(); } }

    public IReadOnlyList<JoinRelease> Joins => History.OfType<JoinRelease>().ToArray();
    public IReadOnlyList<Release> Releases => History.OfType<Release>().ToArray();

    public bool Has(string dataset) { lock (_gate) return _datasets.ContainsKey(dataset); }

    /// <summary>Called with a line of progress during long operations (each contribution shared; each join or query sent
    /// to the parties and answered). A notebook cell shows them as they come; null: none.</summary>
    public Action<string>? Progress { get; set; }

    public StudyDataset Dataset(string name)
    {
        lock (_gate)
            return _datasets.TryGetValue(name, out var d) ? d
                : _parties is not null && _history.OfType<JoinRelease>().Any(j => j.Dataset == name)
                ? throw new QueryException($"'{name}' is a join held by the compute parties: query it by name (Count, Mean, Query(\"{name}\")…); what was released of it is its JoinRelease (Joins).")
                : throw new QueryException($"Unknown dataset '{name}' in study '{Name}'. Datasets: {(_order.Count == 0 ? "none yet" : string.Join(", ", _order))}.");
    }

    /// <summary>A contributor shares its dataset's analysis columns; its identifiers stay with it for later joins.</summary>
    public StudyDataset Contribute(Contributor contributor)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            Progress?.Invoke($"{contributor.Dataset}: validating, pseudonymising and sharing {contributor.Analysis.RowCount:N0} rows…");
            if (_parties is not null) return ContributeToParties(contributor);
            if (_datasets.ContainsKey(contributor.Dataset)) throw new QueryException($"Study '{Name}' already has a dataset '{contributor.Dataset}'.");
            var table = contributor.Share(Engine);
            var columns = table.Columns.ToDictionary(c => c.Name, c => new ColumnOrigin(contributor.Dataset, c.Name, contributor.Terms), StringComparer.Ordinal);
            var dataset = new StudyDataset(contributor.Dataset, table, [contributor.Terms], $"contributed by {contributor.Terms.Steward}", columns, contributor.Files, contributor);
            Add(dataset);
            return dataset;
        }
    }

    /// <summary>Contributes a dataset without identifiers (it can be analysed, not linked).</summary>
    public StudyDataset Contribute(TableSchema schema, PlainTable data, DataUseTerms terms) =>
        Contribute(new Contributor(schema, data, new PlainTable(schema.Name + " identifiers"), terms));

    /// <summary>Links contributed datasets; the result is a new secret dataset of the study. Asked again for the same
    /// linkage under the same name (a notebook cell run twice, a second <c>smpc analyze</c> at the party services), it
    /// answers with the earlier join: nothing is linked or revealed again. Another request under a taken name is refused.</summary>
    public JoinRelease Join(JoinRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_history.OfType<JoinRelease>().LastOrDefault(j => j.Dataset == request.ResultName) is { } earlier && earlier.Request.SameAs(request))
                return earlier;
            ConnectToParties();
            if (_connection is not null) return Remember(RemoteJoin(request));
            using var progress = Progress is { } sink ? OperationProgress.To(sink) : null;    // a party's study keeps its host's sink
            var (dataset, release) = StudyJoin.Run(this, request, _pseudonymisers, _history.Count + 1);
            Add(dataset);
            _history.Add(release);
            return release;
        }
    }

    /// <summary>Inner join of two datasets on SSN, then name + date of birth (+ sex), with the keyed-hash pseudonymiser.</summary>
    public JoinRelease Join(string left, string right, string? name = null) => Join(new JoinRequest { Datasets = [left, right], Name = name });

    /// <summary>Computes an aggregate; only cells that pass disclosure control are revealed.</summary>
    public Release Aggregate(AggregateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            ThrowIfDisposed();
            ConnectToParties();
            if (_connection is not null) return Remember(RemoteAggregate(request));
            using var progress = Progress is { } sink ? OperationProgress.To(sink) : null;
            var release = StudyAggregation.Run(this, Dataset(request.Dataset), request, _history.Count + 1);
            _history.Add(release);
            return release;
        }
    }

    void Add(StudyDataset dataset)
    {
        _datasets.Add(dataset.Name, dataset);
        _order.Add(dataset.Name);
    }

    void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    public override string ToString() => $"study '{Name}' on {Engine.Name}: {string.Join(", ", Datasets.Select(d => $"{d.Name} ({d.RowsText} rows)"))}";

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        Engine.Dispose();
        _connection?.Dispose();
        _parties?.Dispose();
        foreach (var d in _owned) d.Dispose();
    }
}
