using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace Smpc.Analytics.Interactive.Api;

/// <summary>One cell of a released table: its group labels and statistics, or "suppressed" with the rule that
/// suppressed it. A suppressed row carries no values at all: they were never revealed to anyone.</summary>
public sealed record ReleaseRow(IReadOnlyList<string> Keys, IReadOnlyList<double>? Values, string? SuppressedBy)
{
    public bool Suppressed => SuppressedBy is not null;
}

/// <summary>
/// What the analyst receives from an aggregate: a small data frame of group labels (key columns) and
/// released statistics (value columns), one row per cell. Use it like a data frame:
/// <c>table["mean(balance)"]</c> is a column, <c>table[row, "n"]</c> a cell, <see cref="Released"/> the rows
/// that passed disclosure control.
/// </summary>
public sealed class ReleaseTable
{
    readonly Dictionary<string, int> _keyIndex;
    readonly Dictionary<string, int> _valueIndex;

    public ReleaseTable(string title, IReadOnlyList<string> keyColumns, IReadOnlyList<string> valueColumns, IReadOnlyList<ReleaseRow> rows)
    {
        Title = title;
        KeyColumns = keyColumns;
        ValueColumns = valueColumns;
        Rows = rows;
        foreach (var r in rows)
        {
            if (r.Keys.Count != keyColumns.Count) throw new ShapeException($"Release '{title}': a row has {r.Keys.Count} labels for {keyColumns.Count} key columns.");
            if (r.Values is { } v && v.Count != valueColumns.Count) throw new ShapeException($"Release '{title}': a row has {v.Count} values for {valueColumns.Count} value columns.");
            if (r.Values is null && r.SuppressedBy is null) throw new ShapeException($"Release '{title}': a row has neither values nor a suppression rule.");
        }
        _keyIndex = keyColumns.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i, StringComparer.Ordinal);
        _valueIndex = valueColumns.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i, StringComparer.Ordinal);
    }

    public string Title { get; }
    public IReadOnlyList<string> KeyColumns { get; }
    public IReadOnlyList<string> ValueColumns { get; }
    public IReadOnlyList<ReleaseRow> Rows { get; }
    public int RowCount => Rows.Count;
    public IReadOnlyList<string> Columns => [.. KeyColumns, .. ValueColumns];

    /// <summary>Rows that passed disclosure control.</summary>
    public IEnumerable<ReleaseRow> Released => Rows.Where(r => !r.Suppressed);

    public int SuppressedCount => Rows.Count(r => r.Suppressed);

    /// <summary>A value column (null where the cell is suppressed).</summary>
    public double?[] this[string valueColumn]
    {
        get
        {
            int k = ValueIndex(valueColumn);
            return Rows.Select(r => r.Values is null ? (double?)null : r.Values[k]).ToArray();
        }
    }

    /// <summary>A cell: the label for key columns, the value (or null when suppressed) for value columns.</summary>
    public object? this[int row, string column]
    {
        get
        {
            if ((uint)row >= (uint)Rows.Count) throw new ArgumentOutOfRangeException(nameof(row), row, $"Release '{Title}' has {Rows.Count} rows.");
            if (_keyIndex.TryGetValue(column, out int k)) return Rows[row].Keys[k];
            int v = ValueIndex(column);
            return Rows[row].Values?[v];
        }
    }

    /// <summary>The labels of a key column.</summary>
    public string[] Labels(string keyColumn) =>
        _keyIndex.TryGetValue(keyColumn, out int k) ? Rows.Select(r => r.Keys[k]).ToArray()
        : throw new QueryException($"Release '{Title}' has no key column '{keyColumn}'. Key columns: {string.Join(", ", KeyColumns)}.");

    /// <summary>One label per row joining all key columns ("CA · Vietnam").</summary>
    public string[] RowLabels() => Rows.Select(r => r.Keys.Count == 0 ? "all" : string.Join(" · ", r.Keys)).ToArray();

    int ValueIndex(string column) => _valueIndex.TryGetValue(column, out int v) ? v
        : throw new QueryException($"Release '{Title}' has no column '{column}'. Columns: {string.Join(", ", Columns)}.");

    /// <summary>A Microsoft.Data.Analysis DataFrame of this table: key columns as strings, value columns as doubles,
    /// null where a cell was suppressed (its value was never revealed), and a "suppressed" column naming the rule.</summary>
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn>();
        for (int k = 0; k < KeyColumns.Count; k++)
            columns.Add(new StringDataFrameColumn(KeyColumns[k], Rows.Select(r => r.Keys[k])));
        for (int v = 0; v < ValueColumns.Count; v++)
            columns.Add(new DoubleDataFrameColumn(ValueColumns[v], Rows.Select(r => r.Values is null ? (double?)null : r.Values[v])));
        columns.Add(new StringDataFrameColumn("suppressed", Rows.Select(r => r.SuppressedBy)));
        return new DataFrame(columns);
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Title);
        sb.AppendLine(string.Join("\t", Columns));
        foreach (var r in Rows)
        {
            var values = r.Values is null ? ValueColumns.Select(_ => "suppressed") : r.Values.Select(Format);
            sb.AppendLine(string.Join("\t", r.Keys.Concat(values)));
        }
        return sb.ToString();
    }

    public static string Format(double v) =>
        v == Math.Floor(v) && Math.Abs(v) < 1e15 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("N2", CultureInfo.InvariantCulture);
}
