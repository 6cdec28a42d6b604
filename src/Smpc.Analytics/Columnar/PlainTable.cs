namespace Smpc.Analytics.Columnar;

/// <summary>
/// A contributor's plaintext table in memory: named columns of typed arrays (long?[], double?[], string?[],
/// bool?[] or their non-nullable twins). It never leaves the contributor; <see cref="ContributorEncoder"/>
/// turns it into shares.
/// </summary>
public sealed class PlainTable
{
    readonly Dictionary<string, Array> _columns = new(StringComparer.Ordinal);
    readonly List<string> _order = [];

    public PlainTable(string name) => Name = name;

    public string Name { get; }
    public int RowCount { get; private set; }
    public IReadOnlyList<string> ColumnNames => _order;

    public PlainTable Add(string column, Array values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_columns.ContainsKey(column)) throw new SchemaException($"Table '{Name}' already has a column '{column}'.");
        if (_order.Count > 0 && values.Length != RowCount) throw Errors.LengthMismatch($"table '{Name}', column '{column}'", RowCount, values.Length);
        RowCount = values.Length;
        _columns[column] = values;
        _order.Add(column);
        return this;
    }

    public Array this[string column] => _columns.TryGetValue(column, out var a) ? a
        : throw new SchemaException($"Unknown column '{column}' in '{Name}'. Columns: {string.Join(", ", _order)}.");

    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>Value at a row as object (null when missing).</summary>
    public object? Value(string column, int row) => this[column].GetValue(row);
}
