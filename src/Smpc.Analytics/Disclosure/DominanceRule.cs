// The p% dominance rule for cell sums, evaluated on shares.
//
// What: a cell with total T and largest contributions x1 ≥ x2 is sensitive when T − x1 − x2 < (p/100)·x1
// (the second-largest contributor could estimate x1 to within p%). Each row is one contributor. For a column that
// may be negative (declared minimum < 0, e.g. an account balance) the rule is applied to absolute contributions
// |x| = x·(1 − 2·[x < 0]) and T = Σ|x| per cell (sensitivity rules on absolute values for magnitude tables with
// negative contributions, Hundepool et al. 2012 §4.2). The two largest contributions per cell come from a segmented
// tournament: every cell's masked column (I_cell ⊙ w ⊙ x, zero outside the cell) is cut into groups of G values
// (16, 32 or 64), each group reduced to its two largest by comparing all G(G − 1)/2 pairs at once and ranking (see
// TopTwoOfGroups), and the pairs of G/2 groups form the groups of the next level; margins reduce their cells' pairs
// the same way. G per level (GroupSize) is the widest of 64, 32, 16 whose comparisons, V·(G − 1)/2 for the level's V
// values, stay within the division's candidate budget (2^18, about 8 MiB per party), 16 when none does, and never
// wider than the longest segment: public facts only (the cell layout and row count).
// Only the sensitivity bit is opened (with the cell-size bit), never T, x1 or x2. The same rule guards the column's
// order statistics (min, max, quantiles): Disclosure/OrderStatisticRule.cs.
// Reference: Hundepool et al., "Statistical Disclosure Control" (Wiley 2012), §4.2.2 (p% rule); tournament
// for the two largest elements: Knuth, TAOCP vol. 3, §5.3.3.
// Security: semi-honest, honest majority. Leakage: none beyond the opened rule bit (comparison outcomes stay
// shared; the tournament's shape depends only on the public cell layout).
// Cost: |x| for signed columns adds one comparison batch over n and one product round; per tournament level one batch of
// comparisons, one bit injection and ⌈log2(G − 1)⌉ + 1 product rounds: 15 rounds for G = 16 (divides the values by
// 8), 16 for 32, 17 for 64 (divides by 32). E.g. 5 cells of n = 3,515: 17,575 → 2,200 values in groups of 16, then
// 64 per group to 5 × 14, then 14 to 5 pairs: 47 rounds (in groups of 8 it took 6 levels and 84 rounds, pairwise
// 12 levels). Comparisons: about (G − 1)/2 per value at the first level — more bytes for fewer rounds, the trade
// wide-area links want — meant for business tables of moderate size.
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Disclosure;

public static class DominanceRule
{
    /// <summary>Secret (x1, x2) per cell of the layout (interior and margins) from the masked contribution vector.</summary>
    public static (SecretVector First, SecretVector Second) TopTwo(IComputeEngine e, CellLayout layout, IReadOnlyList<Dimension> dims, SecretVector contributions)
    {
        int n = contributions.Length;
        // Per interior cell, the contributions of its rows (zero elsewhere), concatenated.
        IReadOnlyList<SecretVector> perCell;
        if (dims.Count == 0) perCell = [contributions];
        else if (dims.Count == 1)
        {
            var inds = dims[0].Indicators;
            var products = e.Multiply(e.Concat(inds), e.Concat(inds.Select(_ => contributions).ToArray()));
            perCell = [products];
        }
        else
        {
            var a = dims[0].Indicators; var b = dims[1].Indicators;
            var u = e.Multiply(e.Concat(a), e.Concat(a.Select(_ => contributions).ToArray()));
            var left = e.Concat(Enumerable.Range(0, a.Count).SelectMany(i => b.Select(_ => e.Gather(u, Enumerable.Range(i * n, n).ToArray()))).ToArray());
            var right = e.Concat(Enumerable.Range(0, a.Count).SelectMany(_ => b).ToArray());
            perCell = [e.Multiply(left, right)];
        }
        var values = perCell[0];
        var lengths = Enumerable.Repeat(n, layout.InteriorCount).ToArray();
        var (top1, top2) = Segmented(e, values, lengths);
        if (layout.Count == layout.InteriorCount) return (top1, top2);
        // Margins: merge the pairs of the interior cells each margin covers.
        var marginParts = Enumerable.Range(layout.InteriorCount, layout.Count - layout.InteriorCount).Select(layout.InteriorOf).ToArray();
        var idx = marginParts.SelectMany(p => p).ToArray();
        var pairs = e.Concat([top1, top2]);
        var (m1, m2) = Segmented(e, e.Gather(pairs, idx.SelectMany(q => new[] { q, top1.Length + q }).ToArray()), marginParts.Select(p => 2 * p.Length).ToArray());
        return (e.Concat([top1, m1]), e.Concat([top2, m2]));
    }

    /// <summary>Secret (x1, x2) of one cell holding every element of <paramref name="contributions"/> (zero outside the cell).</summary>
    public static (SecretVector First, SecretVector Second) TopTwo(IComputeEngine e, SecretVector contributions) =>
        Segmented(e, contributions, [contributions.Length]);

    /// <summary>Secret (x1, x2) of each of consecutive segments of <paramref name="values"/> (lengths given; values ≥ 0).</summary>
    public static (SecretVector First, SecretVector Second) TopTwoOfSegments(IComputeEngine e, SecretVector values, int[] lengths)
    {
        if (lengths.Sum() != values.Length || lengths.Any(l => l < 1)) throw new ShapeException($"Segments of lengths {string.Join(", ", lengths)} do not cover {values.Length} values.");
        return Segmented(e, values, lengths);
    }

    /// <summary>|x| on shares: x·(1 − 2·[x &lt; 0]) (one comparison batch and one product round).</summary>
    public static SecretVector Absolute(IComputeEngine e, SecretVector x)
    {
        var negative = e.ToArithmetic(e.LessThan(x, 0UL));
        return e.Multiply(x, e.AddPublic(e.MultiplyPublic(negative, unchecked((ulong)-2L)), 1));
    }

    /// <summary>Σ contributions per cell of the layout: interior cells by dot products with the indicators (two
    /// dimensions: one product round first), margins as sums of their interior cells (local).</summary>
    public static SecretVector CellSums(IComputeEngine e, CellLayout layout, IReadOnlyList<Dimension> dims, SecretVector contributions)
    {
        int n = contributions.Length;
        SecretVector interior;
        if (dims.Count == 0) interior = e.Sum(contributions);
        else if (dims.Count == 1) interior = e.Dot(dims[0].Indicators.Select(ind => (ind, contributions)).ToArray());
        else
        {
            var a = dims[0].Indicators; var b = dims[1].Indicators;
            var u = e.Multiply(e.Concat(a), e.Concat(a.Select(_ => contributions).ToArray()));
            interior = e.Dot(Enumerable.Range(0, a.Count)
                .SelectMany(i => b.Select(ind => (e.Gather(u, Enumerable.Range(i * n, n).ToArray()), ind))).ToArray());
        }
        return CellAggregator.WithMargins(e, layout, interior);
    }

    /// <summary>Widest group of a tournament level: 64 values (raw contributions, or 32 pairs) become two in 17 rounds.</summary>
    public const int MaxGroup = 64;

    /// <summary>Narrowest group when the values are many: 16 values become two in 15 rounds (8 in groups of 8 took 14
    /// rounds for a quarter of the reduction).</summary>
    public const int MinGroup = 16;

    /// <summary>Group size of a level with segments of the given lengths: the widest of 64, 32, 16 whose all-pairs
    /// comparisons over the level's values fit <see cref="SecureDivision.CandidateBudget"/> (16 when none does), never
    /// wider than the longest segment and at least 2. Public facts only.</summary>
    static int GroupSize(int[] lengths)
    {
        long values = lengths.Sum(l => (long)l);
        int group = MaxGroup;
        while (group > MinGroup && values * (group - 1) / 2 > SecureDivision.CandidateBudget) group /= 2;
        return Math.Clamp(lengths.Max(), 2, group);
    }

    /// <summary>
    /// The two largest values of each of consecutive segments (lengths given; values ≥ 0). Each level cuts every segment
    /// into groups (zero-padded; <see cref="GroupSize"/>), and each group becomes its (largest, second largest) by
    /// <see cref="TopTwoOfGroups"/>; levels repeat until each segment is one pair. A segment of one value gives (value, 0).
    /// </summary>
    static (SecretVector, SecretVector) Segmented(IComputeEngine e, SecretVector values, int[] lengths)
    {
        var len = (int[])lengths.Clone();
        do
        {
            int group = GroupSize(len);
            // Positions of each group's members in [values, 0] (index values.Length is the zero used as padding).
            int zero = values.Length, groups = len.Sum(l => (l + group - 1) / group);
            var members = new int[group][];
            for (int k = 0; k < group; k++) members[k] = new int[groups];
            int g = 0, off = 0;
            foreach (int l in len)
            {
                for (int start = 0; start < l; start += group, g++)
                    for (int k = 0; k < group; k++) members[k][g] = start + k < l ? off + start + k : zero;
                off += l;
            }
            var padded = e.Concat([values, e.Public(new ulong[1])]);
            var (top, second) = TopTwoOfGroups(e, members.Select(m => e.Gather(padded, m)).ToArray());
            // Next level: per segment, its groups' pairs in order (top, second, top, second, …).
            values = e.Gather(e.Concat([top, second]), Enumerable.Range(0, groups).SelectMany(x => new[] { x, groups + x }).ToArray());
            len = len.Select(l => 2 * ((l + group - 1) / group)).ToArray();
        }
        while (len.Any(l => l > 2));
        var n = len.Length;
        return (e.Gather(values, Enumerable.Range(0, n).Select(x => 2 * x).ToArray()), e.Gather(values, Enumerable.Range(0, n).Select(x => 2 * x + 1).ToArray()));
    }

    /// <summary>
    /// Largest and second largest of each group: member k of group g is v[k][g]. All pairs (i &lt; j) are compared in one
    /// batch, c_ij = [v_i &lt; v_j]; j beats i when v_j &gt; v_i, or v_j = v_i and j &lt; i (a strict order, so ranks are
    /// 0 … m − 1 without ties). With b_ji = [j beats i] and a_ji = 1 − b_ji, the indicators rank_i = 0 and rank_i = 1 are
    /// E0_i = Π_j a_ji and E1_i = Σ_j b_ji Π_{l≠j} a_li, folded pairwise, (E0, E1)∘(F0, F1) = (E0F0, E0F1 + E1F0), in
    /// ⌈log2(m − 1)⌉ product rounds (4 for m = 16, 6 for 64); then Σ E0_i v_i and Σ E1_i v_i in one more (15 rounds a
    /// level of 16 with the comparison batch and bit injection, 17 for 64).
    /// </summary>
    static (SecretVector Top, SecretVector Second) TopTwoOfGroups(IComputeEngine e, SecretVector[] v)
    {
        int m = v.Length, g = v[0].Length;
        var pairIndex = new int[m, m];
        var pairs = new List<(int I, int J)>();
        for (int i = 0; i < m; i++) for (int j = i + 1; j < m; j++) { pairIndex[i, j] = pairs.Count; pairs.Add((i, j)); }
        var c = e.ToArithmetic(e.LessThan(e.Concat(pairs.Select(p => v[p.I]).ToArray()), e.Concat(pairs.Select(p => v[p.J]).ToArray())));
        // [c, 1 − c]: b_ji = c_ij for i < j (v_i < v_j), b_ji = 1 − c_ji for j < i (v_j ≥ v_i). The terms of member i are
        // its m − 1 others in order; all members' terms lie in one vector, member-major (index (i·T + t)·g + group), so a
        // fold is a few engine calls whatever m is.
        var both = e.Concat([c, OneMinus(e, c)]);
        int terms = m - 1;
        var index = new int[m * terms * g];
        for (int i = 0; i < m; i++)
            for (int j = 0, t = 0; j < m; j++)
            {
                if (j == i) continue;
                int block = i < j ? pairIndex[i, j] : pairs.Count + pairIndex[j, i];
                for (int x = 0; x < g; x++) index[(i * terms + t) * g + x] = block * g + x;
                t++;
            }
        var e1 = e.Gather(both, index);
        var e0 = OneMinus(e, e1);
        // Fold terms (2u, 2u + 1) of every member in one product round; an odd last term is carried.
        while (terms > 1)
        {
            int half = terms / 2, next = half + terms % 2, len = m * half * g;
            var ia = new int[len]; var ib = new int[len];
            for (int i = 0; i < m; i++)
                for (int u = 0; u < half; u++)
                    for (int x = 0; x < g; x++)
                    {
                        int o = (i * half + u) * g + x;
                        ia[o] = (i * terms + 2 * u) * g + x;
                        ib[o] = ia[o] + g;
                    }
            var a0 = e.Gather(e0, ia); var a1 = e.Gather(e1, ia);
            var prod = e.Multiply(e.Concat([a0, a0, a1]), e.Concat([e.Gather(e0, ib), e.Gather(e1, ib), e.Gather(e0, ib)]));
            var f0 = e.Gather(prod, Enumerable.Range(0, len).ToArray());
            var f1 = e.Add(e.Gather(prod, Enumerable.Range(len, len).ToArray()), e.Gather(prod, Enumerable.Range(2 * len, len).ToArray()));
            if (terms % 2 == 1)
            {
                // Member i's next terms: its half folded ones, then its last term (taken from before the fold).
                var order = new int[m * next * g];
                var lastIndex = new int[m * g];
                for (int i = 0; i < m; i++)
                    for (int x = 0; x < g; x++)
                    {
                        lastIndex[i * g + x] = (i * terms + terms - 1) * g + x;
                        for (int u = 0; u < half; u++) order[(i * next + u) * g + x] = (i * half + u) * g + x;
                        order[(i * next + half) * g + x] = len + i * g + x;
                    }
                f0 = e.Gather(e.Concat([f0, e.Gather(e0, lastIndex)]), order);
                f1 = e.Gather(e.Concat([f1, e.Gather(e1, lastIndex)]), order);
            }
            e0 = f0; e1 = f1; terms = next;
        }
        var values = e.Concat(v);
        var pick = e.Multiply(e.Concat([e0, e1]), e.Concat([values, values]));
        // Σ_i over members (local: a halving tree of additions) of [E0_i·v_i, E1_i·v_i], interleaved per member so that one
        // tree sums the largest and the second largest.
        int blocks = m, size = m * g;
        var inter = new int[2 * size];
        for (int i = 0; i < m; i++)
            for (int x = 0; x < g; x++) { inter[i * 2 * g + x] = i * g + x; inter[i * 2 * g + g + x] = size + i * g + x; }
        var acc = e.Gather(pick, inter);
        int width = 2 * g;
        while (blocks > 1)
        {
            int h = blocks / 2;
            var sum = e.Add(e.Gather(acc, Enumerable.Range(0, h * width).ToArray()), e.Gather(acc, Enumerable.Range(h * width, h * width).ToArray()));
            acc = blocks % 2 == 0 ? sum : e.Concat([sum, e.Gather(acc, Enumerable.Range(2 * h * width, width).ToArray())]);
            blocks = h + blocks % 2;
        }
        return (e.Gather(acc, Enumerable.Range(0, g).ToArray()), e.Gather(acc, Enumerable.Range(g, g).ToArray()));
    }

    static SecretVector OneMinus(IComputeEngine e, SecretVector x) => e.AddPublic(e.MultiplyPublic(x, ulong.MaxValue), 1);

    /// <summary>Shared bits: T − x1 − x2 &lt; (p/100)·x1, evaluated as 100·2^8·(T − x1 − x2) &lt; round(p·2^8)·x1.</summary>
    public static SecretBits Sensitive(IComputeEngine e, SecretVector total, SecretVector x1, SecretVector x2, double p, double maxTotal)
    {
        ulong pScaled = (ulong)Math.Round(p * 256);
        ColumnBounds.Check(maxTotal * 25600, "Dominance rule: 100·2^8 × cell total");
        ColumnBounds.Check(maxTotal * pScaled, "Dominance rule: p·2^8 × largest contribution");
        var rest = e.MultiplyPublic(e.Subtract(e.Subtract(total, x1), x2), 25600);
        return e.LessThan(rest, e.MultiplyPublic(x1, pScaled));
    }
}
