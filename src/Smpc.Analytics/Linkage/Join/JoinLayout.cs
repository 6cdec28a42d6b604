using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Linkage;

/// <summary>
/// Columns of the joined table: every non-key column of the base table under its own name, then each other table's
/// non-key columns — renamed "&lt;table&gt;.&lt;column&gt;" when the name is already taken — then (left join) the matched
/// flags. Pseudonym columns (keys or not) and row numbers are dropped: they have no statistical use and must not be reopened.
/// In a left join every column of a non-base table is nullable: it carries a presence vector that is 1 where the base row
/// linked to that table and the value is present (the column's own presence, if it had one), 0 elsewhere — so statistics
/// use complete cases (Statistics/CellAggregator.RowMask) instead of counting the missing partner's zeros.
/// </summary>
sealed class JoinLayout
{
    readonly Dictionary<string, string>[] _names;
    readonly HashSet<string> _keys;

    public JoinLayout(IReadOnlyList<JoinInput> inputs, JoinOptions options)
    {
        Name = options.ResultName ?? string.Join(" × ", inputs.Select(i => i.Table.Name));
        _keys = options.Passes.SelectMany(p => p.Columns).Append(SecureJoin.RowColumn).ToHashSet(StringComparer.Ordinal);
        (_names, MatchedColumns) = Assign([.. inputs.Select(i => (i.Table.Name, i.Table.Columns.Where(Kept).Select(c => c.Name)))], options.Kind, options.MatchedColumn);
        Templates = inputs.Select(i => i.Table).ToArray();
        IsLeft = options.Kind == JoinKind.Left;
    }

    public string Name { get; }

    /// <summary>The naming rule: per table, each data column's name in the joined table (a later table's renamed
    /// "&lt;table&gt;.&lt;column&gt;" when the name is taken); then, in a left join, each other table's matched flag.</summary>
    internal static (Dictionary<string, string>[] Names, string?[] Matched) Assign(IReadOnlyList<(string Table, IEnumerable<string> Columns)> tables,
                                                                                  JoinKind kind, string matchedColumn)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>[tables.Count];
        var matched = new string?[tables.Count];
        for (int t = 0; t < tables.Count; t++)
        {
            names[t] = new(StringComparer.Ordinal);
            var (table, columns) = tables[t];
            foreach (var column in columns)
            {
                var name = taken.Contains(column) ? $"{table}.{column}" : column;
                if (!taken.Add(name)) throw new LinkageException($"The joined table would have two columns named '{name}'; rename a column of '{table}'.");
                names[t][column] = name;
            }
        }
        if (kind == JoinKind.Left)
            for (int t = 1; t < tables.Count; t++)
            {
                var name = tables.Count == 2 ? matchedColumn : $"{matchedColumn}_{tables[t].Table}";
                if (!taken.Add(name)) throw new LinkageException($"The left join's matched column '{name}' has the name of a data column; choose another MatchedColumn.");
                matched[t] = name;
            }
        return (names, matched);
    }

    /// <summary>The input table and column an output column comes from.</summary>
    public (int Table, string Column) Source(string output)
    {
        for (int t = 0; t < _names.Length; t++)
            foreach (var (column, name) in _names[t])
                if (name == output) return (t, column);
        throw new LinkageException($"The joined table has no column '{output}'.");
    }

    /// <summary>Data columns: not a key, not a pseudonym, not the row numbers.</summary>
    bool Kept(SecretColumn c) => !_keys.Contains(c.Name) && c.Spec.Kind != ColumnKind.Pseudonym;
    public string?[] MatchedColumns { get; }
    SecretTable[] Templates { get; }
    bool IsLeft { get; }

    /// <summary>Table <paramref name="t"/>'s data columns (no keys, pseudonyms or row numbers), renamed for the output.
    /// In a left join, table t &gt; 0's columns all carry presence (all ones here where a column had none: the unmatched
    /// rows get it from the zero row that <see cref="TableAssembly.WithZeroRow"/> appends).</summary>
    public SecretTable Output(int t, SecretTable table) =>
        new(table.Name, table.Engine, table.Columns.Where(Kept).Select(c => Renamed(IsLeft && t > 0 ? Nullable(c, table.Engine) : c, _names[t][c.Name])).ToArray());

    /// <summary>The column with a presence vector: its own, or public ones (every value present) for a non-nullable column.</summary>
    static SecretColumn Nullable(SecretColumn c, IComputeEngine engine) =>
        c.Present is not null ? c
        : new SecretColumn(c.Spec with { Nullable = true }, c.Values, c.OneHot, engine.Public(Enumerable.Repeat(1UL, c.Length).ToArray()));

    static SecretColumn Renamed(SecretColumn c, string name) =>
        c.Name == name ? c : new SecretColumn(c.Spec with { Name = name }, c.Values, c.OneHot, c.Present);

    /// <summary>A joined table with no rows (nothing linked) and the full layout.</summary>
    public SecretTable Empty(IComputeEngine engine)
    {
        var columns = new List<SecretColumn>();
        for (int t = 0; t < Templates.Length; t++)
        {
            columns.AddRange(Output(t, Templates[t]).Gather([]).Columns);
            if (IsLeft && MatchedColumns[t] is { } name)
                columns.Add(new SecretColumn(new ColumnSpec { Name = name, Kind = ColumnKind.Boolean }, engine.Public([])));
        }
        return new SecretTable(Name, engine, columns);
    }
}
