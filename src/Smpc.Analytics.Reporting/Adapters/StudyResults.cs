using Smpc.Analytics.Engine;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Queries;
using StudyChartKind = Smpc.Analytics.Studies.ChartKind;

namespace Smpc.Analytics.Reporting;

/// <summary>
/// Report entries from the study API (<see cref="SecureStudy"/>): a <see cref="Studies.Release"/> becomes a
/// <see cref="ReleaseEntry"/> (its table, rules, notes, reveals and cost; its chart from the study API's own chart data,
/// which holds released cells only), a <see cref="JoinRelease"/> a <see cref="LinkageEntry"/>, a contributed
/// <see cref="StudyDataset"/> a <see cref="DatasetEntry"/> with the SHA-256 of the files it was read from.
/// </summary>
public static class StudyResults
{
    /// <param name="chart">Chart of the release: Auto picks the study API's default for it; None draws nothing.</param>
    /// <param name="value">The statistic to draw in bars and heatmaps (default: the last statistic column).</param>
    /// <param name="custom">A chart built by the caller from the released values instead (e.g. fitted lines at chosen ages).</param>
    public static ReleaseEntry Release(string id, string title, Studies.Release release, StudyChartKind chart = StudyChartKind.Auto, string? value = null,
                                       ChartRequest? custom = null, string? narrative = null) => new()
    {
        Id = id, Title = title, Dataset = release.Dataset, Query = release.Query, Narrative = narrative,
        Outcome = ReleaseOutcome.Released, Table = Table(release),
        RulesApplied = release.RulesApplied, Notes = release.Notes, Reveals = EngineResults.Reveals(release.Cost.Reveals),
        Cost = Cost(release.Cost), EpsilonSpent = release.EpsilonSpent, LogEntries = LogEntries(release.LogEntries),
        Chart = custom ?? (chart == StudyChartKind.None ? null : ReleaseCharts.For(release, chart, value) is { } data ? Chart(data) : null),
    };

    /// <summary>A query that was refused (policy or query check) before it released anything.</summary>
    public static ReleaseEntry Refusal(string id, string title, string dataset, string query, SmpcException refusal,
                                       IEnumerable<RevealRecord> reveals, CostEntry cost, string? narrative = null) =>
        EngineResults.Refusal(id, title, dataset, query, refusal switch
        {
            PolicyException p => p.Rule,
            RangeException => "range check",
            Studies.Parties.StudyRefusedException { Rule: not ("QueryValidation" or "Refused" or "Linkage") } r => r.Rule,   // refused by the party services
            _ => "query check",
        },
                              refusal.Message, reveals, cost, narrative)
        with { LogEntries = refusal is Studies.Parties.StudyRefusedException { LogEntries: var logged } ? LogEntries(logged) : [] };

    /// <summary>The parties' entries in the registry's transparency log, party by party.</summary>
    public static IReadOnlyList<LogEntryLink> LogEntries(IEnumerable<LogEntryReference> entries) =>
        [.. entries.OrderBy(e => e.Party).Select(e => new LogEntryLink(e.Party, e.Index, e.Url))];

    /// <summary>The released table: key and value columns as the release names them; suppressed rows without values.</summary>
    public static ReportTable Table(Studies.Release r) => new(r.KeyColumns, r.ValueColumns,
        [.. Enumerable.Range(0, r.RowCount).Select(row => r.IsSuppressed(row)
            ? new ReportRow(r.KeyColumns.Select(k => r.Key(row, k) ?? "").ToArray(), null, r.Rule(row) is { Length: > 0 } rule ? rule : "disclosure control")
            : new ReportRow(r.KeyColumns.Select(k => r.Key(row, k) ?? "").ToArray(), r.ValueColumns.Select(v => r.Value(row, v)).ToArray()))]) { Decimals = r.Decimals };

    public static CostEntry Cost(OperationCost c) => new(c.RowsUsed, c.Bytes, c.Rounds, c.Elapsed);

    public static LinkageEntry Linkage(JoinRelease join, IReadOnlyList<string>? notes = null) => new()
    {
        Name = join.Dataset, Tables = join.Inputs, Kind = join.Request.Kind.ToString().ToLowerInvariant(),
        Pseudonymisation = $"{join.Request.Pseudonymiser.Name()} ({join.Scheme}), fresh for this study",
        Passes = [.. join.Passes.Select(p => new LinkagePassEntry(p.Name(), p.Name(), Sources(p, join.Request.FuzzyThreshold)))],
        MatchCounts = [.. join.MatchCounts.Select(c => new PassCountEntry(c.Pass, c.Table, c.Count))],
        JoinedRows = join.JoinedRows, RoundingBase = join.RoundingBase, Reveals = EngineResults.Reveals(join.Cost.Reveals), Cost = Cost(join.Cost),
        Notes = [$"duplicate records: {join.Request.Duplicates}", .. notes ?? []],
    };

    static IReadOnlyList<string> Sources(LinkageKeyKind k, double? threshold) => k switch
    {
        LinkageKeyKind.Ssn => ["ssn"],
        LinkageKeyKind.NameDateOfBirthSex => ["last_name", "first_name", "dob", "sex"],
        LinkageKeyKind.NameDateOfBirth => ["last_name", "first_name", "dob"],
        LinkageKeyKind.Fuzzy => ["last_name", "first_name", "dob (Bloom filters, Dice " + (threshold ?? JoinRequest.DefaultFuzzyThreshold) + ")"],
        _ => ["last_name", "first_name", "dob", "(sex)"],
    };

    /// <summary>A contributed dataset with its files (paths shown relative to <paramref name="relativeTo"/> when inside it).</summary>
    public static DatasetEntry Dataset(StudyDataset d, string? relativeTo = null)
    {
        var terms = d.Origins.Count == 1 ? d.Origins[0] : d.Terms;
        return new DatasetEntry
        {
            Name = d.Name, Steward = terms.Steward, Rows = d.ReleasedRows ?? 0, Terms = EngineResults.Terms(terms),
            SharedColumns = d.Table.Columns.Select(c => c.Name).ToArray(),
            Files = [.. d.Files.Select(f => new FileDigest(Display(f.Path, relativeTo), Role(f.Path), f.Bytes, f.Sha256))],
        };
    }

    static string Role(string path) => path.EndsWith(".schema.json", StringComparison.Ordinal) ? "schema"
        : path.EndsWith(".terms.json", StringComparison.Ordinal) ? "data-use terms" : "data";

    static string Display(string path, string? relativeTo)
    {
        if (relativeTo is null) return path.Replace('\\', '/');
        var relative = Path.GetRelativePath(relativeTo, path);
        return (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative).Replace('\\', '/');
    }

    /// <summary>The study API's chart data as a chart request: the figure builder draws exactly those (released) values.</summary>
    public static ChartRequest Chart(ChartData data) => data switch
    {
        BarChartData b => new ChartRequest(ReportChartKind.Bar, b.Title, b.XTitle, b.YTitle) { Build = f => f.Bar(b.Labels, b.Values, b.Title, b.XTitle, b.YTitle) },
        HistogramChartData h => new ChartRequest(ReportChartKind.Histogram, h.Title, h.XTitle, h.YTitle) { Build = f => f.Histogram(h.Bins, h.Counts, h.Title, h.XTitle) },
        HeatmapChartData m => new ChartRequest(ReportChartKind.Heatmap, m.Title, m.XTitle, m.YTitle) { Build = f => f.Heatmap(m.Xs, m.Ys, m.Z, m.Title, m.XTitle, m.YTitle) },
        BoxChartData x => new ChartRequest(ReportChartKind.Box, x.Title, x.XTitle, x.YTitle) { Build = f => f.Box(x.Labels, x.Lower, x.Q1, x.Median, x.Q3, x.Upper, x.Title, x.XTitle, x.YTitle) },
        FitChartData l => new ChartRequest(ReportChartKind.Regression, l.Title, l.XTitle, l.YTitle) { Build = f => f.Regression(l.Labels, l.Intercepts, l.Slopes, l.XMin, l.XMax, l.Title, l.XTitle, l.YTitle) },
        // Coefficients with 95% intervals, drawn as boxes from (b − 1.96·se) to (b + 1.96·se) around b.
        CoefficientChartData c => new ChartRequest(ReportChartKind.Box, c.Title, c.XTitle, c.YTitle)
        {
            Build = f =>
            {
                var lo = c.Coefficients.Select((b, i) => b - c.HalfWidths[i]).ToArray();
                var hi = c.Coefficients.Select((b, i) => b + c.HalfWidths[i]).ToArray();
                return f.Box(c.Terms, lo, lo, c.Coefficients, hi, hi, c.Title, c.XTitle, c.YTitle);
            },
        },
        _ => throw new ArgumentException($"Unknown chart data {data.GetType().Name}.", nameof(data)),
    };
}
