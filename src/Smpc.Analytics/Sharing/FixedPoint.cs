// Signed fixed-point encoding in Z_2^64: a real v is stored as round(v · 2^f) in two's complement.
//
// Range (documented and enforced):
//   * a stored value must satisfy |v| < 2^(62−f)  (so its encoding is below 2^62 in magnitude);
//   * a product of two fixed-point values is exact before truncation only if |a·b| < 2^(62−2f);
//     the engine checks declared bounds before multiplying and throws RangeException otherwise;
//   * with f = 16: values up to ±7.0e13, products up to ±1.07e9 (use fewer fraction bits for larger magnitudes).
// Error: encoding rounds to the nearest 2^−f (error ≤ 2^−f−1 per operand); a truncated product of encoded
// operands a', b' is exactly floor(a'·b'·2^f)/2^f, so it lies in (a'·b' − 2^−f, a'·b'] — the same bits on every run.
namespace Smpc.Analytics.Sharing;

public readonly record struct FixedPoint
{
    public FixedPoint(int fractionBits)
    {
        if (fractionBits is < 0 or > 30) throw new ArgumentOutOfRangeException(nameof(fractionBits), fractionBits, "Fraction bits must be between 0 and 30.");
        FractionBits = fractionBits;
    }

    public int FractionBits { get; }
    public double Scale => Math.ScaleB(1.0, FractionBits);
    public double Resolution => Math.ScaleB(1.0, -FractionBits);

    /// <summary>Largest magnitude (exclusive) a value may have: 2^(62−f).</summary>
    public double MaxMagnitude => Math.ScaleB(1.0, 62 - FractionBits);

    /// <summary>Largest magnitude (exclusive) a product may have for truncation to be exact: 2^(62−2f).</summary>
    public double MaxProductMagnitude => Math.ScaleB(1.0, 62 - 2 * FractionBits);

    public ulong Encode(double value, string? what = null)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            throw new RangeException($"{what ?? "Value"} is {value}; only finite numbers can be encoded.");
        if (Math.Abs(value) >= MaxMagnitude)
            throw new RangeException($"{what ?? "Value"} {value:G6} is outside the fixed-point range ±{MaxMagnitude:G3} (f = {FractionBits} fraction bits).");
        return (ulong)(long)Math.Round(value * Scale, MidpointRounding.ToEven);
    }

    public ulong[] Encode(ReadOnlySpan<double> values, string? column = null)
    {
        var encoded = new ulong[values.Length];
        for (int i = 0; i < values.Length; i++) encoded[i] = Encode(values[i], column is null ? $"Value at row {i}" : $"'{column}' at row {i}");
        return encoded;
    }

    public double Decode(ulong raw) => (long)raw * Resolution;

    public double[] Decode(ReadOnlySpan<ulong> raw)
    {
        var values = new double[raw.Length];
        for (int i = 0; i < raw.Length; i++) values[i] = Decode(raw[i]);
        return values;
    }

    /// <summary>Decodes a value at scale 2^(2f) (an untruncated product or a sum of products).</summary>
    public double DecodeProduct(ulong raw) => (long)raw * Math.ScaleB(1.0, -2 * FractionBits);

    /// <summary>Throws if a product of values bounded by <paramref name="boundA"/> and <paramref name="boundB"/> could exceed the range.</summary>
    public void CheckProduct(double boundA, double boundB, string what = "product")
    {
        if (boundA * boundB >= MaxProductMagnitude)
            throw new RangeException($"{what}: operands bounded by {boundA:G6} and {boundB:G6} may give {boundA * boundB:G6}, beyond ±{MaxProductMagnitude:G3}, the largest product f = {FractionBits} fraction bits can truncate exactly. Use fewer fraction bits or rescale the column.");
    }
}
