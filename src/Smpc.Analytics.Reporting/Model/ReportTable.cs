namespace Smpc.Analytics.Reporting;

/// <summary>
/// A released table: key (label) columns, value columns, and one row per cell. A suppressed row has no values at
/// all — they were never revealed — only the rule that suppressed it. "(all)" in a key column marks a margin.
/// </summary>
public sealed record ReportTable
{
    public ReportTable(IReadOnlyList<string> keyColumns, IReadOnlyList<string> valueColumns, IReadOnlyList<ReportRow> rows)
    {
        foreach (var r in rows)
        {
            if (r.Keys.Count != keyColumns.Count)
                throw new ArgumentException($"A report row has {r.Keys.Count} labels for {keyColumns.Count} key columns ({string.Join(", ", keyColumns)}).", nameof(rows));
            if (r.Values is { } v && v.Count != valueColumns.Count)
                throw new ArgumentException($"A report row has {v.Count} values for {valueColumns.Count} value columns ({string.Join(", ", valueColumns)}).", nameof(rows));
            if (r.Values is null && r.SuppressedBy is null)
                throw new ArgumentException($"Report row '{string.Join(" · ", r.Keys)}' has neither values nor a suppression rule.", nameof(rows));
        }
        KeyColumns = keyColumns;
        ValueColumns = valueColumns;
        Rows = rows;
    }

    public IReadOnlyList<string> KeyColumns { get; }
    public IReadOnlyList<string> ValueColumns { get; }
    public IReadOnlyList<ReportRow> Rows { get; }

    /// <summary>Decimals each value column supports (aligned with <see cref="ValueColumns"/>), or null: the general rule.
    /// For display only; the packet keeps the values as released.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<int>? Decimals { get; init; }

    /// <summary>A value of column <paramref name="index"/> as the report shows it.</summary>
    public string Text(int index, double value) =>
        Decimals is { } d && index < d.Count ? (double.IsNaN(value) ? "—" : value.ToString("N" + Math.Clamp(d[index], 0, 15), System.Globalization.CultureInfo.InvariantCulture))
        : Html.Number(value);

    public IEnumerable<ReportRow> Released => Rows.Where(r => !r.Suppressed);
    public int SuppressedCount => Rows.Count(r => r.Suppressed);

    /// <summary>The value of <paramref name="column"/> in the row whose keys are <paramref name="keys"/>; null when suppressed or missing.</summary>
    public double? Value(string column, params string[] keys)
    {
        int k = IndexOf(column);
        var row = Rows.FirstOrDefault(r => r.Keys.SequenceEqual(keys))
                  ?? throw new KeyNotFoundException($"No row with keys ({string.Join(", ", keys)}); key columns: {string.Join(", ", KeyColumns)}.");
        return row.Values?[k];
    }

    public int IndexOf(string column)
    {
        for (int i = 0; i < ValueColumns.Count; i++) if (ValueColumns[i] == column) return i;
        throw new KeyNotFoundException($"No value column '{column}'; value columns: {string.Join(", ", ValueColumns)}.");
    }
}

/// <summary>One cell of a released table: labels, and values (null inside for a missing value, e.g. an undefined
/// statistic), or no values and the rule that suppressed it.</summary>
public sealed record ReportRow(IReadOnlyList<string> Keys, IReadOnlyList<double?>? Values, string? SuppressedBy = null)
{
    public bool Suppressed => Values is null;
}
