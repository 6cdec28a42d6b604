using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Columnar;

/// <summary>
/// The data steward's side: validates a plaintext table against the study schema, encodes every column
/// into Z_2^64 (integers as is, fixed point scaled by 2^f, categorical one-hot, booleans 0/1, missing
/// values as 0 with a presence indicator) and secret-shares it. Plaintext never reaches the compute parties.
/// Every problem is reported with the column and row; nothing is shared unless the whole table is valid.
/// </summary>
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
        int n = raw.Length;
        var present = new ulong[n];
        bool anyMissing = false;
        string Where(int row) => $"'{table}'.'{spec.Name}' row {row}";

        if (spec.Kind == ColumnKind.Categorical)
        {
            var domain = spec.Domain!;
            var index = domain.Select((v, i) => (v, i)).ToDictionary(t => t.v, t => t.i, StringComparer.Ordinal);
            var oneHot = domain.Select(_ => new ulong[n]).ToArray();
            for (int r = 0; r < n; r++)
            {
                var v = raw.GetValue(r);
                if (v is null) { anyMissing = true; continue; }
                var s = v as string ?? throw new SchemaException($"{Where(r)}: expected text for a categorical column, got {v.GetType().Name}.");
                if (!index.TryGetValue(s, out int k))
                    throw new SchemaException($"{Where(r)}: '{s}' is not in the declared domain ({string.Join(", ", domain)}).");
                oneHot[k][r] = 1;
                present[r] = 1;
            }
            CheckMissing(spec, anyMissing, table);
            return new EncodedColumn(spec, null, oneHot, anyMissing ? present : null);
        }

        var values = new ulong[n];
        var fp = new FixedPoint(spec.Scale);
        for (int r = 0; r < n; r++)
        {
            var v = raw.GetValue(r);
            if (v is null || v is double d0 && double.IsNaN(d0)) { anyMissing = true; continue; }
            present[r] = 1;
            switch (spec.Kind)
            {
                case ColumnKind.Boolean:
                    values[r] = v is bool b ? (b ? 1UL : 0UL) : throw new SchemaException($"{Where(r)}: expected true/false, got {v}.");
                    break;
                case ColumnKind.Pseudonym:
                    values[r] = v switch
                    {
                        ulong u => u,
                        long l => (ulong)l,
                        _ => throw new SchemaException($"{Where(r)}: expected a 64-bit pseudonym, got {v.GetType().Name}."),
                    };
                    break;
                default:
                {
                    double x = v switch
                    {
                        long l => l, int i => i, double d => d, float f => f, decimal m => (double)m,
                        _ => throw new SchemaException($"{Where(r)}: expected a number, got {v.GetType().Name} '{v}'."),
                    };
                    if (spec.Kind == ColumnKind.Integer && x != Math.Floor(x))
                        throw new SchemaException($"{Where(r)}: {x} is not an integer.");
                    if (x < spec.Min || x > spec.Max)
                        throw new RangeException($"{Where(r)}: {x} is outside the declared range [{spec.Min}, {spec.Max}].");
                    values[r] = spec.Kind == ColumnKind.Integer ? (ulong)(long)x : fp.Encode(x, Where(r));
                    break;
                }
            }
        }
        CheckMissing(spec, anyMissing, table);
        return new EncodedColumn(spec, values, null, anyMissing ? present : null);
    }

    static void CheckMissing(ColumnSpec spec, bool anyMissing, string table)
    {
        if (anyMissing && !spec.Nullable)
            throw new SchemaException($"'{table}'.'{spec.Name}' has missing values but the schema does not declare it nullable.");
    }
}
