namespace Smpc.Analytics.Synthetic;

/// <summary>
/// exp and log from IEEE-754 basic operations only (+, −, ×, ÷, exact scaling), so that every platform and
/// runtime computes the same bits. <see cref="Math.Exp"/> and <see cref="Math.Log"/> call the C library,
/// whose last bit may differ between versions; the generator must be byte-identical everywhere.
/// Accuracy: a few ulp over the ranges used here (|x| ≤ 700 for exp, normal positive doubles for log).
/// Method: Cody–Waite range reduction by ln 2, then a Taylor series in Horner form (exp), or log(1 + f) = f − s(f − R)
/// with s = f/(2 + f) and R the atanh series in s² (log; as in fdlibm's e_log.c).
/// </summary>
internal static class DetMath
{
    const double Ln2Hi = 6.93147180369123816490e-01; // high bits of ln 2 (trailing zeros: k·Ln2Hi is exact)
    const double Ln2Lo = 1.90821492927058770002e-10;
    const double InvLn2 = 1.44269504088896338700e+00;
    const double Sqrt2 = 1.41421356237309514547;

    public static double Exp(double x)
    {
        if (double.IsNaN(x) || x is > 709 or < -708) throw new ArgumentOutOfRangeException(nameof(x), x, "DetMath.Exp covers |x| ≤ 708.");
        double k = Math.Round(x * InvLn2);
        double r = x - k * Ln2Hi - k * Ln2Lo;        // |r| ≤ 0.3466
        double sum = 1;                              // Horner: 1 + r(1 + r/2(1 + r/3(…)))
        for (int n = 17; n >= 1; n--) sum = 1 + r * sum / n;
        return Math.ScaleB(sum, (int)k);
    }

    public static double Log(double x)
    {
        if (!(x > 0) || double.IsInfinity(x) || !double.IsNormal(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "DetMath.Log takes a positive normal number.");
        long bits = BitConverter.DoubleToInt64Bits(x);
        int e = (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L); // [1, 2)
        if (m > Sqrt2) { m *= 0.5; e++; }
        double f = m - 1;                             // exact (Sterbenz)
        double s = f / (2 + f), s2 = s * s;           // |s| ≤ 0.1716; log(1 + f) = 2 atanh(s) = f − s(f − R)
        double r = 0, power = s2;
        for (int n = 3; n <= 29; n += 2) { r += 2 * power / n; power *= s2; }   // R = Σ 2 s^(2k) / (2k + 1)
        return e * Ln2Hi + (f - (s * (f - r) - e * Ln2Lo));
    }
}
