using Smpc.Analytics.Engine;
using Smpc.Analytics.Columnar.Encoding;

namespace Smpc.Analytics.Columnar;

/// <summary>
/// The data steward's side: validates a plaintext table against the study schema, encodes every column
/// into Z_2^64 (integers as is, fixed point scaled by 2^f, categorical one-hot, booleans 0/1, missing
/// values as 0 with a presence indicator) and secret-shares it. Plaintext never reaches the compute parties.
/// Every problem is reported with the column and row; nothing is shared unless the whole table is valid.
/// The per-value rules live in <see cref="ColumnEncoder"/>, shared with the streaming contributor
/// (<see cref="Contributor.ContributorStream"/>), so both encode identically.
/// </summary>
/// <remarks>Leakage: a nullable column gets a presence vector only if some value is missing, so the compute
/// parties learn whether a nullable column has any missing value. The streaming contributor always adds it.</remarks>
public static class ContributorEncoder
{
    public static SecretTable Share(IComputeEngine engine, TableSchema schema, PlainTable data)
    {
        schema.Validate();
        var encoded = Encode(schema, data);           // validate everything first: no half-shared table
        var columns = encoded.Select(e => new SecretColumn(e.Spec,
            e.Values is null ? null : engine.Share(e.Values),
            e.OneHot?.Select(v => engine.Share(v)).ToArray(),
            e.Present is null ? null : engine.Share(e.Present))).ToArray();
        return new SecretTable(schema.Name, engine, columns);
    }

    /// <summary>One column's plaintext encoding.</summary>
    public sealed record EncodedColumn(ColumnSpec Spec, ulong[]? Values, ulong[][]? OneHot, ulong[]? Present);

    public static IReadOnlyList<EncodedColumn> Encode(TableSchema schema, PlainTable data)
    {
        var extra = data.ColumnNames.Where(c => !schema.Has(c)).ToList();
        if (extra.Count > 0) throw new SchemaException($"Table '{data.Name}' has columns the schema '{schema.Name}' does not declare: {string.Join(", ", extra)}.");
        var missing = schema.Columns.Where(c => !data.Has(c.Name)).Select(c => c.Name).ToList();
        if (missing.Count > 0) throw new SchemaException($"Table '{data.Name}' lacks columns the schema '{schema.Name}' requires: {string.Join(", ", missing)}.");
        return schema.Columns.Select(spec => EncodeColumn(spec, data[spec.Name], data.Name)).ToArray();
    }

    static EncodedColumn EncodeColumn(ColumnSpec spec, Array raw, string table)
    {
        var encoder = new ColumnEncoder(spec);
        string Where(int row) => $"'{table}'.'{spec.Name}' row {row}";
        encoder.Begin(raw.Length);
        for (int r = 0; r < raw.Length; r++) encoder.Object(r, raw.GetValue(r), Where);
        return encoder.Finish(raw.Length);
    }
}
