using System.Text;
using Microsoft.Data.Analysis;
using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Queries;

/// <summary>
/// What an analyst gets back from a query: a DataFrame (one row per cell or statistic, with a <c>status</c>
/// column "released"/"suppressed" and the <c>rule</c> that withheld a cell; suppressed values are null) and
/// metadata: the rules applied, rows used, bytes, rounds, time, and every reveal — to whom and why.
/// </summary>
public sealed class QueryResult
{
    public required DataFrame Table { get; init; }

    /// <summary>The query in words.</summary>
    public required string Query { get; init; }

    public required IReadOnlyList<string> RulesApplied { get; init; }

    /// <summary>Rows of the input table(s) the query ran over (public).</summary>
    public required long RowsUsed { get; init; }

    /// <summary>Bytes sent by the three compute parties together during the query.</summary>
    public required long BytesSent { get; init; }

    /// <summary>Communication rounds of the query (as counted by each party).</summary>
    public required long Rounds { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>Everything revealed during the query, with its audience (compute parties or analyst) and purpose.</summary>
    public required IReadOnlyList<RevealRecord> Reveals { get; init; }

    /// <summary>Leakage statements and precision notes (e.g. error bounds, group sizes seen by compute parties).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>ε charged to the study's budget, when differentially private.</summary>
    public double? EpsilonSpent { get; init; }

    /// <summary>The released table of cells (table queries only).</summary>
    public ReleasedTable? Cells { get; init; }

    /// <summary>"What was revealed to whom", one line per reveal.</summary>
    public IEnumerable<string> RevealedToWhom() =>
        Reveals.Select(r => $"{(r.Audience == RevealAudience.Analyst ? "analyst" : "compute parties")}: {r.Purpose} ({r.Elements} value{(r.Elements == 1 ? "" : "s")})");

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Query);
        sb.AppendLine(Table.ToString());
        sb.AppendLine($"rows used {RowsUsed:N0}; {BytesSent:N0} bytes sent; {Rounds} rounds; {Elapsed.TotalMilliseconds:N0} ms");
        foreach (var r in RulesApplied) sb.AppendLine($"rule: {r}");
        foreach (var n in Notes) sb.AppendLine($"note: {n}");
        foreach (var r in RevealedToWhom()) sb.AppendLine($"revealed to {r}");
        return sb.ToString();
    }

    /// <summary>Column of a table release with each cell's row count, shown when a measured column has missing values
    /// (the measures' count is then the complete cases; <see cref="ReleasedTable.RowCounts"/>).</summary>
    public const string RowsColumn = "rows";

    /// <summary>The table of cells as a DataFrame: grouping columns ("(all)" for margins), measures, status, rule.</summary>
    public static DataFrame ToDataFrame(ReleasedTable t)
    {
        var columns = new List<DataFrameColumn>();
        for (int d = 0; d < t.Layout.DimensionNames.Count; d++)
        {
            int dim = d;
            columns.Add(new StringDataFrameColumn(t.Layout.DimensionNames[d], t.Layout.Keys.Select(k => k[dim] ?? "(all)")));
        }
        foreach (var m in t.Measures) columns.Add(new DoubleDataFrameColumn(m.Measure.Label, m.Values));
        if (t.RowCounts is { } rows) columns.Add(new DoubleDataFrameColumn(RowsColumn, rows));
        columns.Add(new StringDataFrameColumn("status", t.Status.Select(s => s.Status())));
        columns.Add(new StringDataFrameColumn("rule", Enumerable.Range(0, t.Status.Length).Select(t.Rule)));
        return new DataFrame(columns);
    }
}
