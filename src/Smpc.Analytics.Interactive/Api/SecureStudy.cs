using System.Diagnostics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Interactive.Demo;
using Smpc.Analytics.Interactive.Interim;
using Smpc.Analytics.Study;

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

    /// <summary>Opens a study whose three compute parties run elsewhere, as a configuration file describes.</summary>
    public static SecureStudy OpenConfig(string path)
    {
        if (!File.Exists(path)) throw new QueryException($"Study configuration '{path}' does not exist.");
        throw new QueryException($"Remote compute parties (study configuration '{path}') are not available yet in notebooks: " +
                                 "this version runs only the embedded study (three parties in this process). Open it with --open demo.");
    }

    /// <summary>A contributor validates, encodes and secret-shares a dataset (see <see cref="ContributorEncoder"/>).</summary>
    public StudyDataset Contribute(TableSchema schema, PlainTable data, DataUseTerms terms)
    {
        if (terms.Dataset != schema.Name) throw new QueryException($"Data-use terms are for '{terms.Dataset}', not '{schema.Name}'.");
        var table = ContributorEncoder.Share(Engine, schema, data);
        var dataset = new StudyDataset(schema.Name, table, [terms], $"contributed by {terms.Steward}");
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
            var dataset = new StudyDataset(name, outcome.Table, [.. l.Terms, .. r.Terms], $"{left} ⋈ {right} on {on} ({outcome.Method})");
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
            Policy.CheckOperation(d, request.Statistic.Name());
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

    public void Dispose() => Engine.Dispose();
}
