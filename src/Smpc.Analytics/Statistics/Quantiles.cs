// Quantiles (median, any q in (0, 1)) of a numeric column, with nothing revealed but the result.
//
// Definition: unweighted, the linear interpolation of order statistics x_(⌊h⌋) and x_(⌊h⌋+1) at h = (m − 1)·q
// (Hyndman & Fan 1996 type 7, the default of R and NumPy); weighted, the smallest x whose cumulative weight
// reaches q·Σw (inverse of the weighted distribution function, type 1).
// Keys: (x − c)·2^b + i, with i the row's original index (secret after the shuffle) and 2^b > n, so keys are
// distinct (ties broken by a unique index) and their order is the order of x.
// Three ways, chosen by what is known:
//  * all rows (m = n public): oblivious shuffle, then selection of the needed ranks with comparison outcomes
//    opened to the compute parties (Statistics/OrderStatistics.cs); the two order statistics stay shared and are
//    interpolated on shares with the public fraction. Leakage: none.
//  * a subset (filter or missing values), default: shuffle; rows outside the subset get keys above every real
//    key; a full sort with opened comparisons; then the rank h = q·(m − 1) is secret (m is), so the result is
//    Σ_i hat(h − i)·x_(i) with hat(t) = max(0, 1 − |t|) computed from three comparisons per position (one batch).
//    Leakage: none. Cost: ~1.4·n·log2 n comparisons (sorting).
//  * a subset with GroupSizeDisclosure.RevealToComputeParties (policy must allow it): shuffle, open the shuffled
//    subset indicator to the compute parties — which reveals only m — and select on the subset as for all rows.
//  * weighted: as the subset default, with cumulative weights by a prefix sum on shares (log2 n local steps),
//    c_i = [P_i ≥ q·W] (one comparison batch) and the result Σ (c_i − c_{i−1})·x_(i).
// References: Hyndman & Fan, "Sample quantiles in statistical packages" (Am. Stat. 1996); selection and sorting
// with opened comparisons after a shuffle, Hamada et al. (ICISC 2012) §3; hat weights, as linear interpolation.
// Security: semi-honest, honest majority. Results are released only after the cell-size rule on m.
// Precision: values are exact order statistics; interpolation uses the fraction rounded to 2^−16; results at
// scale 2^(f+16); q·(m−1) in the subset path uses q rounded to 2^−16.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class Quantiles
{
    public const int InterpolationBits = 16;

    /// <summary>Secret quantiles at scale 2^(f+16), one per probability, and the subset size when it is public to the parties.</summary>
    public sealed record Result(SecretVector[] Values, int Scale, int? PublicCount);

    public static void CheckProbabilities(IReadOnlyList<double> qs)
    {
        if (qs.Count == 0) throw new QueryException("Give at least one probability for the quantile.");
        foreach (var q in qs)
            if (!(q > 0 && q < 1)) throw new QueryException($"Quantile probability {q} is outside (0, 1).");
    }

    public static Result Compute(IComputeEngine e, SecretVector x, ColumnSpec spec, SecretVector? mask, SecretVector? weights,
                                 IReadOnlyList<double> qs, bool revealSubsetSize)
    {
        CheckProbabilities(qs);
        int n = x.Length;
        if (n == 0) throw new QueryException("Quantile of an empty table.");
        int b = SecureDivision.BitsFor(n);
        double half = ColumnBounds.HalfRange(spec);
        ColumnBounds.Check(4 * half * Math.ScaleB(1.0, b) + Math.ScaleB(1.0, b + 1), $"Quantile of '{spec.Name}': sort keys (range × 2^{b} rows)");
        ColumnBounds.Check(2 * ColumnBounds.Magnitude(spec) * Math.ScaleB(1.0, InterpolationBits + 1), $"Quantile of '{spec.Name}': interpolation");
        int scale = spec.Scale + InterpolationBits;
        var index = e.Public(Enumerable.Range(0, n).Select(i => (ulong)i).ToArray());
        ulong center = unchecked((ulong)-ColumnBounds.Center(spec));
        var columns = new List<SecretVector> { x, index };
        if (mask is not null) columns.Add(mask);
        if (weights is not null) columns.Add(weights);
        var s = e.Shuffle(columns);
        SecretVector Key(SecretVector v, SecretVector i) => e.Add(e.MultiplyPublic(e.AddPublic(v, center), 1UL << b), i);

        if (weights is null && (mask is null || revealSubsetSize))
        {
            var xs = s[0]; var idx = s[1];
            int m = n;
            if (mask is not null)
            {
                var inSubset = e.RevealToParties(s[2], "quantile: subset membership of shuffled rows (reveals the subset size)");
                var keep = Enumerable.Range(0, n).Where(i => inSubset[i] == 1).ToArray();
                m = keep.Length;
                if (m == 0) return new Result([], scale, 0);
                xs = e.Gather(xs, keep); idx = e.Gather(idx, keep);
            }
            var keys = Key(xs, idx);
            var plan = qs.Select(q => { double h = (m - 1) * q; int lo = (int)Math.Floor(h); return (lo, hi: Math.Min(lo + 1, m - 1), frac: h - lo); }).ToArray();
            var positions = OrderStatistics.Select(e, keys, plan.SelectMany(p => new[] { p.lo, p.hi }).ToArray());
            var values = plan.Select((p, k) =>
            {
                var low = e.Gather(xs, [positions[2 * k]]);
                var high = e.Gather(xs, [positions[2 * k + 1]]);
                ulong f = (ulong)Math.Round(p.frac * Math.ScaleB(1.0, InterpolationBits));
                return e.Add(e.MultiplyPublic(low, 1UL << InterpolationBits), e.MultiplyPublic(e.Subtract(high, low), f));
            }).ToArray();
            return new Result(values, scale, mask is null ? n : m);
        }
        return Oblivious(e, s, qs, b, center, half, weights is not null, scale);
    }

    /// <summary>Subset or weighted quantiles with a secret subset size: full sort, then secret-rank selection.</summary>
    static Result Oblivious(IComputeEngine e, IReadOnlyList<SecretVector> s, IReadOnlyList<double> qs, int b, ulong center, double half, bool weighted, int scale)
    {
        int n = s[0].Length;
        var xs = s[0]; var idx = s[1];
        var inSubset = s.Count > 2 && !(weighted && s.Count == 3) ? s[2] : null;
        var w = weighted ? s[^1] : null;
        if (w is not null && inSubset is not null) w = e.Multiply(w, inSubset);
        var include = inSubset ?? e.Public(Enumerable.Repeat(1UL, n).ToArray());   // zero-weight rows never come first
        // key = big + i + include·((x − c)·2^b − big): rows outside the subset sort last.
        ulong big = (ulong)(2 * half + 2) << b;
        var real = e.MultiplyPublic(e.AddPublic(xs, center), 1UL << b);
        var keys = e.Add(e.AddPublic(idx, big), e.Multiply(include, e.AddPublic(real, 0UL - big)));
        var order = OrderStatistics.Sort(e, keys);
        var sorted = e.Gather(xs, order);
        var positions = e.Public(Enumerable.Range(0, n).Select(i => (ulong)i << InterpolationBits).ToArray());
        var results = new SecretVector[qs.Count];
        if (w is null)
        {
            var m = e.Sum(include);
            for (int k = 0; k < qs.Count; k++)
            {
                ulong q = (ulong)Math.Round(qs[k] * Math.ScaleB(1.0, InterpolationBits));
                var h = e.MultiplyPublic(e.AddPublic(m, ulong.MaxValue), q);                   // q·(m − 1) at scale 2^16
                var t = e.Subtract(e.Gather(h, new int[n]), positions);                          // h − i
                const ulong One = 1UL << InterpolationBits;
                var below = e.ToArithmetic(e.LessThan(e.Concat([t, e.AddPublic(t, unchecked(0UL - One)), e.AddPublic(t, One - 1)]), 0));
                SecretVector Part(int j) => FilterEvaluator.OneMinus(e, e.Gather(below, Enumerable.Range(j * n, n).ToArray()));
                var c1 = Part(0); var c2 = Part(1); var c3 = Part(2);                             // [t ≥ 0], [t ≥ 1], [t > −1]
                var hats = e.Multiply(e.Concat([e.Subtract(c1, c2), e.Subtract(c3, c1)]),
                                      e.Concat([e.AddPublic(e.MultiplyPublic(t, ulong.MaxValue), One), e.AddPublic(t, One)]));
                var weight = e.Add(e.Gather(hats, Enumerable.Range(0, n).ToArray()), e.Gather(hats, Enumerable.Range(n, n).ToArray()));
                results[k] = e.Dot([(weight, sorted)]);
            }
            return new Result(results, scale, null);
        }
        // Weighted: prefix sums of the sorted weights (Hillis–Steele scan, local), then the first P_i ≥ q·W.
        var ws = e.Gather(w, order);
        var prefix = ws;
        for (int shift = 1; shift < n; shift <<= 1)
            prefix = e.Add(prefix, e.Concat([e.Public(new ulong[shift]), e.Gather(prefix, Enumerable.Range(0, n - shift).ToArray())]));
        var total = e.Gather(prefix, [n - 1]);
        for (int k = 0; k < qs.Count; k++)
        {
            ulong q = (ulong)Math.Round(qs[k] * Math.ScaleB(1.0, InterpolationBits));
            var diff = e.Subtract(e.MultiplyPublic(prefix, 1UL << InterpolationBits), e.Gather(e.MultiplyPublic(total, q), new int[n]));
            var reached = FilterEvaluator.OneMinus(e, e.ToArithmetic(e.LessThan(diff, 0)));
            var previous = e.Concat([e.Public([0UL]), e.Gather(reached, Enumerable.Range(0, n - 1).ToArray())]);
            var first = e.Subtract(reached, previous);
            results[k] = e.MultiplyPublic(e.Dot([(first, sorted)]), 1UL << InterpolationBits);
        }
        return new Result(results, scale, null);
    }
}
