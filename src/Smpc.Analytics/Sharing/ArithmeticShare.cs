namespace Smpc.Analytics.Sharing;

/// <summary>
/// One party's view of a replicated arithmetic sharing of a vector over Z_2^64.
/// The secret is x = x0 + x1 + x2 (mod 2^64); party i holds (x_i, x_{i+1}) as
/// <see cref="First"/> and <see cref="Second"/>. One view alone is uniformly random and independent of x.
/// </summary>
/// <remarks>Immutable by convention: operations always return new shares.</remarks>
public sealed class ArithmeticShare
{
    public ArithmeticShare(ulong[] first, ulong[] second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Length != second.Length) throw Errors.LengthMismatch("arithmetic share", first.Length, second.Length);
        First = first;
        Second = second;
    }

    /// <summary>Component x_i (party i's own index).</summary>
    public ulong[] First { get; }

    /// <summary>Component x_{i+1}.</summary>
    public ulong[] Second { get; }

    public int Length => First.Length;

    public static ArithmeticShare Zeros(int length) => new(new ulong[length], new ulong[length]);

    /// <summary>The views one after another (one vector of their total length).</summary>
    public static ArithmeticShare Concat(IEnumerable<ArithmeticShare> parts)
    {
        var (first, second) = ShareArrays.Concat(parts.Select(p => (p.First, p.Second)));
        return new(first, second);
    }

    /// <summary>Elements <paramref name="start"/>..<paramref name="start"/>+<paramref name="length"/>−1, copied.</summary>
    public ArithmeticShare Slice(int start, int length) => new(First.AsSpan(start, length).ToArray(), Second.AsSpan(start, length).ToArray());
}

/// <summary>Concatenation of the two component arrays of several views (arithmetic or boolean).</summary>
internal static class ShareArrays
{
    public static (ulong[] First, ulong[] Second) Concat(IEnumerable<(ulong[] First, ulong[] Second)> parts)
    {
        var list = parts.ToList();
        int total = list.Sum(p => p.First.Length);
        var first = new ulong[total];
        var second = new ulong[total];
        int at = 0;
        foreach (var (f, s) in list)
        {
            f.CopyTo(first, at);
            s.CopyTo(second, at);
            at += f.Length;
        }
        return (first, second);
    }
}

/// <summary>
/// One party's view of a replicated boolean (xor) sharing: x = x0 ^ x1 ^ x2, party i holds (x_i, x_{i+1}).
/// Each element is a 64-bit word; for one-bit values see <see cref="BitShare"/>.
/// </summary>
public sealed class BooleanShare
{
    public BooleanShare(ulong[] first, ulong[] second)
    {
        if (first.Length != second.Length) throw Errors.LengthMismatch("boolean share", first.Length, second.Length);
        First = first;
        Second = second;
    }

    public ulong[] First { get; }
    public ulong[] Second { get; }
    public int Length => First.Length;

    /// <summary>The views one after another (one vector of their total length).</summary>
    public static BooleanShare Concat(IEnumerable<BooleanShare> parts)
    {
        var (first, second) = ShareArrays.Concat(parts.Select(p => (p.First, p.Second)));
        return new(first, second);
    }

    /// <summary>Elements <paramref name="start"/>..<paramref name="start"/>+<paramref name="length"/>−1, copied.</summary>
    public BooleanShare Slice(int start, int length) => new(First.AsSpan(start, length).ToArray(), Second.AsSpan(start, length).ToArray());
}

/// <summary>
/// One party's view of a replicated xor sharing of a bit vector, packed 64 elements to a word
/// (element k is bit k%64 of word k/64). Results of comparisons and filters.
/// </summary>
public sealed class BitShare
{
    public BitShare(ulong[] first, ulong[] second, int length)
    {
        if (first.Length != second.Length) throw Errors.LengthMismatch("bit share", first.Length, second.Length);
        if (first.Length != WordsFor(length)) throw new ShapeException($"A bit share of {length} elements needs {WordsFor(length)} words; got {first.Length}.");
        First = first;
        Second = second;
        Length = length;
    }

    public ulong[] First { get; }
    public ulong[] Second { get; }

    /// <summary>Number of bit elements (not words).</summary>
    public int Length { get; }

    public static int WordsFor(int bits) => (bits + 63) >> 6;

    /// <summary>Mask of valid bits in the last word.</summary>
    internal static ulong TailMask(int bits) => (bits & 63) == 0 ? ulong.MaxValue : (1UL << (bits & 63)) - 1;
}
