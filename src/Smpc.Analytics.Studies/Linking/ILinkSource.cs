using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

/// <summary>
/// Where a join finds a contributed dataset's pseudonym columns: a <see cref="Contributor"/> in this process prepares
/// them when a join asks; a party service takes the ones its share file already holds (<see cref="SharedLinkSource"/>,
/// prepared by the contributor before sharing). Either way identifiers never reach the compute parties.
/// </summary>
/// <summary>The contributors' keys for fuzzy encodings: the filter key (each dataset's declared encoding is keyed by it)
/// and the keyed hash of the blocking keys.</summary>
internal sealed record FuzzyEncoding(byte[] FilterKey, IPseudonymiser Blocks);

internal interface ILinkSource
{
    string Dataset { get; }

    /// <summary>The dataset's schema with its identifier declarations (which column is the SSN, the names, …).</summary>
    TableSchema Schema { get; }

    DataUseTerms Terms { get; }

    int RowCount { get; }

    /// <summary>Refuses, as <see cref="SharePseudonyms"/> would, keys this dataset cannot give under <paramref name="scheme"/>
    /// (terms that forbid a key's identifiers, a pseudonymiser other than the one of the upload); prepares nothing.</summary>
    void CheckKeys(IReadOnlyList<LinkageKey> keys, string scheme);

    /// <summary>Pseudonym columns for <paramref name="keys"/> in the row order of the shared table.</summary>
    IReadOnlyList<SecretColumn> SharePseudonyms(IComputeEngine engine, IReadOnlyList<LinkageKey> keys, string scheme, Func<int, IPseudonymiser> pseudonymiser);

    /// <summary>The fuzzy pass's columns (<see cref="Linkage.Bloom.FuzzyColumns"/>: the filter's bits, then the blocking
    /// pseudonyms) in the row order of the shared table, under the contributors' encoding <paramref name="encoding"/>
    /// (asked for only when the columns are still to prepare); refused when the terms forbid linkage on the names and
    /// the date of birth, or when the dataset was contributed without them.</summary>
    IReadOnlyList<SecretColumn> ShareFuzzy(IComputeEngine engine, string scheme, Func<FuzzyEncoding> encoding);

    /// <summary>Refuses, as <see cref="ShareFuzzy"/> would, a fuzzy pass this dataset cannot take part in; prepares nothing.</summary>
    void CheckFuzzy(string scheme);

    /// <summary>A column of fresh random tags, one per row, secret-shared (<see cref="PairwiseStarJoin"/>).</summary>
    SecretColumn ShareRowTags(IComputeEngine engine, string name);
}
