using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Columnar.Encoding;

namespace Smpc.Analytics.Columnar;

/// <summary>
/// The data steward's side: validates a plaintext table against the study schema, encodes every column
/// into Z_2^64 (integers as is, fixed point scaled by 2^f, categorical one-hot here (codes for the share files), booleans 0/1, missing
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

    /// <summary>One column's plaintext encoding: <paramref name="Values"/>, or for a categorical column its
    /// <paramref name="Code"/> per row (<see cref="CategoryCode"/>), and the presence of a nullable column.</summary>
    public sealed record EncodedColumn(ColumnSpec Spec, ulong[]? Values, ulong[]? Code, ulong[]? Present)
    {
        /// <summary>The categorical column one-hot (computed from <see cref="Code"/> on each call).</summary>
        public ulong[][]? OneHot => Code is null ? null : CategoryCode.ToOneHot(Spec, Code);
    }

    /// <summary>
    /// Secret-shares one encoded batch into the three parties' views as they are uploaded and stored (fresh OS
    /// randomness per vector): numeric columns and presence vectors arithmetic, a categorical column compactly as its
    /// xor-shared codes (<see cref="CategoryCode"/>; no presence vector: code 0 is "missing").
    /// </summary>
    public static SharedTable[] ShareViews(string dataset, IReadOnlyList<EncodedColumn> columns)
    {
        var perParty = new List<SharedColumn>[] { [], [], [] };
        foreach (var c in columns)
        {
            if (c.Code is not null)
            {
                var code = ReplicatedSharing.ShareBoolean(c.Code);
                ulong mask = (1UL << CategoryCode.Bits(c.Spec)) - 1;
                foreach (var view in code)
                    for (int r = 0; r < view.Length; r++) { view.First[r] &= mask; view.Second[r] &= mask; }
                for (int p = 0; p < 3; p++) perParty[p].Add(new SharedColumn(c.Spec, p, code[p]));
                continue;
            }
            var vectors = new[] { c.Values! }.Concat(c.Present is null ? [] : [c.Present]).Select(v => ReplicatedSharing.Share(v)).ToArray();
            for (int p = 0; p < 3; p++)
                perParty[p].Add(SharedColumn.FromVectors(c.Spec, p, vectors.Select(v => v[p]).ToArray(), c.Present is not null));
        }
        return [.. Enumerable.Range(0, 3).Select(p => new SharedTable(dataset, p, perParty[p]))];
    }

    /// <summary>Columns whose stored shares carry a presence vector: the nullable ones except categorical (coded) columns.</summary>
    public static IReadOnlyList<string> StoredPresence(TableSchema schema) =>
        [.. schema.Columns.Where(c => c.Nullable && c.Kind != ColumnKind.Categorical).Select(c => c.Name)];

    /// <summary>Columns stored as codes: the categorical ones.</summary>
    public static IReadOnlyList<string> StoredCodes(TableSchema schema) =>
        [.. schema.Columns.Where(c => c.Kind == ColumnKind.Categorical).Select(c => c.Name)];

    public static IReadOnlyList<EncodedColumn> Encode(TableSchema schema, PlainTable data)
    {
        var extra = data.ColumnNames.Where(c => !schema.Has(c)).ToList();
        if (extra.Count > 0) throw new SchemaException($"Table '{data.Name}' has columns the schema '{schema.Name}' does not declare: {string.Join(", ", extra)}.");
        var missing = schema.Columns.Where(c => !data.Has(c.Name)).Select(c => c.Name).ToList();
        if (missing.Count > 0) throw new SchemaException($"Table '{data.Name}' lacks columns the schema '{schema.Name}' requires: {string.Join(", ", missing)}.");
        // Columns on every core; a bad value is reported as the first in the schema's column order.
        var encoded = new EncodedColumn[schema.Columns.Count];
        WorkRanges.ForFirstErrorInOrder(encoded.Length, 1, (from, to) =>
        {
            for (int c = from; c < to; c++) encoded[c] = EncodeColumn(schema.Columns[c], data[schema.Columns[c].Name], data.Name);
        });
        return encoded;
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
