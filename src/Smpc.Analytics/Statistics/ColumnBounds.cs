using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Statistics;

/// <summary>Declared bounds of numeric columns in encoded units, as the range checks use them.</summary>
public static class ColumnBounds
{
    /// <summary>Declared (min, max) in real units; booleans are (0, 1). Errors name the column.</summary>
    public static (double Min, double Max) Of(ColumnSpec spec, string operation)
    {
        if (spec.Kind == ColumnKind.Boolean) return (0, 1);
        if (spec.Kind is not (ColumnKind.Integer or ColumnKind.FixedPoint))
            throw new QueryException($"{operation} needs a numeric column; '{spec.Name}' is {spec.Kind.ToString().ToLowerInvariant()}.");
        if (spec.Min is not { } lo || spec.Max is not { } hi)
            throw new QueryException($"{operation}: column '{spec.Name}' has no declared bounds (min and max), so its range cannot be checked.");
        return (lo, hi);
    }

    /// <summary>The centre used for centring: the declared midpoint, encoded (rounded to the grid).</summary>
    public static long Center(ColumnSpec spec)
    {
        var (lo, hi) = Of(spec, "Aggregation");
        return (long)Math.Round((lo + hi) / 2 * Math.ScaleB(1.0, spec.Scale), MidpointRounding.ToEven);
    }

    /// <summary>Largest |x − centre| in encoded units (half the range, rounded up, plus one for the centre's rounding).</summary>
    public static double HalfRange(ColumnSpec spec)
    {
        var (lo, hi) = Of(spec, "Aggregation");
        return Math.Ceiling((hi - lo) / 2 * Math.ScaleB(1.0, spec.Scale)) + 1;
    }

    /// <summary>Largest |x| in encoded units.</summary>
    public static double Magnitude(ColumnSpec spec)
    {
        var (lo, hi) = Of(spec, "Aggregation");
        return Math.Max(Math.Abs(lo), Math.Abs(hi)) * Math.ScaleB(1.0, spec.Scale);
    }

    /// <summary>
    /// Largest |floor(y / 2^d)| over |y| ≤ <see cref="HalfRange"/> (encoded units): the half range of the centred values
    /// after the d low bits are dropped before squaring (d = 0: the half range itself).
    /// </summary>
    public static double ReducedHalfRange(ColumnSpec spec, int droppedBits) =>
        droppedBits == 0 ? HalfRange(spec) : Math.Ceiling(HalfRange(spec) / Math.ScaleB(1.0, droppedBits));

    /// <summary>
    /// Whether a variance fits the ring with <paramref name="extraBits"/> (even) extra bits: centred values |y| ≤ h,
    /// denominators (rows × largest weight, encoded) up to <paramref name="denominatorMax"/>. Checks the sums Σw·y and
    /// Σw·y² (the square: D·h²), the mean's division (quotients up to 2h·2^(e/2)) and the variance's division
    /// (numerators up to 2·D·h²·2^e, quotients up to 2h²·2^e), each against 2^61 (Statistics/Moments.cs).
    /// </summary>
    public static bool VarianceFits(double denominatorMax, double h, int extraBits)
    {
        double limit = Math.ScaleB(1.0, 61), scale = Math.ScaleB(1.0, extraBits);
        int meanBits = SecureDivision.BitsFor(2 * h * Math.ScaleB(1.0, extraBits / 2));
        int varBits = SecureDivision.BitsFor(2 * h * h * scale + 2);
        return denominatorMax * h * h < Math.ScaleB(1.0, 62)
               && denominatorMax * Math.ScaleB(1.0, meanBits) < limit
               && denominatorMax * Math.ScaleB(1.0, varBits) < limit
               && 2 * denominatorMax * h * h * scale < limit;
    }

    /// <summary>
    /// Low bits to drop from the centred values before squaring so that a variance over <paramref name="rows"/> rows
    /// with weights up to <paramref name="weightMax"/> (encoded; 1 when unweighted) fits the ring: 0 when the exact
    /// values fit, else the fewest bits that make it fit. The values are then rounded down to multiples of
    /// u = 2^(d − f) (real units) before the sums of squares, which the variance's error bound accounts for
    /// (Statistics/Moments.cs). Throws a RangeException naming the sum of squares when no precision fits (the weight
    /// total alone is too large).
    /// </summary>
    public static int SquareShift(long rows, double weightMax, ColumnSpec spec, string what)
    {
        double dmax = rows * weightMax;
        for (int d = 0; d <= 62; d++)
            if (VarianceFits(dmax, ReducedHalfRange(spec, d), 0)) return d;
        throw new RangeException($"{what}: the sum of squares Σw·y² over {rows} rows needs (rows × largest weight) × (half range)² × 2 < 2^61 for its division, and even with the values rounded to ±1 the rows × largest weight alone (= {dmax:G4} encoded) leave no room. Declare a smaller weight bound, use fewer fraction bits for the weight, or aggregate fewer rows.");
    }

    /// <summary>
    /// Whether a mean fits with <paramref name="extraBits"/> extra bits: centred values |y| ≤ h, denominators up to
    /// <paramref name="denominatorMax"/> (the sum D·h and the division's D × 2h·2^e below 2^61), and the mean itself
    /// (largest |x| × 2^e, encoded) below 2^60 (Statistics/Moments.cs).
    /// </summary>
    public static bool MeanFits(double denominatorMax, double h, double magnitude, int extraBits)
    {
        double scale = Math.ScaleB(1.0, extraBits);
        return denominatorMax * h < Math.ScaleB(1.0, 62)
               && denominatorMax * Math.ScaleB(1.0, SecureDivision.BitsFor(2 * h * scale)) < Math.ScaleB(1.0, 61)
               && 2 * magnitude * scale < Math.ScaleB(1.0, 61);
    }

    /// <summary>Whether the exact sums Σw·y and Σw·x of a column and its mean at full precision fit the ring.</summary>
    public static bool ExactMeanFits(long rows, double weightMax, ColumnSpec spec) =>
        rows * weightMax * Magnitude(spec) < Math.ScaleB(1.0, 62) && MeanFits(rows * weightMax, HalfRange(spec), Magnitude(spec), 0);

    /// <summary>
    /// Low bits to drop from the centred values of a column whose mean (not its sum) is asked for and whose exact sum
    /// would leave the ring: the fewest that make the mean fit (values then rounded down to multiples of 2^(d − f)).
    /// </summary>
    public static int MeanShift(long rows, double weightMax, ColumnSpec spec, string what)
    {
        double dmax = rows * weightMax;
        for (int d = 0; d <= 62; d++)
            if (MeanFits(dmax, ReducedHalfRange(spec, d), Magnitude(spec), 0)) return d;
        throw new RangeException($"{what}: the sum Σw·y over {rows} rows needs (rows × largest weight) × 2·(half range) < 2^61 for its division, and even with the values rounded to ±1 the rows × largest weight (= {dmax:G4} encoded) or the largest value leave no room. Declare a smaller weight bound or aggregate fewer rows.");
    }

    /// <summary>Throws a RangeException naming the operation when <paramref name="magnitude"/> could reach 2^62.</summary>
    public static void Check(double magnitude, string what)
    {
        if (!(magnitude < Math.ScaleB(1.0, 62)))
            throw new RangeException($"{what} may reach {magnitude:G4} in encoded units, beyond the exact range ±2^62 of the fixed-point encoding. Declare tighter bounds, use fewer fraction bits, or aggregate fewer rows.");
    }
}
