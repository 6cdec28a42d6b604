using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Study;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>
/// A contributed dataset's pseudonyms as a party service holds them: the pseudonym columns of its share file, prepared
/// by the contributor (normalise, build keys, pseudonymise) before it shared the file. A join takes the columns named
/// after its passes' keys; a pass whose key the contributor did not prepare is refused with the key named. Row tags for
/// joins of three or more datasets are the sum of one random contribution per party (no party knows a tag).
/// </summary>
internal sealed class SharedLinkSource(TableSchema schema, DataUseTerms terms, IReadOnlyDictionary<string, SecretColumn> pseudonyms, int rows) : ILinkSource
{
    public string Dataset => Schema.Name;
    public TableSchema Schema { get; } = schema;
    public DataUseTerms Terms { get; } = terms;
    public int RowCount { get; } = rows;

    public IReadOnlyList<SecretColumn> SharePseudonyms(IComputeEngine engine, IReadOnlyList<LinkageKey> keys, string scheme, Func<int, IPseudonymiser> pseudonymiser)
    {
        if (keys.Count > 0) LinkageTerms.CheckKeys(Terms, Dataset, keys.Select(k => (k.Name, k.Sources)));
        return keys.Select(k => pseudonyms.TryGetValue(k.Name, out var c) ? c
            : throw new QueryException($"Dataset '{Dataset}' was contributed without the pseudonym column '{k.Name}' that this pass needs; " +
                                       $"its contributor prepared: {(pseudonyms.Count == 0 ? "none" : string.Join(", ", pseudonyms.Keys))}.")).ToArray();
    }

    public SecretColumn ShareRowTags(IComputeEngine engine, string name)
    {
        var tags = engine.SumOfPartyContributions(RowCount, _ =>
        {
            var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(8 * RowCount);
            var own = new ulong[RowCount];
            for (int i = 0; i < own.Length; i++) own[i] = BitConverter.ToUInt64(bytes, 8 * i) >> 6;   // three 58-bit draws sum below 2^60
            return own;
        });
        var spec = new ColumnSpec { Name = name, Kind = ColumnKind.Integer, Min = 0, Max = Math.ScaleB(1.0, 60), Description = "random row tag" };
        return new SecretColumn(spec, tags);
    }
}
