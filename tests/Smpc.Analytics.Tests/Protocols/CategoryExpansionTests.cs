using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Protocols;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Protocols;

/// <summary>
/// The one-hot expansion of stored category codes equals the one-hot encoding of the plaintext codes for every level —
/// including a level no row has and missing values (code 0 of a nullable column) — at any width and across blocks,
/// in the number of rounds the protocol states.
/// </summary>
public class CategoryExpansionTests
{
    static ColumnSpec Spec(int levels, bool nullable) => new()
    {
        Name = "c", Kind = ColumnKind.Categorical, Nullable = nullable, Domain = [.. Enumerable.Range(0, levels).Select(i => $"level{i}")],
    };

    /// <summary>Plaintext codes: random levels except the last (never used), every 7th row missing when nullable.</summary>
    static ulong[] Codes(ColumnSpec spec, int rows, int seed)
    {
        var rng = new Random(seed);
        int levels = spec.Domain!.Count, first = CategoryCode.First(spec);
        return [.. Enumerable.Range(0, rows).Select(r => spec.Nullable && r % 7 == 3 ? 0UL : (ulong)(first + rng.Next(Math.Max(1, levels - 1))))];
    }

    /// <summary>The xor-sharing of the codes as stored: each component narrowed to the code's bits.</summary>
    static BooleanShare[] Stored(ColumnSpec spec, ulong[] codes)
    {
        var views = ReplicatedSharing.ShareBoolean(codes);
        ulong mask = (1UL << CategoryCode.Bits(spec)) - 1;
        foreach (var v in views)
            for (int r = 0; r < v.Length; r++) { v.First[r] &= mask; v.Second[r] &= mask; }
        return views;
    }

    [Theory]
    [InlineData(1, false, 100)]      // one level: a 1-bit code, no AND round
    [InlineData(2, false, 64)]
    [InlineData(3, true, 65)]        // codes 0..3
    [InlineData(5, false, 1000)]
    [InlineData(50, true, 777)]      // 6 bits: 3 AND rounds
    [InlineData(300, false, 129)]    // 9 bits: stored as uint16
    [InlineData(4, false, 0)]        // an empty column
    public void Expansion_equals_the_one_hot_of_the_plaintext_codes(int levels, bool nullable, int rows)
    {
        var spec = Spec(levels, nullable);
        var codes = Codes(spec, rows, seed: levels * 31 + rows);
        var views = Stored(spec, codes);
        using var cluster = new LocalCluster();
        int bits = CategoryCode.Bits(spec);
        var result = cluster.Run(s =>
        {
            long before = s.Traffic.Rounds;
            var oneHot = CategoryExpansion.Expand(s, views[s.PartyId], bits, levels, CategoryCode.First(spec));
            return (oneHot, Rounds: s.Traffic.Rounds - before);
        });
        var expected = CategoryCode.ToOneHot(spec, codes);
        for (int k = 0; k < levels; k++)
            Assert.Equal(expected[k], ReplicatedSharing.Reconstruct([result[0].oneHot[k], result[1].oneHot[k], result[2].oneHot[k]]));
        if (levels > 1)   // the last level is never used: its indicator is all zero
            Assert.All(ReplicatedSharing.Reconstruct([result[0].oneHot[^1], result[1].oneHot[^1], result[2].oneHot[^1]]), v => Assert.Equal(0UL, v));
        foreach (var r in result) Assert.Equal(CategoryExpansion.Rounds(rows, bits, levels), r.Rounds);
        int depth = (int)Math.Ceiling(Math.Log2(bits));
        Assert.Equal(depth + 2, CategoryExpansion.Rounds(rows, bits, levels));   // one block: ⌈log2 b⌉ AND rounds + bit injection
    }

    [Fact]
    public void A_column_longer_than_one_block_is_expanded_block_by_block()
    {
        var spec = Spec(40, nullable: true);
        const int block = 128, rows = 2 * block + 100;
        var codes = Codes(spec, rows, seed: 5);
        var views = Stored(spec, codes);
        using var cluster = new LocalCluster();
        var result = cluster.Run(s =>
        {
            long before = s.Traffic.Rounds;
            var oneHot = CategoryExpansion.Expand(s, views[s.PartyId], CategoryCode.Bits(spec), 40, 1, block);
            return (oneHot, Rounds: s.Traffic.Rounds - before);
        });
        var expected = CategoryCode.ToOneHot(spec, codes);
        for (int k = 0; k < 40; k++)
            Assert.Equal(expected[k], ReplicatedSharing.Reconstruct([result[0].oneHot[k], result[1].oneHot[k], result[2].oneHot[k]]));
        Assert.Equal(3 * (3 + 2), CategoryExpansion.Rounds(rows, CategoryCode.Bits(spec), 40, block));   // 3 blocks of 6-bit codes
        foreach (var r in result) Assert.Equal(3 * (3 + 2), r.Rounds);
    }

    [Fact]
    public void The_engine_column_expands_on_first_use_once_with_presence_from_the_code()
    {
        var spec = Spec(4, nullable: true);
        var codes = Codes(spec, 200, seed: 9);
        using var engine = new SecureEngine();
        int expansions = 0;
        var views = Stored(spec, codes);
        var column = CategoryCode.Lazy(engine, spec, 200, () =>
        {
            expansions++;
            return engine.ExpandCategory(views, CategoryCode.Bits(spec), 4, 1);
        });
        Assert.True(column.IsExpansionPending);
        Assert.Equal(200, column.Length);
        Assert.Equal(0, expansions);
        var oneHot = column.OneHot!;
        _ = column.Present;
        _ = column.Vectors().ToArray();
        Assert.Equal(1, expansions);                      // cached for the column's life
        Assert.False(column.IsExpansionPending);
        var expected = CategoryCode.ToOneHot(spec, codes);
        for (int k = 0; k < 4; k++) Assert.Equal(expected[k], engine.Reveal(oneHot[k]));
        Assert.Equal(codes.Select(c => c == 0 ? 0UL : 1UL), engine.Reveal(column.Present!));
    }
}
