using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Columnar;

/// <summary>
/// A secret-shared table as the analyst side sees it: named columns of equal length held by one engine.
/// Row count is public (it is revealed to the compute parties by the data's shape anyway).
/// </summary>
public sealed class SecretTable
{
    readonly Dictionary<string, SecretColumn> _byName;

    public SecretTable(string name, IComputeEngine engine, IReadOnlyList<SecretColumn> columns)
    {
        Name = name;
        Engine = engine;
        Columns = columns;
        RowCount = columns.Count == 0 ? 0 : columns[0].Length;
        foreach (var c in columns)
            if (c.Length != RowCount) throw Errors.LengthMismatch($"table '{name}', column '{c.Name}'", RowCount, c.Length);
        _byName = new Dictionary<string, SecretColumn>(StringComparer.Ordinal);
        foreach (var c in columns)
            if (!_byName.TryAdd(c.Name, c)) throw new SchemaException($"Table '{name}' has two columns named '{c.Name}'.");
    }

    public string Name { get; }
    public IComputeEngine Engine { get; }
    public IReadOnlyList<SecretColumn> Columns { get; }
    public int RowCount { get; }

    public TableSchema Schema => new() { Name = Name, Columns = Columns.Select(c => c.Spec).ToArray() };

    public SecretColumn this[string column] => _byName.TryGetValue(column, out var c) ? c
        : throw new SchemaException($"Unknown column '{column}' in '{Name}'. Columns: {string.Join(", ", Columns.Select(x => x.Name))}.");

    public bool Has(string column) => _byName.ContainsKey(column);

    /// <summary>Rows at public indices (local at every party).</summary>
    public SecretTable Gather(ReadOnlySpan<int> rows, string? name = null)
    {
        var idx = rows.ToArray();
        return new SecretTable(name ?? Name, Engine, Columns.Select(c => c.Map(v => Engine.Gather(v, idx))).ToArray());
    }

    /// <summary>One secret permutation applied to every column (oblivious shuffle).</summary>
    public SecretTable Shuffle()
    {
        var all = Columns.SelectMany(c => c.Vectors()).ToArray();
        var shuffled = Engine.Shuffle(all);
        int k = 0;
        var cols = new List<SecretColumn>();
        foreach (var c in Columns)
        {
            int count = c.Vectors().Count();
            cols.Add(c.WithVectors(shuffled.Skip(k).Take(count).ToArray()));
            k += count;
        }
        return new SecretTable(Name, Engine, cols);
    }

    public SecretTable Select(params string[] columns) => new(Name, Engine, columns.Select(c => this[c]).ToArray());

    public SecretTable With(SecretColumn column) =>
        new(Name, Engine, Columns.Where(c => c.Name != column.Name).Append(column).ToArray());

    public SecretTable Rename(string name) => new(name, Engine, Columns);
}
