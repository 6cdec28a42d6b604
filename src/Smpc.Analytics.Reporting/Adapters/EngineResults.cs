using Microsoft.Data.Analysis;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Queries;

namespace Smpc.Analytics.Reporting;

/// <summary>
/// Report entries from the engine's own result types: a <see cref="QueryResult"/> (released DataFrame and metadata),
/// a refused query (<see cref="PolicyException"/>), a <see cref="JoinResult"/>, the reveal log
/// (<see cref="RevealRecord"/>) and <see cref="DataUseTerms"/>.
/// </summary>
public static class EngineResults
{
    public static RevealEntry Reveal(RevealRecord r) =>
        new(r.Audience == RevealAudience.Analyst ? RevealAudienceKind.Analyst : RevealAudienceKind.ComputeParties, r.Purpose, r.Elements);

    public static IReadOnlyList<RevealEntry> Reveals(IEnumerable<RevealRecord> log) => [.. log.Select(Reveal)];

    /// <summary>A released query: its DataFrame becomes the table (text columns are keys, numeric columns values, the
    /// <c>status</c>/<c>rule</c> columns mark suppressed cells), and its rules, notes, reveals and cost are kept.</summary>
    public static ReleaseEntry Release(string id, string title, string dataset, QueryResult result, ChartRequest? chart = null, string? narrative = null) => new()
    {
        Id = id, Title = title, Dataset = dataset, Query = result.Query, Narrative = narrative,
        Outcome = ReleaseOutcome.Released,
        Table = Table(result.Table),
        RulesApplied = result.RulesApplied, Notes = result.Notes, Reveals = Reveals(result.Reveals),
        Cost = new CostEntry(result.RowsUsed, result.BytesSent, result.Rounds, result.Elapsed),
        Chart = chart, EpsilonSpent = result.EpsilonSpent,
    };

    /// <summary>A query the data-use terms refused before anything was computed.</summary>
    public static ReleaseEntry Refusal(string id, string title, string dataset, string query, PolicyException refusal, string? narrative = null) =>
        Refusal(id, title, dataset, query, refusal.Rule, refusal.Message, [], CostEntry.None, narrative);

    /// <summary>A query that was refused (by a rule of the terms, or by a check of the query itself), with whatever
    /// it revealed before it stopped (normally nothing) and what it cost.</summary>
    public static ReleaseEntry Refusal(string id, string title, string dataset, string query, string rule, string message,
                                       IEnumerable<RevealRecord> reveals, CostEntry cost, string? narrative = null) => new()
    {
        Id = id, Title = title, Dataset = dataset, Query = query, Narrative = narrative,
        Outcome = ReleaseOutcome.Refused, RefusedBy = rule, RefusalMessage = message, Reveals = Reveals(reveals), Cost = cost,
    };

    /// <summary>The report table of a released DataFrame.</summary>
    public static ReportTable Table(DataFrame frame)
    {
        var status = Column(frame, "status");
        var rule = Column(frame, "rule");
        var keys = frame.Columns.Where(c => c is StringDataFrameColumn && c != status && c != rule).ToArray();
        var values = frame.Columns.Where(c => c is not StringDataFrameColumn).ToArray();
        var rows = new List<ReportRow>();
        for (long i = 0; i < frame.Rows.Count; i++)
        {
            var labels = keys.Select(k => (string?)k[i] ?? "").ToArray();
            bool suppressed = status is not null && (string?)status[i] == "suppressed";
            if (suppressed)
            {
                var why = rule is null ? null : (string?)rule[i];
                rows.Add(new ReportRow(labels, null, string.IsNullOrEmpty(why) ? "disclosure control" : why));
            }
            else rows.Add(new ReportRow(labels, values.Select(v => v[i] is { } x ? Convert.ToDouble(x, System.Globalization.CultureInfo.InvariantCulture) : (double?)null).ToArray()));
        }
        return new ReportTable(keys.Select(k => k.Name).ToArray(), values.Select(v => v.Name).ToArray(), rows);
    }

    static DataFrameColumn? Column(DataFrame frame, string name) => frame.Columns.FirstOrDefault(c => c.Name == name && c is StringDataFrameColumn);

    /// <summary>A linkage: its passes, the match counts released per pass, the joined rows, and what it revealed.</summary>
    public static LinkageEntry Linkage(string name, IReadOnlyList<string> tables, JoinOptions options, JoinResult result, string pseudonymisation,
                                       IEnumerable<RevealRecord> reveals, CostEntry cost, IReadOnlyList<string>? notes = null) => new()
    {
        Name = name, Tables = tables, Kind = options.Kind.ToString().ToLowerInvariant(), Pseudonymisation = pseudonymisation,
        Passes = [.. options.Passes.Select(p => new LinkagePassEntry(p.Name, p.KeyColumn, p.Sources ?? [p.KeyColumn]))],
        MatchCounts = [.. result.MatchCounts.Select(c => new PassCountEntry(c.Pass, c.Table, c.Count))],
        JoinedRows = result.ReleasedRows, RoundingBase = result.RoundingBase, Reveals = Reveals(reveals), Cost = cost, Notes = notes ?? [],
    };

    public static TermsSummary Terms(DataUseTerms t) => new()
    {
        Purpose = t.Purpose, InternalUseOnly = t.Redisclosure.InternalUseOnly, RedisclosureTo = t.Redisclosure.RedisclosureTo,
        RedisclosureConditions = t.Redisclosure.Conditions, Access = t.Access.ToString(), MinCellSize = t.MinCellSize, DominanceP = t.DominanceP,
        RoundingBase = t.RoundingBase, EpsilonBudget = t.EpsilonBudget, AllowedOperations = t.AllowedOperations, AllowedColumns = t.AllowedColumns,
        LinkageColumns = t.LinkageColumns, AllowedAnalysts = t.AllowedAnalysts, AllowRevealGroupSizes = t.AllowRevealGroupSizes,
        StorageLocation = t.StorageLocation, Expires = t.Expires?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };
}
