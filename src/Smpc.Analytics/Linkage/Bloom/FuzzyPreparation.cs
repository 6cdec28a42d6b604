// Contributor-side preparation for the secure join's fuzzy pass: each record's keyed Bloom filter (BloomRecords, under
// the contributors' key) as one 0/1 column per bit, and its three blocking keys pseudonymised with the study's keyed
// hash (a missing key: a random dummy, so the record blocks with nobody on it). Identifiers never leave the
// contributor; the columns are secret-shared like any pseudonym column. Leakage: none (local).
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Linkage.Bloom;

public static class FuzzyPreparation
{
    /// <summary>The identifier columns a fuzzy encoding reads, as the data-use terms' LinkageColumns must list them.</summary>
    public static IReadOnlyList<string> Sources(string lastName, string firstName, string dateOfBirth) => [lastName, firstName, dateOfBirth];

    /// <summary>
    /// The fuzzy columns of <paramref name="identifiers"/>' rows (<see cref="FuzzyColumns"/>): data and specs, in row order.
    /// Refused, before anything is encoded, when <paramref name="rules"/> (if given) do not allow linkage on the names and
    /// the date of birth.
    /// </summary>
    public static (IReadOnlyList<ColumnSpec> Specs, PlainTable Data) Prepare(string dataset, PlainTable identifiers, BloomEncoder encoder, IPseudonymiser blocks,
        string lastName, string firstName, string dateOfBirth, string? dateFormat = null, LinkageRules? rules = null)
    {
        rules?.CheckKeys(dataset, [("fuzzy", Sources(lastName, firstName, dateOfBirth))]);
        var side = BloomRecords.Encode(identifiers, encoder, blocks, firstName, lastName, dateOfBirth, dateFormat);
        int bits = encoder.Spec.Bits, rows = side.Count;
        var data = new PlainTable(dataset);
        var specs = new List<ColumnSpec>(bits + FuzzyColumns.Blocks.Count);
        for (int i = 0; i < bits; i++)
        {
            var column = new ulong[rows];
            for (int r = 0; r < rows; r++) column[r] = (side.Filters[r][i >> 6] >> (i & 63)) & 1;
            data.Add(FuzzyColumns.BitSpec(i, bits).Name, column);
            specs.Add(FuzzyColumns.BitSpec(i, bits));
        }
        for (int k = 0; k < FuzzyColumns.Blocks.Count; k++)
        {
            var column = new ulong[rows];
            for (int r = 0; r < rows; r++) column[r] = side.Blocks[r][k];
            data.Add(FuzzyColumns.Block(k), column);
            specs.Add(FuzzyColumns.BlockSpec(k));
        }
        return (specs, data);
    }
}
