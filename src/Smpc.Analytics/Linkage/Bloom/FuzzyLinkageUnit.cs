// The hashed PPRL mode: a linkage unit that receives both agencies' record-level Bloom filters and pseudonymised
// blocking keys in the clear and links records whose filters are similar, as classic PPRL tools do.
// What: candidate pairs are the pairs of records (one per side) that share at least one blocking key, deduplicated
// across blocks; each candidate's Dice coefficient is compared with the threshold; pairs at or above it are taken in
// a candidate links when it reaches the threshold and scores highest among the candidates of both its records (ties:
// the earlier candidate) — best match wins, each record at most once, with integer comparisons only.
// Leakage (LEAKAGE.md, "Fuzzy linkage"): the linkage unit sees every filter, every block and every score; filters in
// the clear are open to frequency and pattern-mining attacks (notebook 03). The secure mode computes the same
// decisions on secret shares and reveals only block sizes and the number of links.
namespace Smpc.Analytics.Linkage.Bloom;

/// <summary>One side's records for fuzzy linkage: a Bloom filter and pseudonymised blocking keys (0 = none) per record.</summary>
public sealed record FuzzySide(IReadOnlyList<ulong[]> Filters, IReadOnlyList<ulong[]> Blocks)
{
    public int Count => Filters.Count;
}

/// <summary>A link: the left and right record, and the Dice coefficient of their filters.</summary>
public readonly record struct FuzzyLink(int Left, int Right, double Score);

/// <summary>Work a fuzzy linkage did: candidate pairs compared and the largest block.</summary>
public sealed record FuzzyLinkageStats(long CandidatePairs, int Blocks, int LargestBlock);

public static class FuzzyLinkageUnit
{
    /// <summary>Candidate pairs: every (left, right) sharing a blocking key, each pair once, in ascending order.</summary>
    public static (List<(int Left, int Right)> Pairs, FuzzyLinkageStats Stats) Candidates(FuzzySide left, FuzzySide right,
        IReadOnlySet<int>? leftDone = null, IReadOnlySet<int>? rightDone = null) => Candidates(left.Blocks, right.Blocks, leftDone, rightDone);

    /// <summary>Candidate pairs from each side's blocking keys alone (per record; 0 = none).</summary>
    public static (List<(int Left, int Right)> Pairs, FuzzyLinkageStats Stats) Candidates(IReadOnlyList<ulong[]> left, IReadOnlyList<ulong[]> right,
        IReadOnlySet<int>? leftDone = null, IReadOnlySet<int>? rightDone = null)
    {
        var blocks = new Dictionary<(int Key, ulong Block), (List<int> L, List<int> R)>();
        void Add(IReadOnlyList<ulong[]> side, IReadOnlySet<int>? done, bool isLeft)
        {
            for (int i = 0; i < side.Count; i++)
            {
                if (done?.Contains(i) == true) continue;
                var keys = side[i];
                for (int k = 0; k < keys.Length; k++)
                {
                    if (keys[k] == 0) continue;
                    if (!blocks.TryGetValue((k, keys[k]), out var b)) blocks[(k, keys[k])] = b = ([], []);
                    (isLeft ? b.L : b.R).Add(i);
                }
            }
        }
        Add(left, leftDone, true);
        Add(right, rightDone, false);
        var pairs = new HashSet<(int, int)>();
        int largest = 0, used = 0;
        foreach (var (_, (l, r)) in blocks)
        {
            if (l.Count == 0 || r.Count == 0) continue;
            used++;
            largest = Math.Max(largest, l.Count + r.Count);
            foreach (int i in l) foreach (int j in r) pairs.Add((i, j));
        }
        var list = pairs.ToList();
        list.Sort();
        return (list, new FuzzyLinkageStats(list.Count, used, largest));
    }

    /// <summary>
    /// Links records whose filters reach <paramref name="threshold"/>, best match wins: candidate k = (i, j) links when
    /// 2q·|a_i ∧ b_j| ≥ p·(|a_i| + |b_j|) (the Dice coefficient reaches t = p/q, q = 1000) and its Dice coefficient is the
    /// highest among the candidates of i and among the candidates of j (ties: the candidate earlier in the sorted
    /// candidate list wins). So each record links at most once, and the decision uses only integer comparisons —
    /// exactly what <see cref="SecureFuzzyLinkage"/> computes on shares. Records in <paramref name="leftDone"/> /
    /// <paramref name="rightDone"/> (linked by an earlier exact pass) take no part.
    /// </summary>
    public static (List<FuzzyLink> Links, FuzzyLinkageStats Stats) Link(FuzzySide left, FuzzySide right, double threshold,
        IReadOnlySet<int>? leftDone = null, IReadOnlySet<int>? rightDone = null)
    {
        long p = ThresholdNumerator(threshold);
        var (pairs, stats) = Candidates(left, right, leftDone, rightDone);
        var dot = new long[pairs.Count];
        var sum = new long[pairs.Count];
        for (int k = 0; k < pairs.Count; k++)
        {
            var (i, j) = pairs[k];
            (dot[k], sum[k]) = (Common(left.Filters[i], right.Filters[j]), Ones(left.Filters[i]) + Ones(right.Filters[j]));
        }
        var best = new bool[pairs.Count];
        Array.Fill(best, true);
        var (byLeft, byRight) = Groups(pairs);
        foreach (var group in byLeft.Concat(byRight))
            foreach (int k in group)
                foreach (int o in group)
                    if (o != k && !Beats(k, o, dot, sum)) best[k] = false;
        var links = new List<FuzzyLink>();
        for (int k = 0; k < pairs.Count; k++)
            if (best[k] && 2 * ThresholdDenominator * dot[k] >= p * sum[k])
                links.Add(new FuzzyLink(pairs[k].Left, pairs[k].Right, sum[k] == 0 ? 0 : 2.0 * dot[k] / sum[k]));
        return (links, stats);
    }

    /// <summary>The threshold's denominator q: t is used as p/q with p = round(t·q).</summary>
    public const long ThresholdDenominator = 1000;

    /// <summary>p = round(t·q) for a threshold t in (0, 1].</summary>
    public static long ThresholdNumerator(double threshold) =>
        threshold is > 0 and <= 1 ? (long)Math.Round(threshold * ThresholdDenominator)
        : throw new LinkageException($"A Dice threshold of {threshold}: use a number in (0, 1].");

    /// <summary>Whether candidate k beats candidate o of the same record: a higher Dice coefficient, or an equal one and
    /// k comes first (dot_k·s_o vs dot_o·s_k, integers).</summary>
    static bool Beats(int k, int o, long[] dot, long[] sum)
    {
        long mine = dot[k] * sum[o], theirs = dot[o] * sum[k];
        return o < k ? mine > theirs : mine >= theirs;
    }

    /// <summary>The candidates of each left record and of each right record (indices into the sorted candidate list,
    /// ascending), groups of one included.</summary>
    public static (List<List<int>> ByLeft, List<List<int>> ByRight) Groups(IReadOnlyList<(int Left, int Right)> pairs) =>
        (Enumerable.Range(0, pairs.Count).GroupBy(k => pairs[k].Left).Select(g => g.ToList()).ToList(),
         Enumerable.Range(0, pairs.Count).GroupBy(k => pairs[k].Right).Select(g => g.ToList()).ToList());

    static long Common(ulong[] a, ulong[] b)
    {
        long n = 0;
        for (int w = 0; w < a.Length; w++) n += System.Numerics.BitOperations.PopCount(a[w] & b[w]);
        return n;
    }

    static long Ones(ulong[] a)
    {
        long n = 0;
        foreach (var w in a) n += System.Numerics.BitOperations.PopCount(w);
        return n;
    }
}

/// <summary>Precision, recall and F1 of predicted links against the truth: a link is correct when both records belong
/// to the same entity; recall counts the entities present on both sides that some correct link found.</summary>
public sealed record LinkageQuality(int Predicted, int True, int Correct, int Found)
{
    public double Precision => Predicted == 0 ? 1 : (double)Correct / Predicted;
    public double Recall => True == 0 ? 1 : (double)Found / True;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <param name="leftEntity">The true entity of each left record; <paramref name="rightEntity"/> likewise.</param>
    public static LinkageQuality Of(IReadOnlyCollection<(int Left, int Right)> predicted, IReadOnlyList<string> leftEntity, IReadOnlyList<string> rightEntity)
    {
        var both = leftEntity.ToHashSet();
        both.IntersectWith(rightEntity);
        var correct = predicted.Where(p => leftEntity[p.Left] == rightEntity[p.Right]).ToList();
        return new LinkageQuality(predicted.Count, both.Count, correct.Count, correct.Select(p => leftEntity[p.Left]).Distinct().Count());
    }

    public override string ToString() => FormattableString.Invariant($"precision {Precision:F4}, recall {Recall:F4}, F1 {F1:F4} ({Correct} of {Predicted} links correct; {Found} of {True} entities in both found)");
}
