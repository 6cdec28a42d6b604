using System.Text;
using Microsoft.Data.Analysis;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies;

/// <summary>
/// A release of aggregates (<c>#!secure-aggregate</c>, <see cref="SecureStudy.Aggregate"/>): a DataFrame with one row
/// per cell — key columns (group labels; "(all)" in a margin), value columns (null where suppressed), <c>status</c>
/// ("released" / "suppressed") and the <c>rule</c> that withheld a cell — plus the metadata a disclosure review
/// needs: the rules applied, rows used, bytes, rounds, time, and what was revealed to whom.
/// A suppressed cell's value was never revealed to anyone.
/// </summary>
public sealed record Release : StudyEvent
{
    public const string AllLabel = "(all)";

    public required AggregateRequest Request { get; init; }

    public required StatisticFamily Family { get; init; }

    /// <summary>The query in words, as the statistics layer ran it.</summary>
    public required string Query { get; init; }

    public required DataFrame Table { get; init; }

    /// <summary>Label columns: group-by columns, the binned column of a histogram, "term" of a regression.</summary>
    public required IReadOnlyList<string> KeyColumns { get; init; }

    /// <summary>Statistic columns (numbers; null where suppressed).</summary>
    public required IReadOnlyList<string> ValueColumns { get; init; }

    public required IReadOnlyList<string> RulesApplied { get; init; }

    /// <summary>Precision and leakage notes (error bounds, noise, group sizes seen by the compute parties).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Decimals each value column supports, aligned with <see cref="ValueColumns"/> (<see cref="ReleasePrecision"/>);
    /// null: shown by the general rule of <see cref="Format(double)"/>.</summary>
    public IReadOnlyList<int>? Decimals { get; init; }

    /// <summary>The value of <paramref name="column"/> in <paramref name="row"/> as the table shows it: to the precision the
    /// statistic supports, "—" where suppressed.</summary>
    public string Text(int row, string column)
    {
        if (Value(row, column) is not { } x) return "—";
        int k = ValueColumns.ToList().IndexOf(column);
        return Decimals is { } d && k < d.Count ? ReleasePrecision.Format(x, d[k]) : Format(x);
    }

    /// <summary>ε charged to the contributing datasets' budgets.</summary>
    public double? EpsilonSpent { get; init; }

    /// <summary>Declared (public) bounds of the first covariate of a regression, to draw fitted lines over.</summary>
    public (double Min, double Max)? CovariateRange { get; init; }

    public string Dataset => Request.Dataset;
    public int RowCount => (int)Table.Rows.Count;
    public override string Summary => Query;

    public string? Key(int row, string column) => (string?)Table.Columns[column][row];

    /// <summary>Whether the row is a margin (a total over some group-by column).</summary>
    public bool IsMargin(int row) => KeyColumns.Any(k => Key(row, k) == AllLabel);

    public bool IsSuppressed(int row) => (string?)Table.Columns["status"][row] == "suppressed";

    /// <summary>The rule that suppressed the row, or "" when released.</summary>
    public string Rule(int row) => (string?)Table.Columns["rule"][row] ?? "";

    public double? Value(int row, string column)
    {
        if (!ValueColumns.Contains(column))
            throw new QueryException($"The release has no statistic column '{column}'. Columns: {string.Join(", ", ValueColumns)}.");
        return (double?)Table.Columns[column][row];
    }

    /// <summary>A statistic column (null where suppressed).</summary>
    public double?[] this[string column] => Enumerable.Range(0, RowCount).Select(r => Value(r, column)).ToArray();

    /// <summary>The row whose key columns hold <paramref name="keys"/> (use <see cref="AllLabel"/> for a margin), or -1.</summary>
    public int RowOf(params string[] keys)
    {
        if (KeyColumns.Count == 0 && keys is [AllLabel]) keys = [];      // the one row of an ungrouped table is the total
        if (keys.Length != KeyColumns.Count)
            throw new QueryException($"Give one label per key column ({string.Join(", ", KeyColumns)}); got {keys.Length}.");
        for (int r = 0; r < RowCount; r++)
            if (KeyColumns.Select((k, i) => Key(r, k) == keys[i]).All(x => x)) return r;
        return -1;
    }

    /// <summary>The value of <paramref name="column"/> in the row labelled <paramref name="keys"/> (null when suppressed).</summary>
    public double? Cell(string column, params string[] keys)
    {
        int r = RowOf(keys);
        return r >= 0 ? Value(r, column) : throw new QueryException($"The release has no row {string.Join(" · ", keys)}.");
    }

    public IEnumerable<int> ReleasedRows => Enumerable.Range(0, RowCount).Where(r => !IsSuppressed(r));
    public IEnumerable<int> SuppressedRows => Enumerable.Range(0, RowCount).Where(IsSuppressed);
    public int SuppressedCount => SuppressedRows.Count();

    /// <summary>One label per row joining the key columns ("CA · Vietnam"; "all" without keys).</summary>
    public string Label(int row) => KeyColumns.Count == 0 ? "all" : string.Join(" · ", KeyColumns.Select(k => Key(row, k)));

    /// <summary>The query, then the table as aligned text — labels left, numbers right, each column as wide as its
    /// widest cell, so no value runs into the next column — then the cost.</summary>
    public override string ToString()
    {
        var header = KeyColumns.Concat(ValueColumns).Append("status").ToArray();
        var rows = Enumerable.Range(0, RowCount).Select(r => KeyColumns.Select(k => Key(r, k) ?? "")
                .Concat(ValueColumns.Select(v => Text(r, v)))
                .Append(IsSuppressed(r) ? $"suppressed ({Rule(r)})" : "released").ToArray()).ToList();
        var widths = header.Select((h, c) => rows.Select(row => row[c].Length).Append(h.Length).Max()).ToArray();
        bool Numeric(int c) => c >= KeyColumns.Count && c < KeyColumns.Count + ValueColumns.Count;
        string Line(string[] cells) => string.Join("  ", cells.Select((x, c) => Numeric(c) ? x.PadLeft(widths[c]) : x.PadRight(widths[c]))).TrimEnd();
        var sb = new StringBuilder().AppendLine(Query).AppendLine(Line(header));
        foreach (var row in rows) sb.AppendLine(Line(row));
        sb.Append(Cost.Summary);
        if (LogEntries.Count > 0)
            sb.AppendLine().Append("log entries: ").Append(string.Join(", ", LogEntries.Select(e => $"#{e.Index} (party {e.Party}) {e.Url}")));
        return sb.ToString();
    }

    public static string Format(double v) =>
        double.IsNaN(v) ? "—" :
        v == Math.Floor(v) && Math.Abs(v) < 1e15 ? v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 1 ? v.ToString("N2", System.Globalization.CultureInfo.InvariantCulture)
        : v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}
