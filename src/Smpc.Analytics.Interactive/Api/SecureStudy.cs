using System.Diagnostics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Interactive.Demo;
using Smpc.Analytics.Interactive.Interim;
using Smpc.Analytics.Session;
using Smpc.Analytics.Study;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Interactive.Api;

/// <summary>
/// A study as the analyst drives it, from C# or through the magics: secret datasets held by three compute
/// parties, joins that produce new secret datasets, and aggregates whose released cells passed disclosure
/// control. Every operation reports its cost and what it revealed to whom.
/// </summary>
/// <example><code>
/// using var study = SecureStudy.OpenDemo();
/// var linked = study.Join("veterans", "bank", on: "ssn");
/// var release = study.Aggregate(new AggregateRequest { Dataset = linked.Dataset, Statistic = Statistic.Mean, Column = "balance", GroupBy = ["era"] });
/// </code></example>
public sealed class SecureStudy : IDisposable
{
    readonly Dictionary<string, StudyDataset> _datasets = new(StringComparer.Ordinal);
    readonly List<object> _history = [];
    readonly Lock _gate = new();
    readonly List<IDisposable> _owned = [];

    public SecureStudy(string name, IComputeEngine engine, ISecureJoiner? joiner = null, ISecureAggregator? aggregator = null)
    {
        Name = name;
        Engine = engine;
        Joiner = joiner ?? new KeyedHashJoiner();
        Aggregator = aggregator ?? new OneHotAggregator();
    }

    public string Name { get; }
    public IComputeEngine Engine { get; }
    public ISecureJoiner Joiner { get; }
    public ISecureAggregator Aggregator { get; }

    /// <summary>The demo's plaintext (for checks in teaching notebooks); null for a real study.</summary>
    public DemoData? GroundTruth { get; private init; }

    public IReadOnlyList<StudyDataset> Datasets { get { lock (_gate) return _datasets.Values.ToArray(); } }

    /// <summary>Every join and release so far, in order.</summary>
    public IReadOnlyList<object> History { get { lock (_gate) return _history.ToArray(); } }

    /// <summary>Opens the embedded demo study: three compute parties in this process, two synthetic agency
    /// datasets (<c>veterans</c>, <c>bank</c>) shared by their contributors.</summary>
    public static SecureStudy OpenDemo(int veterans = 2000, int seed = 2026, string name = "demo", IComputeEngine? engine = null,
                                       ISecureJoiner? joiner = null, ISecureAggregator? aggregator = null)
    {
        var data = DemoData.Generate(veterans, seed);
        var study = new SecureStudy(name, engine ?? new SecureEngine(), joiner, aggregator) { GroundTruth = data };
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);   // contributors' pseudonym key
        study.Contribute(DemoContributors.VeteransSchema, DemoContributors.Veterans(data, key), DemoContributors.Terms("veterans", "VA (demo)"));
        study.Contribute(DemoContributors.BankSchema, DemoContributors.Bank(data, key), DemoContributors.Terms("bank", "Bank (demo)"));
        return study;
    }

    /// <summary>Opens a study over the synthetic agencies of <c>data/synthetic</c> (veterans, bank, survey), each under
    /// its own data-use terms, on the given engine (default: three parties in this process).</summary>
    public static SecureStudy OpenSynthetic(string? folder = null, string name = "synthetic", IComputeEngine? engine = null,
                                            ISecureJoiner? joiner = null, ISecureAggregator? aggregator = null)
    {
        var dir = SyntheticAgencies.Locate(folder);
        var study = new SecureStudy(name, engine ?? new SecureEngine(), joiner, aggregator) { DataFolder = dir };
        try { SyntheticAgencies.Contribute(study, dir, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)); }
        catch { study.Dispose(); throw; }
        return study;
    }

    /// <summary>The folder the study's files came from (synthetic agencies), or null.</summary>
    public string? DataFolder { get; private init; }

    /// <summary>
    /// Opens a study whose three compute parties run as separate processes (<c>smpc party --id N --config study.json
    /// --serve</c>), connecting over TLS 1.3 with the analyst's study certificate named in the configuration. This
    /// notebook then acts as the contributors of <paramref name="data"/> ("demo" or "synthetic"): it shares each
    /// dataset and sends every party only its own shares.
    /// </summary>
    public static SecureStudy OpenRemote(string configPath, string data = "demo", int veterans = 2000, int seed = 2026, string? folder = null,
                                         string name = "remote", TimeSpan? connectTimeout = null)
    {
        if (!File.Exists(configPath)) throw new QueryException($"Study configuration '{configPath}' does not exist.");
        var config = StudyConfig.Load(configPath);
        var analyst = StudyCredentials.Load(config, StudyMember.Analyst);
        RemoteEngine engine;
        try { engine = RemoteEngine.Connect(config, analyst, connectTimeout ?? TimeSpan.FromSeconds(30)); }
        catch { analyst.Dispose(); throw; }
        var study = data.ToLowerInvariant() switch
        {
            "demo" => OpenDemo(veterans, seed, name, engine),
            "synthetic" => OpenSynthetic(folder, name, engine),
            _ => throw new QueryException($"Unknown data '{data}': use demo or synthetic."),
        };
        study._owned.Add(analyst);
        return study;
    }

    /// <summary>A contributor validates, encodes and secret-shares a dataset (see <see cref="ContributorEncoder"/>).</summary>
    public StudyDataset Contribute(TableSchema schema, PlainTable data, DataUseTerms terms)
    {
        if (terms.Dataset != schema.Name) throw new QueryException($"Data-use terms are for '{terms.Dataset}', not '{schema.Name}'.");
        var table = ContributorEncoder.Share(Engine, schema, data);
        var dataset = StudyDataset.Contributed(table, terms, $"contributed by {terms.Steward}");
        lock (_gate)
        {
            if (_datasets.ContainsKey(schema.Name)) throw new QueryException($"Study '{Name}' already has a dataset '{schema.Name}'.");
            _datasets.Add(schema.Name, dataset);
        }
        return dataset;
    }

    public StudyDataset Dataset(string name)
    {
        lock (_gate)
            return _datasets.TryGetValue(name, out var d) ? d
                : throw new QueryException($"Unknown dataset '{name}' in study '{Name}'. Datasets: {string.Join(", ", _datasets.Keys)}.");
    }

    /// <summary>Links two datasets on a key column; the result is a new secret dataset of the study.</summary>
    public JoinRelease Join(string left, string right, string on, string? name = null)
    {
        lock (_gate)
        {
            name ??= $"{left}_{right}";
            if (_datasets.ContainsKey(name)) throw new QueryException($"Study '{Name}' already has a dataset '{name}'; choose another --name.");
            var l = Dataset(left);
            var r = Dataset(right);
            Policy.CheckOperation(l, "join"); Policy.CheckOperation(r, "join");
            Policy.CheckLinkage(l, on); Policy.CheckLinkage(r, on);
            var (outcome, cost) = Measure(l.RowCount + r.RowCount, () => Joiner.Join(l.Table, r.Table, on, name));
            var dataset = new StudyDataset(name, outcome.Table, [.. l.Terms, .. r.Terms], $"{left} ⋈ {right} on {on} ({outcome.Method})",
                                           JoinedOrigins(outcome.Table, l, r));
            _datasets.Add(name, dataset);
            var release = new JoinRelease(name, left, right, on, outcome.LeftRows, outcome.RightRows, outcome.MatchedRows, outcome.Method,
                                          outcome.Table.Columns.Select(c => c.Name).ToArray(), cost);
            _history.Add(release);
            return release;
        }
    }

    /// <summary>Computes an aggregate; only cells that pass disclosure control are revealed.</summary>
    public Release Aggregate(AggregateRequest request)
    {
        lock (_gate)
        {
            var d = Dataset(request.Dataset);
            Policy.CheckOperation(d, request.Statistic.OperationName());
            if (request.GroupBy.Count == 1) Policy.CheckOperation(d, "groupby");
            if (request.GroupBy.Count == 2) Policy.CheckOperation(d, "crosstab");
            foreach (var c in request.GroupBy.Append(request.Column).Append(request.Predictor))
                if (c is not null) Policy.CheckColumn(d, c);
            if (!Aggregator.Supports.Contains(request.Statistic))
                throw new QueryException($"'{request.Statistic.Name()}' is not available yet: this study's aggregator ({Aggregator.GetType().Name}) " +
                                         $"computes {string.Join(", ", Aggregator.Supports.Select(s => s.Name()))}.");
            var rules = DisclosureRules.From(d.Terms);
            var (table, cost) = Measure(d.RowCount, () => Aggregator.Aggregate(d.Table, request, rules));
            var release = new Release(request, table, rules, cost)
            {
                PredictorRange = request.Predictor is { } x && d.Table[x].Spec is { Min: { } lo, Max: { } hi } ? (lo, hi) : null,
            };
            _history.Add(release);
            return release;
        }
    }

    public Release Count(string dataset, params string[] groupBy) =>
        Aggregate(new AggregateRequest { Dataset = dataset, Statistic = Statistic.Count, GroupBy = groupBy });

    public Release Sum(string dataset, string column, params string[] groupBy) =>
        Aggregate(new AggregateRequest { Dataset = dataset, Statistic = Statistic.Sum, Column = column, GroupBy = groupBy });

    public Release Mean(string dataset, string column, params string[] groupBy) =>
        Aggregate(new AggregateRequest { Dataset = dataset, Statistic = Statistic.Mean, Column = column, GroupBy = groupBy });

    public Release Histogram(string dataset, string column, IReadOnlyList<double> bins, params string[] groupBy) =>
        Aggregate(new AggregateRequest { Dataset = dataset, Statistic = Statistic.Histogram, Column = column, Bins = bins, GroupBy = groupBy });

    public Release Regression(string dataset, string outcome, string predictor, params string[] groupBy) =>
        Aggregate(new AggregateRequest { Dataset = dataset, Statistic = Statistic.Regression, Column = outcome, Predictor = predictor, GroupBy = groupBy });

    /// <summary>Where each column of a join result came from: a left column keeps its name; a right column keeps its
    /// name or, when the left has one of the same name, is called "&lt;right&gt;.&lt;column&gt;".</summary>
    static Dictionary<string, ColumnOrigin> JoinedOrigins(SecretTable joined, StudyDataset left, StudyDataset right)
    {
        var origins = new Dictionary<string, ColumnOrigin>(StringComparer.Ordinal);
        foreach (var c in joined.Columns)
        {
            string prefix = right.Name + ".";
            if (left.Columns.TryGetValue(c.Name, out var o)) origins[c.Name] = o;
            else if (c.Name.StartsWith(prefix, StringComparison.Ordinal) && right.Columns.TryGetValue(c.Name[prefix.Length..], out o)) origins[c.Name] = o;
            else if (right.Columns.TryGetValue(c.Name, out o)) origins[c.Name] = o;
        }
        return origins;
    }

    (T Result, OperationCost Cost) Measure<T>(int rows, Func<T> operation)
    {
        var before = Engine.Traffic.ToArray();
        int reveals = Engine.Reveals.Count;
        var clock = Stopwatch.StartNew();
        var result = operation();
        clock.Stop();
        var after = Engine.Traffic;
        long bytes = 0, rounds = 0;
        for (int p = 0; p < after.Count; p++)
        {
            var delta = p < before.Length ? after[p] - before[p] : after[p];
            bytes += delta.BytesSent;
            rounds = Math.Max(rounds, delta.Rounds);
        }
        return (result, new OperationCost(rows, rounds, bytes, clock.Elapsed, Engine.Reveals.Skip(reveals).ToArray()));
    }

    public void Dispose()
    {
        Engine.Dispose();
        foreach (var d in _owned) d.Dispose();
    }
}
