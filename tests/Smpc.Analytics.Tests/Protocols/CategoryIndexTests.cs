using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Tests.Protocols;

/// <summary>
/// One-hot indicators of secret codes (k + 1 for level k, 0 for none): the secure engine's conversion and expansion
/// (<see cref="Analytics.Protocols.CategoryIndex"/>) equals the plaintext one-hot encoding for columns of different
/// widths at once, and so does the interface's default (batched equality) on the plaintext engine.
/// </summary>
public class CategoryIndexTests
{
    static ulong[] Codes(int levels, int rows, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, rows).Select(r => r % 5 == 2 ? 0UL : (ulong)(1 + rng.Next(levels)))];
    }

    [Fact]
    public void Columns_of_several_widths_expand_to_their_plaintext_one_hot_in_one_batch()
    {
        var columns = new[] { (Levels: 2, Rows: 300), (Levels: 5, Rows: 300), (Levels: 51, Rows: 300), (Levels: 6, Rows: 0), (Levels: 1, Rows: 70) };
        var codes = columns.Select((c, j) => Codes(c.Levels, c.Rows, j)).ToArray();
        foreach (IComputeEngine engine in new IComputeEngine[] { new SecureEngine(), new PlaintextEngine() })
            using (engine)
            {
                var shared = columns.Select((c, j) => engine.Share(codes[j])).ToArray();
                long roundsShared = engine.Traffic.Count == 0 ? 0 : engine.Traffic.Max(t => t.Rounds);
                var indicators = engine.OneHotOfCodes([.. columns.Select((c, j) => (shared[j], c.Levels))]);
                long rounds = engine.Traffic.Count == 0 ? 0 : engine.Traffic.Max(t => t.Rounds) - roundsShared;
                for (int j = 0; j < columns.Length; j++)
                {
                    Assert.Equal(columns[j].Levels, indicators[j].Count);
                    for (int k = 0; k < columns[j].Levels; k++)
                    {
                        var opened = engine.Reveal(indicators[j][k], "test");
                        Assert.Equal(codes[j].Select(c => c == (ulong)(k + 1) ? 1UL : 0UL), opened);
                    }
                }
                if (engine is SecureEngine)
                {
                    // Secure engine: one A2B for all columns, then one expansion per code width (2, 3 and 6 bits here,
                    // and 1 bit for the one-level column): far fewer rounds than one per column and level.
                    Assert.InRange(rounds, 1, 40);
                }
            }
    }
}
