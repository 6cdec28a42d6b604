// Selection and sorting of shuffled, distinct keys with comparison outcomes opened to the compute parties.
//
// What: keys must be pairwise distinct (ties broken by a unique secret row index) and in a uniformly random
// order (obliviously shuffled). Then every opened comparison outcome is a function of the ranks of the shuffled
// elements only — a uniformly random permutation independent of the data — so the parties learn nothing.
// Selection: segments of candidate positions are refined until each target rank is pinned: a segment of ≤ 1,024
// elements is ranked by comparing all pairs (one batch); a larger one ranks a random sample of up to 256 of its
// elements by all pairs, takes as pivots the sample elements just below and above each target's expected
// sample rank (± 2.5 standard deviations), and compares every element with those pivots (one batch); only
// buckets holding a target are kept (Floyd & Rivest, "Expected time bounds for selection", CACM 1975, §2).
// Sorting: the same refinement with up to 15 pivots per segment (its first elements, random because of the shuffle;
// as many as keep the level's comparisons within one chunk of 2^21), their own order compared in the same batch, i.e.
// samplesort (Frazer & McKellar, JACM 1970) with all segments of a level partitioned in one batch; segments of ≤ 48
// elements are ranked by all pairs.
// Reference for opened comparisons after a shuffle: Hamada, Kikuchi, Ikarashi, Chida & Takahashi, "Practically
// efficient multi-party sorting protocols from comparison sort algorithms" (ICISC 2012), §3.
// Security: semi-honest, honest majority. Leakage: to the compute parties, comparison outcomes of the shuffled
// keys — simulatable from a random permutation, hence nothing about the data. Cost: 9 rounds per chunk of 2^21
// comparisons (one comparison batch and its opening); selection about 2n comparisons and 4 levels of 18 rounds for
// n = 10^6 (a median of 1M values: 93 rounds); sorting about 15·n comparisons a level and ~log16(n/48) + 1 levels of
// 9 rounds for n ≤ 140,000 (with one pivot a level it took ~2·log2 n levels).
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class OrderStatistics
{
    const int AllPairsLimit = 1024;
    const int MaxSample = 256;
    const int SortAllPairsLimit = 48;
    const int SortPivots = 15;
    const int Chunk = 1 << 21;

    /// <summary>Positions (indices into <paramref name="keys"/>) of the elements of the given 0-based ranks.</summary>
    public static int[] Select(IComputeEngine e, SecretVector keys, IReadOnlyList<int> ranks)
    {
        foreach (var r in ranks) if ((uint)r >= (uint)keys.Length) throw new ArgumentOutOfRangeException(nameof(ranks), r, $"Rank {r} is outside 0..{keys.Length - 1}.");
        var targets = ranks.Distinct().Order().ToArray();
        var placed = Refine(e, keys, seg => targets.Any(t => t >= seg.Offset && t < seg.Offset + seg.Positions.Length), sampled: true, targets);
        return ranks.Select(r => placed[r]).ToArray();
    }

    /// <summary>Positions of all elements in ascending key order.</summary>
    public static int[] Sort(IComputeEngine e, SecretVector keys) =>
        Refine(e, keys, _ => true, sampled: false, []);

    sealed record Segment(int[] Positions, int Offset);

    static int[] Refine(IComputeEngine e, SecretVector keys, Func<Segment, bool> wanted, bool sampled, int[] targets)
    {
        int n = keys.Length;
        var placed = Enumerable.Repeat(-1, n).ToArray();
        var segments = new List<Segment> { new(Enumerable.Range(0, n).ToArray(), 0) };
        int level = 0;
        while (true)
        {
            OperationProgress.Report($"ordering: level {++level}");
            var work = new List<Segment>();
            foreach (var s in segments)
            {
                if (s.Positions.Length == 1) placed[s.Offset] = s.Positions[0];
                else if (s.Positions.Length > 1 && wanted(s)) work.Add(s);
            }
            if (work.Count == 0) return placed;

            // Phase A (selection only): rank a sample of every large segment by all pairs.
            var pivotsOf = new Dictionary<Segment, int[]>();
            int at;
            if (sampled)
            {
                var large = work.Where(s => s.Positions.Length > AllPairsLimit).ToList();
                var samples = large.Select(s => s.Positions.Take(Math.Min(MaxSample, Math.Max(32, s.Positions.Length / 4))).ToArray()).ToList();
                var sampleRanks = RankAllPairs(e, keys, samples);
                for (int k = 0; k < large.Count; k++) pivotsOf[large[k]] = ChoosePivots(large[k], samples[k], sampleRanks[k], targets);
            }
            else
            {
                // Sorting: the first p elements of each segment as pivots (random, because of the shuffle), p as many as
                // the level's comparisons allow within one chunk (at most 15: sixteen buckets a level).
                var sorting = work.Where(s => s.Positions.Length > SortAllPairsLimit).ToList();
                long elements = sorting.Sum(s => (long)s.Positions.Length);
                int p = elements == 0 ? 1 : (int)Math.Clamp(Chunk / elements, 1, SortPivots);
                foreach (var s in sorting) pivotsOf[s] = s.Positions.Take(Math.Min(p, s.Positions.Length / 2)).ToArray();
            }

            // Phase B: all pairs in small segments (selection), element-vs-pivots in the others; one batch.
            var small = work.Where(s => !pivotsOf.ContainsKey(s)).ToList();
            var left = new List<int>(); var right = new List<int>();
            var smallStart = left.Count;
            foreach (var s in small) AddAllPairs(s.Positions, left, right);
            var pivotStart = left.Count;
            foreach (var s in work.Where(pivotsOf.ContainsKey))
            {
                var piv = pivotsOf[s];
                foreach (var pos in s.Positions) if (Array.IndexOf(piv, pos) < 0) foreach (var p in piv) { left.Add(pos); right.Add(p); }
            }
            // Sorting with several pivots: their own order is compared in the same batch.
            var unordered = sampled ? [] : work.Where(s => pivotsOf.TryGetValue(s, out var piv) && piv.Length > 1).ToList();
            var pivotPairStart = left.Count;
            foreach (var s in unordered) AddAllPairs(pivotsOf[s], left, right);
            var lt = Compare(e, keys, left, right, "selection/sort: comparison outcomes of shuffled keys");
            at = pivotPairStart;
            foreach (var s in unordered)
            {
                var piv = pivotsOf[s];
                var rank = RanksFromAllPairs(piv.Length, lt, ref at);
                var ordered = new int[piv.Length];
                for (int i = 0; i < piv.Length; i++) ordered[rank[i]] = piv[i];
                pivotsOf[s] = ordered;
            }

            var next = new List<Segment>();
            foreach (var s in segments.Where(s => !work.Contains(s) && s.Positions.Length > 1)) next.Add(s);
            at = smallStart;
            foreach (var s in small)
            {
                var rank = RanksFromAllPairs(s.Positions.Length, lt, ref at);
                for (int i = 0; i < rank.Length; i++) placed[s.Offset + rank[i]] = s.Positions[i];
            }
            at = pivotStart;
            foreach (var s in work.Where(pivotsOf.ContainsKey))
            {
                var piv = pivotsOf[s];
                var buckets = Enumerable.Range(0, piv.Length + 1).Select(_ => new List<int>()).ToArray();
                foreach (var pos in s.Positions)
                {
                    if (Array.IndexOf(piv, pos) >= 0) continue;
                    int below = 0;
                    for (int m = 0; m < piv.Length; m++) if (!lt[at++]) below++;   // pivots smaller than this element
                    buckets[below].Add(pos);
                }
                int offset = s.Offset;
                for (int b = 0; b <= piv.Length; b++)
                {
                    next.Add(new Segment(buckets[b].ToArray(), offset));
                    offset += buckets[b].Count;
                    if (b < piv.Length) { next.Add(new Segment([piv[b]], offset)); offset++; }
                }
            }
            segments = next;
        }
    }

    /// <summary>Pivots (sorted ascending) bracketing each target inside the segment, from the sample's ranks.</summary>
    static int[] ChoosePivots(Segment s, int[] sample, int[] sampleRank, int[] targets)
    {
        int size = s.Positions.Length, k = sample.Length;
        var bySampleRank = new int[k];
        for (int i = 0; i < k; i++) bySampleRank[sampleRank[i]] = sample[i];
        var chosen = new SortedSet<int>();
        foreach (var t in targets.Where(t => t >= s.Offset && t < s.Offset + size))
        {
            double phi = (t - s.Offset + 0.5) / size;
            double rho = phi * k, delta = 2.5 * Math.Sqrt(k * phi * (1 - phi)) + 1;
            int lo = (int)Math.Floor(rho - delta), hi = (int)Math.Ceiling(rho + delta);
            if (lo >= 0) chosen.Add(lo);
            if (hi <= k - 1) chosen.Add(hi);
            if (lo < 0 && hi > k - 1) chosen.Add(Math.Clamp((int)rho, 0, k - 1));
        }
        return chosen.Select(r => bySampleRank[r]).ToArray();
    }

    static List<int[]> RankAllPairs(IComputeEngine e, SecretVector keys, List<int[]> groups)
    {
        var left = new List<int>(); var right = new List<int>();
        foreach (var g in groups) AddAllPairs(g, left, right);
        var lt = Compare(e, keys, left, right, "selection: comparison outcomes of a random sample of shuffled keys");
        int at = 0;
        return groups.Select(g => RanksFromAllPairs(g.Length, lt, ref at)).ToList();
    }

    static void AddAllPairs(int[] positions, List<int> left, List<int> right)
    {
        for (int i = 0; i < positions.Length; i++)
            for (int j = i + 1; j < positions.Length; j++) { left.Add(positions[i]); right.Add(positions[j]); }
    }

    /// <summary>Ranks of m elements from the outcomes [key_i &lt; key_j] for i &lt; j, consumed from <paramref name="at"/>.</summary>
    static int[] RanksFromAllPairs(int m, bool[] lt, ref int at)
    {
        var rank = new int[m];
        for (int i = 0; i < m; i++)
            for (int j = i + 1; j < m; j++)
                if (lt[at++]) rank[j]++; else rank[i]++;
        return rank;
    }

    static bool[] Compare(IComputeEngine e, SecretVector keys, List<int> left, List<int> right, string purpose)
    {
        // In chunks, so that the comparison circuit's intermediate words for millions of pairs never coexist.
        var result = new bool[left.Count];
        for (int start = 0; start < left.Count; start += Chunk)
        {
            int count = Math.Min(Chunk, left.Count - start);
            var bits = e.LessThan(e.Gather(keys, left.GetRange(start, count).ToArray()), e.Gather(keys, right.GetRange(start, count).ToArray()));
            e.RevealToParties(bits, purpose).CopyTo(result, start);
        }
        return result;
    }
}
