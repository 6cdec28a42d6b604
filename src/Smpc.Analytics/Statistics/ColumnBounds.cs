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

    /// <summary>Throws a RangeException naming the operation when <paramref name="magnitude"/> could reach 2^62.</summary>
    public static void Check(double magnitude, string what)
    {
        if (!(magnitude < Math.ScaleB(1.0, 62)))
            throw new RangeException($"{what} may reach {magnitude:G4} in encoded units, beyond the exact range ±2^62 of the fixed-point encoding. Declare tighter bounds, use fewer fraction bits, or aggregate fewer rows.");
    }
}
