namespace Smpc.Analytics.Synthetic;

/// <summary>The plaintext statistics the ground truth states, with their exact definitions.</summary>
internal static class Statistics
{
    /// <summary>Arithmetic mean summed left to right (LINQ may vectorise double sums, which changes the last bits between machines).</summary>
    public static double Mean(IReadOnlyList<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Count; i++) sum += x[i];
        return sum / x.Count;
    }

    /// <summary>Lower median: the element at position ⌊(n−1)/2⌋ of the sorted values (an actual value, as a secure quantile returns).</summary>
    public static double? LowerMedian(List<long> values)
    {
        if (values.Count == 0) return null;
        values.Sort();
        return values[(values.Count - 1) / 2];
    }

    /// <summary>Weighted median: the smallest value v with Σ_{x ≤ v} w ≥ ½ Σ w (weights in integer cents, so exact).</summary>
    public static double? WeightedMedian(List<(long Value, long Weight)> items)
    {
        if (items.Count == 0) return null;
        items.Sort((a, b) => a.Value.CompareTo(b.Value));
        long total = items.Sum(i => i.Weight), cumulative = 0;
        foreach (var (value, weight) in items)
        {
            cumulative += weight;
            if (2 * cumulative >= total) return value;
        }
        return items[^1].Value;
    }

    /// <summary>Pearson correlation, two-pass.</summary>
    public static double? Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n = x.Count;
        if (n < 2) return null;
        double mx = Mean(x), my = Mean(y), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : null;
    }

    /// <summary>Ordinary least squares of y on an intercept and two predictors, with classical standard errors.</summary>
    public sealed record Ols(int N, double[] Coefficients, double[] StandardErrors, double RSquared);

    /// <summary>Solved on centred predictors (better conditioned): slopes from the 2×2 centred cross-product matrix S,
    /// intercept ȳ − b·x̄; Var(b) = σ² S⁻¹, Var(b0) = σ²(1/n + x̄ᵀS⁻¹x̄), σ² = RSS/(n − 3).</summary>
    public static Ols? Regress(IReadOnlyList<double> y, IReadOnlyList<double> x1, IReadOnlyList<double> x2)
    {
        int n = y.Count;
        if (n < 4) return null;
        double my = Mean(y), m1 = Mean(x1), m2 = Mean(x2);
        double s11 = 0, s12 = 0, s22 = 0, s1y = 0, s2y = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double d1 = x1[i] - m1, d2 = x2[i] - m2, dy = y[i] - my;
            s11 += d1 * d1; s12 += d1 * d2; s22 += d2 * d2; s1y += d1 * dy; s2y += d2 * dy; syy += dy * dy;
        }
        double det = s11 * s22 - s12 * s12;
        if (!(det > 0)) return null;
        double i11 = s22 / det, i12 = -s12 / det, i22 = s11 / det;
        double b1 = i11 * s1y + i12 * s2y, b2 = i12 * s1y + i22 * s2y, b0 = my - b1 * m1 - b2 * m2;
        double rss = 0;
        for (int i = 0; i < n; i++) { double r = y[i] - b0 - b1 * x1[i] - b2 * x2[i]; rss += r * r; }
        double sigma2 = rss / (n - 3);
        double v0 = sigma2 * (1.0 / n + m1 * m1 * i11 + 2 * m1 * m2 * i12 + m2 * m2 * i22);
        return new Ols(n, [b0, b1, b2], [Math.Sqrt(v0), Math.Sqrt(sigma2 * i11), Math.Sqrt(sigma2 * i22)], 1 - rss / syy);
    }
}
