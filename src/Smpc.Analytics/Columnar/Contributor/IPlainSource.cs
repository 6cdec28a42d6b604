using Smpc.Analytics.Columnar.Encoding;

namespace Smpc.Analytics.Columnar.Contributor;

/// <summary>
/// A contributor's plaintext dataset read in batches: each call feeds at most a batch of rows, value by
/// value, into the column encoders, so nothing larger than a batch is held.
/// </summary>
internal interface IPlainSource : IDisposable
{
    /// <summary>Name used in error messages (the file name).</summary>
    string Name { get; }

    /// <summary>The dataset's column names, in its own order.</summary>
    IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Reads up to <paramref name="maxRows"/> rows; <paramref name="encoders"/>[k] receives the source's
    /// column k. Returns the rows read (0 at the end).</summary>
    int ReadBatch(IReadOnlyList<ColumnEncoder> encoders, int maxRows);
}

/// <summary>Checks a source's column set against the schema (same names, each once).</summary>
internal static class SourceColumns
{
    /// <summary>For each source column, its spec in the schema; throws naming extra, missing and repeated columns.</summary>
    public static ColumnSpec[] Match(string source, IReadOnlyList<string> names, TableSchema schema)
    {
        var problems = new List<string>();
        var repeated = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToList();
        if (repeated.Count > 0) problems.Add($"columns named twice: {string.Join(", ", repeated)}");
        var extra = names.Where(n => !schema.Has(n)).Select(n => $"'{n}'").Distinct().ToList();
        if (extra.Count > 0) problems.Add($"columns the schema does not declare: {string.Join(", ", extra)}");
        var missing = schema.Columns.Where(c => !names.Contains(c.Name, StringComparer.Ordinal)).Select(c => $"'{c.Name}'").ToList();
        if (missing.Count > 0) problems.Add($"columns the schema requires but the file lacks: {string.Join(", ", missing)}");
        if (problems.Count > 0)
            throw new SchemaException($"'{source}' does not have the columns of schema '{schema.Name}': {string.Join("; ", problems)}. Expected: {string.Join(", ", schema.Columns.Select(c => c.Name))}.");
        return names.Select(schema.Column).ToArray();
    }
}
