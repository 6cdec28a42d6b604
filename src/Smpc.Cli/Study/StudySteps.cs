using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Reporting;
using Smpc.Analytics.Study;

namespace Smpc.Cli.Study;

/// <summary>
/// Runs a study's steps and keeps their record: each query either releases (its result with what it revealed and
/// cost) or is refused by the data-use terms — a refusal is recorded with its rule and the study goes on. Progress is
/// written to <paramref name="log"/> one line per step.
/// </summary>
internal sealed class StudySteps(IComputeEngine engine, string analyst, TextWriter log)
{
    readonly List<ReleaseEntry> _releases = [];
    readonly List<LinkageEntry> _linkages = [];

    public IReadOnlyList<ReleaseEntry> Releases => _releases;
    public IReadOnlyList<LinkageEntry> Linkages => _linkages;
    public IComputeEngine Engine => engine;

    public SecureAnalysis Analysis(Smpc.Analytics.Columnar.SecretTable table, DataUseTerms terms) => new(table, terms, analyst: analyst);

    /// <summary>Runs a query; a refusal by the terms is recorded, not thrown.</summary>
    public ReleaseEntry Query(string title, string dataset, string query, Func<QueryResult> run, ChartRequest? chart = null, Func<ReportTable, string?>? narrative = null,
                              Func<ReportTable, ChartRequest?>? chartFrom = null)
    {
        string id = $"R{_releases.Count + 1:00}";
        ReleaseEntry entry;
        var meter = new Meter(engine);
        try
        {
            var result = run();
            entry = EngineResults.Release(id, title, dataset, result, chart);
            entry = entry with { Narrative = narrative?.Invoke(entry.Table!), Chart = chart ?? chartFrom?.Invoke(entry.Table!) };
            log.WriteLine($"  {id} {title}: {entry.Table!.Rows.Count - entry.Table.SuppressedCount} of {entry.Table.Rows.Count} cells released " +
                          $"({Html.Bytes(entry.Cost.Bytes)}, {entry.Cost.Rounds} rounds, {Html.Seconds(entry.Cost.Elapsed)})");
        }
        catch (PolicyException refused)
        {
            var (cost, reveals) = meter.Stop(0);
            entry = EngineResults.Refusal(id, title, dataset, query, refused.Rule, refused.Message, reveals, cost,
                "The data-use terms refused this query before anything was computed; it is kept here so that reviewers see what was asked.");
            log.WriteLine($"  {id} {title}: refused ({refused.Rule})");
        }
        catch (Exception refused) when (refused is Smpc.Analytics.Statistics.QueryException or Smpc.Analytics.RangeException)
        {
            var (cost, reveals) = meter.Stop(0);
            entry = EngineResults.Refusal(id, title, dataset, query, refused is Smpc.Analytics.RangeException ? "range check" : "query check", refused.Message, reveals, cost,
                "The query could not run under the rules the terms impose; nothing was released. It is kept here so that reviewers see what was asked.");
            log.WriteLine($"  {id} {title}: refused ({entry.RefusedBy}: {refused.Message})");
        }
        _releases.Add(entry);
        return entry;
    }

    /// <summary>Links tables on the passes of <paramref name="options"/> and records the linkage.</summary>
    public JoinResult Link(string name, IReadOnlyList<Agency> agencies, JoinOptions options, string pseudonymisation, IReadOnlyList<string>? notes = null)
    {
        var meter = new Meter(engine);
        var inputs = agencies.Select(a => new JoinInput(a.Table, DuplicatePolicy.KeepFirst, a.Terms)).ToArray();
        var result = SecureJoin.Run(inputs, options);
        var (cost, reveals) = meter.Stop(agencies.Sum(a => a.Rows));
        _linkages.Add(EngineResults.Linkage(name, agencies.Select(a => a.Name).ToArray(), options, result, pseudonymisation, reveals, cost, notes));
        log.WriteLine($"  linkage {name}: {result.Table.RowCount:N0} linked rows ({Html.Bytes(cost.Bytes)}, {cost.Rounds} rounds, {Html.Seconds(cost.Elapsed)})");
        return result;
    }
}
