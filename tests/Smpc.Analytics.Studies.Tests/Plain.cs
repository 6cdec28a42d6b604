using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>Plaintext references computed from the agency files themselves (the contributor's side), for differential tests.</summary>
internal static class Plain
{
    public static T?[] Column<T>(AgencyFile file, string name) where T : struct => (T?[])file.Analysis[name];
    public static string?[] Text(AgencyFile file, string name) => (string?[])file.Analysis[name];

    /// <summary>Type-7 quantile (linear interpolation between order statistics; R's and NumPy's default).</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        var x = values.Order().ToArray();
        double h = (x.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        return lo + 1 < x.Length ? x[lo] + (h - lo) * (x[lo + 1] - x[lo]) : x[lo];
    }

    /// <summary>The gap between the two order statistics a type-7 quantile interpolates (for error bounds).</summary>
    public static double Gap(IReadOnlyList<double> values, double q)
    {
        var x = values.Order().ToArray();
        int lo = (int)Math.Floor((x.Length - 1) * q);
        return lo + 1 < x.Length ? x[lo + 1] - x[lo] : 0;
    }

    /// <summary>Ordinary least squares with an intercept by the normal equations (Gauss–Jordan); coefficients only.</summary>
    public static double[] Ols(IReadOnlyList<double> y, params IReadOnlyList<double>[] xs)
    {
        int k = xs.Length + 1, n = y.Count;
        var a = new double[k, k + 1];
        for (int i = 0; i < n; i++)
        {
            var row = new double[k];
            row[0] = 1;
            for (int j = 1; j < k; j++) row[j] = xs[j - 1][i];
            for (int r = 0; r < k; r++)
            {
                for (int c = 0; c < k; c++) a[r, c] += row[r] * row[c];
                a[r, k] += row[r] * y[i];
            }
        }
        for (int p = 0; p < k; p++)
        {
            double pivot = a[p, p];
            for (int c = p; c <= k; c++) a[p, c] /= pivot;
            for (int r = 0; r < k; r++)
            {
                if (r == p) continue;
                double f = a[r, p];
                for (int c = p; c <= k; c++) a[r, c] -= f * a[p, c];
            }
        }
        return Enumerable.Range(0, k).Select(j => a[j, k]).ToArray();
    }
}
