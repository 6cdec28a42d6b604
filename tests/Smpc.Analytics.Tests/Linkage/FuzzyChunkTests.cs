using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage.Bloom;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>The secure fuzzy decision in chunks (of candidates whose records fit, of rival pairs) decides exactly as in one
/// piece and as the hashed mode in the clear — on a candidate graph that is one large component, as common surnames make
/// it on large files — and its chunks of candidates cover them in order, each within its record budget.</summary>
public sealed class FuzzyChunkTests
{
    const int Bits = 128;

    /// <summary>Records drawn from a few persons with a few flipped bits each, all in two blocks: many candidates per
    /// record, equal filters (ties) and one connected component.</summary>
    static FuzzySide Side(Random rng, ulong[][] persons, int count) =>
        new([.. Enumerable.Range(0, count).Select(_ =>
            {
                var f = (ulong[])persons[rng.Next(persons.Length)].Clone();
                for (int flips = rng.Next(4); flips > 0; flips--) { int b = rng.Next(Bits); f[b >> 6] ^= 1UL << (b & 63); }
                return f;
            })],
            [.. Enumerable.Range(0, count).Select(i => new ulong[] { (ulong)(1 + i % 2), 7 })]);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 17)]
    [InlineData(40, 500)]
    public void Chunked_decisions_equal_the_whole_and_the_clear(long maxRecords, long maxRivalPairs)
    {
        var rng = new Random(11);
        var persons = Enumerable.Range(0, 5).Select(_ => new[] { (ulong)rng.NextInt64() & 0x0F0F_0F0F_0F0F_0F0FUL, (ulong)rng.NextInt64() & 0x00FF_00FF_00FF_00FFUL }).ToArray();
        var left = Side(rng, persons, 14);
        var right = Side(rng, persons, 12);
        var (candidates, _) = FuzzyLinkageUnit.Candidates(left, right);
        var (clear, _) = FuzzyLinkageUnit.Link(left, right, 0.8);
        Assert.True(clear.Count >= 3, $"{clear.Count} links in the clear");

        using var engine = new SecureEngine();
        SecretVector Share(FuzzySide s) => engine.Share(BloomRecords.Bits(s, Bits));
        bool[] Linked(FuzzyChunks chunks) =>
            engine.Reveal(SecureFuzzyLinkage.Decide(engine, Share(left), left.Count, Share(right), right.Count, Bits, candidates, 0.8, chunks).Links, "test");
        var whole = Linked(FuzzyChunks.Unbounded);
        var chunked = Linked(new FuzzyChunks(maxRecords, maxRivalPairs));
        Assert.Equal(whole, chunked);
        Assert.Equal(clear.Select(l => (l.Left, l.Right)).Order(), candidates.Where((_, k) => chunked[k]).Order());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(long.MaxValue)]
    public void Chunks_of_candidates_cover_them_in_order_within_their_records(long maxRecords)
    {
        var rng = new Random(3);
        var candidates = Enumerable.Range(0, 300).Select(_ => (Left: rng.Next(60), Right: rng.Next(70))).Distinct().Order().ToList();
        var chunks = SecureFuzzyLinkage.RecordChunks(candidates, maxRecords).ToList();
        Assert.Equal(0, chunks[0].From);
        for (int c = 1; c < chunks.Count; c++) Assert.Equal(chunks[c - 1].From + chunks[c - 1].Count, chunks[c].From);
        Assert.Equal(candidates.Count, chunks[^1].From + chunks[^1].Count);
        foreach (var (from, count) in chunks)
        {
            var part = candidates.Skip(from).Take(count).ToList();
            long records = part.Select(p => p.Left).Distinct().Count() + part.Select(p => p.Right).Distinct().Count();
            Assert.True(count == 1 || records <= maxRecords, $"a chunk of {count} candidates names {records} records");
        }
        if (maxRecords == long.MaxValue) Assert.Single(chunks);
        else Assert.True(chunks.Count > 1);
    }
}
