using Smpc.Analytics;
using Smpc.Analytics.Reporting;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Queries;
using StudyChartKind = Smpc.Analytics.Studies.ChartKind;

namespace Smpc.Cli.Study;

/// <summary>
/// Runs a study's steps on the study API and keeps the report's record of them: each query either releases (its
/// table, rules, what it revealed to whom, its cost, its chart) or is refused — by the data-use terms or a check of
/// the query — and the refusal is recorded with its rule while the study goes on. One progress line per step.
/// </summary>
internal sealed class StudySteps(SecureStudy study, TextWriter log, StudyLog? record = null)
{
    readonly List<ReleaseEntry> _releases = [];
    readonly List<LinkageEntry> _linkages = [];

    public SecureStudy Study => study;
    public IReadOnlyList<ReleaseEntry> Releases => _releases;
    public IReadOnlyList<LinkageEntry> Linkages => _linkages;

    /// <summary>Runs a query; a refusal is recorded, not thrown. <paramref name="id"/>: the release's id (default R01, R02, … in order).</summary>
    public ReleaseEntry Query(string title, string dataset, string query, Func<Release> run, StudyChartKind chart = StudyChartKind.Auto, string? value = null,
                              Func<ReportTable, ChartRequest?>? custom = null, Func<ReportTable, string?>? narrative = null, string? id = null)
    {
        id ??= $"R{_releases.Count + 1:00}";
        var meter = new Meter(study.Engine);
        ReleaseEntry entry;
        try
        {
            var release = run();
            var table = StudyResults.Table(release);
            entry = StudyResults.Release(id, title, release, chart, value, custom?.Invoke(table), narrative?.Invoke(table));
            log.WriteLine($"  {id} {title}: {table.Rows.Count - table.SuppressedCount} of {table.Rows.Count} cells released " +
                          $"({Html.Bytes(entry.Cost.Bytes)}, {entry.Cost.Rounds} rounds, {Html.Seconds(entry.Cost.Elapsed)})");
        }
        catch (Exception e) when (e is PolicyException or Smpc.Analytics.Statistics.QueryException or RangeException
                                  or Smpc.Analytics.Studies.Parties.StudyRefusedException)
        {
            var (cost, reveals) = meter.Stop(0);
            bool terms = e is PolicyException || (e is Smpc.Analytics.Studies.Parties.StudyRefusedException r && r.Rule is not ("QueryValidation" or "Refused" or "Linkage"));
            entry = StudyResults.Refusal(id, title, dataset, query, (SmpcException)e, reveals, cost,
                terms ? "The data-use terms refused this query before anything was computed; it is kept here so that reviewers see what was asked."
                                     : "The query could not run under the rules the terms impose; nothing was released. It is kept here so that reviewers see what was asked.");
            log.WriteLine($"  {id} {title}: refused ({entry.RefusedBy}: {e.Message})");
        }
        _releases.Add(entry);
        record?.Release(entry, DateTime.UtcNow);
        return entry;
    }

    /// <summary>Links contributed datasets and records the linkage.</summary>
    public JoinRelease Link(JoinRequest request, IReadOnlyList<string>? notes = null)
    {
        var join = study.Join(request);
        _linkages.Add(StudyResults.Linkage(join, notes));
        record?.Linkage(_linkages[^1], DateTime.UtcNow);
        log.WriteLine($"  linkage {join.Dataset}: {join.RowsText} linked ({Html.Bytes(join.Cost.Bytes)}, {join.Cost.Rounds} rounds, {Html.Seconds(join.Cost.Elapsed)})");
        return join;
    }
}
