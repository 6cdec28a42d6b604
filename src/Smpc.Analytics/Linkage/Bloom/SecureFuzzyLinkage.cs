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
// Memory: step 1 runs in chunks of candidates whose records' filters fit FuzzyChunks.MaxRecords, step 3 in chunks of
// at most FuzzyChunks.MaxRivalPairs ordered rival pairs (a chunk's rounds each; the decisions do not depend on them),
// so files whose candidate graph is one large component (common surnames) still fit in memory.
// Security: semi-honest, honest majority (the engine's). Leakage: the candidate pairs (hence block sizes, as in the
// plaintext blocking) are public to the parties; every score and decision stays shared. The caller decides what to
// open (e.g. the number of links, or the links in a shuffled order as the exact join opens pseudonyms).
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Linkage.Bloom;

/// <summary>How much of the decision one chunk holds: candidate records whose filters are gathered at once (left plus
/// right) and ordered rival pairs compared at once. Each chunk costs its rounds; the decisions are the same.</summary>
public sealed record FuzzyChunks(long MaxRecords = long.MaxValue, long MaxRivalPairs = long.MaxValue)
{
    public static readonly FuzzyChunks Unbounded = new();
}

public static class SecureFuzzyLinkage
{
    /// <summary>The secret decisions: one bit per candidate pair (in <see cref="Candidates"/>' order).</summary>
    public sealed record Decisions(SecretBits Links, IReadOnlyList<(int Left, int Right)> Candidates);

    /// <summary>The shared filters of some records: for sorted left and right record numbers, their filters as shared 0/1
    /// values, record-major (record i of the list at [i·m, (i+1)·m)).</summary>
    public delegate (SecretVector Left, SecretVector Right) FilterSource(int[] lefts, int[] rights);

    /// <param name="left">Left filters: <paramref name="leftCount"/> × <paramref name="bits"/> shared 0/1 values, record-major.</param>
    /// <param name="candidates">Public candidate pairs, sorted ascending (as <see cref="FuzzyLinkageUnit.Candidates"/> returns them).</param>
    public static Decisions Decide(IComputeEngine engine, SecretVector left, int leftCount, SecretVector right, int rightCount, int bits,
                                   IReadOnlyList<(int Left, int Right)> candidates, double threshold, FuzzyChunks? chunks = null)
    {
        if (left.Length != (long)leftCount * bits || right.Length != (long)rightCount * bits)
            throw new LinkageException($"Filters of {bits} bits: expected {leftCount}×{bits} and {rightCount}×{bits} shared bits, got {left.Length} and {right.Length}.");
        SecretVector Records(SecretVector all, int[] rows) =>
            engine.Gather(all, [.. rows.SelectMany(r => Enumerable.Range(r * bits, bits))]);
        return Decide(engine, (lefts, rights) => (Records(left, lefts), Records(right, rights)), bits, candidates, threshold, chunks);
    }

    /// <param name="filters">Gives the shared filters of the records a chunk of candidates names.</param>
    /// <param name="candidates">Public candidate pairs, sorted ascending.</param>
    public static Decisions Decide(IComputeEngine engine, FilterSource filters, int bits,
                                   IReadOnlyList<(int Left, int Right)> candidates, double threshold, FuzzyChunks? chunks = null)
    {
        chunks ??= FuzzyChunks.Unbounded;
        long p = FuzzyLinkageUnit.ThresholdNumerator(threshold);
        if (candidates.Count == 0) return new Decisions(engine.LessThan(engine.Public(ReadOnlySpan<ulong>.Empty), 0), candidates);

        // 1. Candidate dot products and popcount sums, chunk by chunk of consecutive candidates (only records with a
        //    candidate take part: most records of a large file block with nobody).
        var dotParts = new List<SecretVector>();
        var sumParts = new List<SecretVector>();
        var ones = engine.Public(Enumerable.Repeat(1UL, bits).ToArray());
        foreach (var (from, count) in RecordChunks(candidates, chunks.MaxRecords))
        {
            var chunk = Enumerable.Range(from, count).Select(k => candidates[k]).ToArray();
            var lefts = chunk.Select(c => c.Left).Distinct().Order().ToArray();
            var rights = chunk.Select(c => c.Right).Distinct().Order().ToArray();
            var (leftBits, rightBits) = filters(lefts, rights);
            if (leftBits.Length != (long)lefts.Length * bits || rightBits.Length != (long)rights.Length * bits)
                throw new LinkageException($"Filters of {bits} bits: expected {lefts.Length}×{bits} and {rights.Length}×{bits} shared bits, got {leftBits.Length} and {rightBits.Length}.");
            var segL = lefts.Select((_, i) => engine.Gather(leftBits, Range(i * bits, bits))).ToArray();
            var segR = rights.Select((_, i) => engine.Gather(rightBits, Range(i * bits, bits))).ToArray();
            var leftAt = lefts.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
            var rightAt = rights.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
            // Popcounts and dot products in one batch.
            var pairs = new List<(SecretVector, SecretVector)>(lefts.Length + rights.Length + chunk.Length);
            pairs.AddRange(segL.Select(x => (x, ones)));
            pairs.AddRange(segR.Select(x => (x, ones)));
            pairs.AddRange(chunk.Select(c => (segL[leftAt[c.Left]], segR[rightAt[c.Right]])));
            var dots = engine.Dot(pairs);
            dotParts.Add(engine.Gather(dots, Range(lefts.Length + rights.Length, chunk.Length)));
            sumParts.Add(engine.Add(engine.Gather(dots, chunk.Select(c => leftAt[c.Left]).ToArray()),
                                    engine.Gather(dots, chunk.Select(c => lefts.Length + rightAt[c.Right]).ToArray())));
        }
        var dot = dotParts.Count == 1 ? dotParts[0] : engine.Concat(dotParts);
        var sum = sumParts.Count == 1 ? sumParts[0] : engine.Concat(sumParts);

        // 2. Threshold: ¬[2q·dot < p·s].
        var above = engine.Not(engine.LessThan(engine.MultiplyPublic(dot, (ulong)(2 * FuzzyLinkageUnit.ThresholdDenominator)), engine.MultiplyPublic(sum, (ulong)p)));

        // 3. Best match among the candidates of its left record and of its right record, in one pass: a candidate's rivals
        //    are the others of both its groups (no rival is in both: two candidates sharing both records are one pair).
        var best = Best(engine, dot, sum, candidates, chunks.MaxRivalPairs);

        // 4. Links.
        return new Decisions(engine.And(above, best), candidates);
    }

    /// <summary>Consecutive runs of candidates whose distinct records (left plus right) number at most
    /// <paramref name="maxRecords"/> (one candidate at least).</summary>
    internal static IEnumerable<(int From, int Count)> RecordChunks(IReadOnlyList<(int Left, int Right)> candidates, long maxRecords)
    {
        var lefts = new HashSet<int>();
        var rights = new HashSet<int>();
        int from = 0;
        for (int k = 0; k < candidates.Count; k++)
        {
            int more = (lefts.Contains(candidates[k].Left) ? 0 : 1) + (rights.Contains(candidates[k].Right) ? 0 : 1);
            if (k > from && lefts.Count + rights.Count + more > maxRecords)
            {
                yield return (from, k - from);
                from = k;
                lefts.Clear();
                rights.Clear();
            }
            lefts.Add(candidates[k].Left);
            rights.Add(candidates[k].Right);
        }
        yield return (from, candidates.Count - from);
    }

    /// <summary>best_k for every candidate: it beats every other candidate of every group it is in. The ordered rival
    /// pairs are compared in chunks of whole candidates, at most <paramref name="maxRivalPairs"/> each (one candidate's
    /// rivals at least).</summary>
    static SecretBits Best(IComputeEngine engine, SecretVector dot, SecretVector sum, IReadOnlyList<(int Left, int Right)> candidates, long maxRivalPairs)
    {
        int count = candidates.Count;
        var (leftGroups, rightGroups) = FuzzyLinkageUnit.Groups(candidates);
        var leftGroupOf = new int[count];
        var rightGroupOf = new int[count];
        for (int g = 0; g < leftGroups.Count; g++) foreach (int k in leftGroups[g]) leftGroupOf[k] = g;
        for (int g = 0; g < rightGroups.Count; g++) foreach (int k in rightGroups[g]) rightGroupOf[k] = g;
        long RivalsOf(int k) => leftGroups[leftGroupOf[k]].Count + rightGroups[rightGroupOf[k]].Count - 2;

        var winsParts = new List<SecretVector>();
        var expected = new ulong[count];
        int first = 0;
        long held = 0;
        for (int k = 0; k <= count; k++)
        {
            long rivals = k < count ? RivalsOf(k) : 0;
            if (k == count || (k > first && held + rivals > maxRivalPairs))
            {
                winsParts.Add(Wins(engine, dot, sum, first, k - first, leftGroups, rightGroups, leftGroupOf, rightGroupOf, expected));
                first = k;
                held = 0;
            }
            held += rivals;
        }
        var wins = winsParts.Count == 1 ? winsParts[0] : engine.Concat(winsParts);
        return engine.Equal(wins, engine.Public(expected));
    }

    /// <summary>The wins of candidates [first, first + n) over their rivals, and their rival counts in <paramref name="expected"/>.</summary>
    static SecretVector Wins(IComputeEngine engine, SecretVector dot, SecretVector sum, int first, int n,
                             List<List<int>> leftGroups, List<List<int>> rightGroups, int[] leftGroupOf, int[] rightGroupOf, ulong[] expected)
    {
        // Ordered pairs (k, o), grouped by k so each k's comparisons are contiguous.
        var ks = new List<int>();
        var os = new List<int>();
        var segments = new (int Start, int Length)[n];
        for (int i = 0; i < n; i++)
        {
            int k = first + i, start = ks.Count;
            foreach (int o in leftGroups[leftGroupOf[k]].Concat(rightGroups[rightGroupOf[k]]))
                if (o != k) { ks.Add(k); os.Add(o); }
            segments[i] = (start, ks.Count - start);
            expected[k] = (ulong)(ks.Count - start);
        }
        if (ks.Count == 0) return engine.Public(new ulong[n]);   // every candidate of the chunk alone in its groups: all best

        // Products dot_k·s_o and dot_o·s_k for every ordered pair, one multiplication batch.
        int m = ks.Count;
        var kArr = ks.ToArray();
        var oArr = os.ToArray();
        var products = engine.Multiply(engine.Concat([engine.Gather(dot, kArr), engine.Gather(dot, oArr)]),
                                       engine.Concat([engine.Gather(sum, oArr), engine.Gather(sum, kArr)]));
        var mine = engine.Gather(products, Range(0, m));       // dot_k·s_o
        var theirs = engine.Gather(products, Range(m, m));     // dot_o·s_k
        // o earlier: k beats o iff theirs < mine; o later: iff ¬(mine < theirs). One comparison batch, then 1 − x for the later ones.
        var earlier = Enumerable.Range(0, m).Where(x => oArr[x] < kArr[x]).ToArray();
        var later = Enumerable.Range(0, m).Where(x => oArr[x] > kArr[x]).ToArray();
        var lhs = engine.Concat([engine.Gather(theirs, earlier), engine.Gather(mine, later)]);
        var rhs = engine.Concat([engine.Gather(mine, earlier), engine.Gather(theirs, later)]);
        var lessArith = engine.ToArithmetic(engine.LessThan(lhs, rhs));
        var beatsEarlier = engine.Gather(lessArith, Range(0, earlier.Length));
        var beatsLater = engine.AddPublic(engine.MultiplyPublic(engine.Gather(lessArith, Range(earlier.Length, later.Length)), ulong.MaxValue), 1);   // 1 − x
        // Back to pair order.
        var order = new int[m];
        for (int x = 0; x < earlier.Length; x++) order[earlier[x]] = x;
        for (int x = 0; x < later.Length; x++) order[later[x]] = earlier.Length + x;
        var beats = engine.Gather(engine.Concat([beatsEarlier, beatsLater]), order);

        // Wins per candidate: dot products of its segment with ones.
        var onesFor = new Dictionary<int, SecretVector>();
        var sums = new List<(SecretVector, SecretVector)>(n);
        var zero = engine.Public([0UL]);
        foreach (var (start, length) in segments)
        {
            if (length == 0) { sums.Add((zero, zero)); continue; }
            if (!onesFor.TryGetValue(length, out var o)) onesFor[length] = o = engine.Public(Enumerable.Repeat(1UL, length).ToArray());
            sums.Add((engine.Gather(beats, Range(start, length)), o));
        }
        return engine.Dot(sums);
    }

    static int[] Range(int start, int count) => Enumerable.Range(start, count).ToArray();
}
