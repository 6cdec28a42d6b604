using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>
/// A contributed dataset's pseudonyms as a party service holds them: the pseudonym columns of its share file, prepared
/// by the contributor (normalise, build keys, pseudonymise) before it shared the file. A join takes the columns named
/// after its passes' keys; a pass whose key the contributor did not prepare is refused with the key named, and so is a
/// join that asks for a pseudonymiser other than the one the contributor applied (<paramref name="scheme"/>), rather than
/// run under a scheme its pseudonyms do not have. Row tags for
/// joins of three or more datasets are the sum of one random contribution per party (no party knows a tag).
/// </summary>
internal sealed class SharedLinkSource(TableSchema schema, DataUseTerms terms, IReadOnlyDictionary<string, SecretColumn> pseudonyms, int rows, string scheme) : ILinkSource
{
    public string Dataset => Schema.Name;
    public TableSchema Schema { get; } = schema;
    public DataUseTerms Terms { get; } = terms;
    public int RowCount { get; } = rows;

    /// <summary>The pseudonym scheme the contributor applied at upload.</summary>
    public string Scheme { get; } = scheme;

    public IReadOnlyList<SecretColumn> SharePseudonyms(IComputeEngine engine, IReadOnlyList<LinkageKey> keys, string scheme, Func<int, IPseudonymiser> pseudonymiser)
    {
        CheckKeys(keys, scheme);
        return keys.Select(k => pseudonyms[k.Name]).ToArray();
    }

    public void CheckKeys(IReadOnlyList<LinkageKey> keys, string scheme)
    {
        if (scheme != Scheme)
            throw new QueryException($"Dataset '{Dataset}' was pseudonymised by its contributor at upload with {Scheme}; a join with the {scheme} pseudonymiser " +
                                     $"needs pseudonyms its contributor prepared with that scheme. Join with the pseudonymiser of the upload.");
        if (keys.Count > 0) Terms.LinkageRules().CheckKeys(Dataset, keys.Select(k => (k.Name, k.Sources)));
        foreach (var k in keys.Where(k => !pseudonyms.ContainsKey(k.Name)))
            throw new QueryException($"Dataset '{Dataset}' was contributed without the pseudonym column '{k.Name}' that this pass needs; " +
                                     $"its contributor prepared: {(pseudonyms.Count == 0 ? "none" : string.Join(", ", pseudonyms.Keys))}.");
    }

    public IReadOnlyList<SecretColumn> ShareFuzzy(IComputeEngine engine, string scheme, Func<FuzzyEncoding> encoding)
    {
        CheckFuzzy(scheme);
        return [.. FuzzyNames().Select(n => pseudonyms[n])];
    }

    public void CheckFuzzy(string scheme)
    {
        CheckKeys([], scheme);
        var names = FuzzyNames();
        if (names.Length == Linkage.Bloom.FuzzyColumns.Blocks.Count || names.Any(n => !pseudonyms.ContainsKey(n)))
            throw new QueryException($"Dataset '{Dataset}' was contributed without the fuzzy encoding that a fuzzy pass needs: its contributor prepares it " +
                                     "at upload when the schema declares one (\"fuzzy\": {\"bits\": 512, …} beside the identifiers) and the terms allow linkage on its fields.");
        LinkageKeyKinds.CheckFuzzy(Schema, Terms);
    }

    /// <summary>The filter's bit columns the share file holds, then the blocking columns.</summary>
    string[] FuzzyNames() => [.. Linkage.Bloom.FuzzyColumns.Filter(Linkage.Bloom.FuzzyColumns.BitsOf(pseudonyms.Keys)), .. Linkage.Bloom.FuzzyColumns.Blocks];

    public SecretColumn ShareRowTags(IComputeEngine engine, string name)
    {
        var tags = engine.SumOfPartyContributions(RowCount, _ =>
        {
            var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(8 * RowCount);
            var own = new ulong[RowCount];
            for (int i = 0; i < own.Length; i++) own[i] = BitConverter.ToUInt64(bytes, 8 * i) >> 6;   // three 58-bit draws sum below 2^60
            return own;
        });
        return new SecretColumn(PairwiseStarJoin.TagSpec(name), tags);
    }
}
