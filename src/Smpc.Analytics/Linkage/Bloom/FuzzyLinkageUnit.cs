// The hashed PPRL mode: a linkage unit that receives both agencies' record-level Bloom filters and pseudonymised
// blocking keys in the clear and links records whose filters are similar, as classic PPRL tools do.
// What: candidate pairs are the pairs of records (one per side) that share at least one blocking key, deduplicated
// across blocks; each candidate's Dice coefficient is compared with the threshold; pairs at or above it are taken in
// order of decreasing score (ties: lower left index, then lower right index), each record at most once — best match wins.
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
        IReadOnlySet<int>? leftDone = null, IReadOnlySet<int>? rightDone = null)
    {
        var blocks = new Dictionary<(int Key, ulong Block), (List<int> L, List<int> R)>();
        void Add(FuzzySide side, IReadOnlySet<int>? done, bool isLeft)
        {
            for (int i = 0; i < side.Count; i++)
            {
                if (done?.Contains(i) == true) continue;
                var keys = side.Blocks[i];
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

    /// <summary>Links records whose filters reach <paramref name="threshold"/>, best match first, each record at most once.
    /// Records in <paramref name="leftDone"/>/<paramref name="rightDone"/> (linked by an earlier exact pass) take no part.</summary>
    public static (List<FuzzyLink> Links, FuzzyLinkageStats Stats) Link(FuzzySide left, FuzzySide right, double threshold,
        IReadOnlySet<int>? leftDone = null, IReadOnlySet<int>? rightDone = null)
    {
        if (threshold is <= 0 or > 1) throw new LinkageException($"A Dice threshold of {threshold}: use a number in (0, 1].");
        var (pairs, stats) = Candidates(left, right, leftDone, rightDone);
        var scored = new List<FuzzyLink>();
        foreach (var (i, j) in pairs)
        {
            double s = BloomEncoder.Dice(left.Filters[i], right.Filters[j]);
            if (s >= threshold) scored.Add(new FuzzyLink(i, j, s));
        }
        scored.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Left != b.Left ? a.Left.CompareTo(b.Left) : a.Right.CompareTo(b.Right));
        var takenL = new HashSet<int>();
        var takenR = new HashSet<int>();
        var links = new List<FuzzyLink>();
        foreach (var link in scored)
            if (!takenL.Contains(link.Left) && !takenR.Contains(link.Right))
            {
                takenL.Add(link.Left);
                takenR.Add(link.Right);
                links.Add(link);
            }
        return (links, stats);
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
