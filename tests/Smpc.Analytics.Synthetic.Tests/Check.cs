namespace Smpc.Analytics.Synthetic.Tests;

internal static class Check
{
    /// <summary>|actual − expected| ≤ tolerance · max(1, |expected|).</summary>
    public static void Close(double expected, double actual, double tolerance, string what)
    {
        double bound = tolerance * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(actual - expected) <= bound, $"{what}: expected {expected:R}, got {actual:R} (tolerance {bound:G3}).");
    }

    /// <summary>An observed proportion k/n is within 4.5 binomial standard deviations (+1/n) of p.</summary>
    public static void Proportion(double p, long k, long n, string what)
    {
        Assert.True(n > 0, $"{what}: no records it could apply to.");
        double observed = (double)k / n, bound = 4.5 * Math.Sqrt(p * (1 - p) / n) + 1.0 / n;
        Assert.True(Math.Abs(observed - p) <= bound, $"{what}: {k}/{n} = {observed:F4}, configured {p} (allowed ±{bound:F4}).");
    }
}
