// Fuzzy linkage on secret shares: the decisions of FuzzyLinkageUnit.Link (Dice threshold, best match wins) computed
// by the three compute parties on secret-shared Bloom filters, revealing no score, no filter and no decision.
//
// Inputs: each side's filters as arithmetic shares of their bits (record r's m bits at [r·m, (r+1)·m)), and the
// public candidate pairs (from the pseudonymised blocking keys the parties see, FuzzyLinkageUnit.Candidates).
// Steps (rounds in brackets):
//   1. dot_k = Σ a_i·b_j for every candidate k = (i, j), and |a_i|, |b_j| (records with a candidate only) as dot
//      products with a public all-ones vector — all in one batch of dot products [1]; s_k = |a_i| + |b_j| (local).
//   2. above_k = ¬[2q·dot_k < p·s_k]: the Dice coefficient 2·dot_k/s_k reaches t = p/q [one comparison batch].
//   3. Best match: for every ordered pair (k, o) of candidates sharing a left or a right record, the products
//      dot_k·s_o and dot_o·s_k [1], then k beats o when dot_o·s_k < dot_k·s_o (o earlier) or ¬(dot_k·s_o < dot_o·s_k)
//      (o later) [one comparison batch]; beats as 0/1 ring elements, summed per candidate over the rivals of both its
//      groups; best_k when the sum equals the number of rivals [dot products with ones: 1; an equality batch].
//   4. link_k = above_k ∧ best_k [1 AND round].
// Cost: one dot product of m terms per candidate (local multiplications, one ring element sent per candidate), and
// comparisons linear in Σ_groups |G|² (blocks are small). Values: dot ≤ m, s ≤ 2m, products ≤ 2m² (≪ 2^62).
// Security: semi-honest, honest majority (the engine's). Leakage: the candidate pairs (hence block sizes, as in the
// plaintext blocking) are public to the parties; every score and decision stays shared. The caller decides what to
// open (e.g. the number of links, or the links in a shuffled order as the exact join opens pseudonyms).
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Linkage.Bloom;

public static class SecureFuzzyLinkage
{
    /// <summary>The secret decisions: one bit per candidate pair (in <see cref="Candidates"/>' order).</summary>
    public sealed record Decisions(SecretBits Links, IReadOnlyList<(int Left, int Right)> Candidates);

    /// <param name="left">Left filters: <paramref name="leftCount"/> × <paramref name="bits"/> shared 0/1 values, record-major.</param>
    /// <param name="candidates">Public candidate pairs, sorted ascending (as <see cref="FuzzyLinkageUnit.Candidates"/> returns them).</param>
    public static Decisions Decide(IComputeEngine engine, SecretVector left, int leftCount, SecretVector right, int rightCount, int bits,
                                   IReadOnlyList<(int Left, int Right)> candidates, double threshold)
    {
        long p = FuzzyLinkageUnit.ThresholdNumerator(threshold);
        if (left.Length != (long)leftCount * bits || right.Length != (long)rightCount * bits)
            throw new LinkageException($"Filters of {bits} bits: expected {leftCount}×{bits} and {rightCount}×{bits} shared bits, got {left.Length} and {right.Length}.");
        if (candidates.Count == 0) return new Decisions(engine.LessThan(engine.Public(ReadOnlySpan<ulong>.Empty), 0), candidates);
        // Only records with a candidate take part (most records of a large file block with nobody).
        var lefts = candidates.Select(c => c.Left).Distinct().Order().ToArray();
        var rights = candidates.Select(c => c.Right).Distinct().Order().ToArray();
        var segL = lefts.ToDictionary(r => r, r => engine.Gather(left, Range(r * bits, bits)));
        var segR = rights.ToDictionary(r => r, r => engine.Gather(right, Range(r * bits, bits)));
        var ones = engine.Public(Enumerable.Repeat(1UL, bits).ToArray());

        // 1. Popcounts and candidate dot products in one batch.
        var pairs = new List<(SecretVector, SecretVector)>(lefts.Length + rights.Length + candidates.Count);
        pairs.AddRange(lefts.Select(r => (segL[r], ones)));
        pairs.AddRange(rights.Select(r => (segR[r], ones)));
        pairs.AddRange(candidates.Select(c => (segL[c.Left], segR[c.Right])));
        var dots = engine.Dot(pairs);
        var leftAt = lefts.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
        var rightAt = rights.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
        var dot = engine.Gather(dots, Range(lefts.Length + rights.Length, candidates.Count));
        var sum = engine.Add(engine.Gather(dots, candidates.Select(c => leftAt[c.Left]).ToArray()),
                             engine.Gather(dots, candidates.Select(c => lefts.Length + rightAt[c.Right]).ToArray()));

        // 2. Threshold: ¬[2q·dot < p·s].
        var above = engine.Not(engine.LessThan(engine.MultiplyPublic(dot, (ulong)(2 * FuzzyLinkageUnit.ThresholdDenominator)), engine.MultiplyPublic(sum, (ulong)p)));

        // 3. Best match among the candidates of its left record and of its right record, in one pass: a candidate's rivals
        //    are the others of both its groups (no rival is in both: two candidates sharing both records are one pair).
        var (leftGroups, rightGroups) = FuzzyLinkageUnit.Groups(candidates);
        var best = Best(engine, dot, sum, [.. leftGroups, .. rightGroups], candidates.Count);

        // 4. Links.
        return new Decisions(engine.And(above, best), candidates);
    }

    /// <summary>best_k for every candidate: it beats every other candidate of every group it is in.</summary>
    static SecretBits Best(IComputeEngine engine, SecretVector dot, SecretVector sum, IReadOnlyList<List<int>> groups, int count)
    {
        // Ordered pairs (k, o) within each group, grouped by k in candidate order so each k's comparisons are contiguous.
        var ks = new List<int>();
        var os = new List<int>();
        var segments = new List<(int Start, int Length)>(count);
        var byCandidate = new List<int>[count];
        foreach (var g in groups)
            foreach (int k in g)
                (byCandidate[k] ??= []).AddRange(g.Where(o => o != k));
        for (int k = 0; k < count; k++)
        {
            segments.Add((ks.Count, byCandidate[k]?.Count ?? 0));
            foreach (int o in byCandidate[k] ?? []) { ks.Add(k); os.Add(o); }
        }
        if (ks.Count == 0) return engine.Equal(engine.Public(new ulong[count]), 0);   // every candidate alone in its group: all best

        // Products dot_k·s_o and dot_o·s_k for every ordered pair, one multiplication batch.
        int n = ks.Count;
        var kArr = ks.ToArray();
        var oArr = os.ToArray();
        var products = engine.Multiply(engine.Concat([engine.Gather(dot, kArr), engine.Gather(dot, oArr)]),
                                       engine.Concat([engine.Gather(sum, oArr), engine.Gather(sum, kArr)]));
        var mine = engine.Gather(products, Range(0, n));       // dot_k·s_o
        var theirs = engine.Gather(products, Range(n, n));     // dot_o·s_k
        // o earlier: k beats o iff theirs < mine; o later: iff ¬(mine < theirs). One comparison batch, then 1 − x for the later ones.
        var earlier = Enumerable.Range(0, n).Where(x => oArr[x] < kArr[x]).ToArray();
        var later = Enumerable.Range(0, n).Where(x => oArr[x] > kArr[x]).ToArray();
        var lhs = engine.Concat([engine.Gather(theirs, earlier), engine.Gather(mine, later)]);
        var rhs = engine.Concat([engine.Gather(mine, earlier), engine.Gather(theirs, later)]);
        var lessArith = engine.ToArithmetic(engine.LessThan(lhs, rhs));
        var beatsEarlier = engine.Gather(lessArith, Range(0, earlier.Length));
        var beatsLater = engine.AddPublic(engine.MultiplyPublic(engine.Gather(lessArith, Range(earlier.Length, later.Length)), ulong.MaxValue), 1);   // 1 − x
        // Back to pair order.
        var order = new int[n];
        for (int x = 0; x < earlier.Length; x++) order[earlier[x]] = x;
        for (int x = 0; x < later.Length; x++) order[later[x]] = earlier.Length + x;
        var beats = engine.Gather(engine.Concat([beatsEarlier, beatsLater]), order);

        // Wins per candidate (dot products of its segment with ones), then best iff wins = group size − 1.
        var onesFor = new Dictionary<int, SecretVector>();
        var sums = new List<(SecretVector, SecretVector)>(count);
        var expected = new ulong[count];
        var zero = engine.Public([0UL]);
        for (int k = 0; k < count; k++)
        {
            var (start, length) = segments[k];
            expected[k] = (ulong)length;
            if (length == 0) { sums.Add((zero, zero)); continue; }
            if (!onesFor.TryGetValue(length, out var o)) onesFor[length] = o = engine.Public(Enumerable.Repeat(1UL, length).ToArray());
            sums.Add((engine.Gather(beats, Range(start, length)), o));
        }
        var wins = engine.Dot(sums);
        return engine.Equal(wins, engine.Public(expected));
    }

    static int[] Range(int start, int count) => Enumerable.Range(start, count).ToArray();
}
