// Vectorised element-wise arithmetic in Z_2^64 (wrap-around ulong arithmetic) and GF(2)^64 (xor/and).
// These are the local steps of every protocol: they never communicate.
// Loops over columns are marked AggressiveOptimization (here and in the protocols): an operation on millions of
// rows calls each loop only a few times, too few for tiered compilation to replace its first, unoptimised code
// before the operation ends (measured in bench/RESULTS.md).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Smpc.Analytics.Sharing;

public static class Ring
{
    static void Check(int a, int b, int c)
    {
        if (a != b || a != c) throw Errors.LengthMismatch("ring operation", Math.Min(a, Math.Min(b, c)), Math.Max(a, Math.Max(b, c)));
    }

    static void Check(int a, int b)
    {
        if (a != b) throw Errors.LengthMismatch("ring operation", a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, Span<ulong> z)
    {
        Check(x.Length, y.Length, z.Length);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= x.Length; i += 4)
                (Vector256.Create(x.Slice(i, 4)) + Vector256.Create(y.Slice(i, 4))).CopyTo(z.Slice(i, 4));
        for (; i < x.Length; i++) z[i] = x[i] + y[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Subtract(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, Span<ulong> z)
    {
        Check(x.Length, y.Length, z.Length);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= x.Length; i += 4)
                (Vector256.Create(x.Slice(i, 4)) - Vector256.Create(y.Slice(i, 4))).CopyTo(z.Slice(i, 4));
        for (; i < x.Length; i++) z[i] = x[i] - y[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Xor(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, Span<ulong> z)
    {
        Check(x.Length, y.Length, z.Length);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= x.Length; i += 4)
                (Vector256.Create(x.Slice(i, 4)) ^ Vector256.Create(y.Slice(i, 4))).CopyTo(z.Slice(i, 4));
        for (; i < x.Length; i++) z[i] = x[i] ^ y[i];
    }

    /// <summary>z = x + y + w (one pass; z may alias any input).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Add3(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, ReadOnlySpan<ulong> w, Span<ulong> z)
    {
        Check(x.Length, y.Length, z.Length);
        Check(w.Length, z.Length);
        ref ulong a = ref MemoryMarshal.GetReference(x), b = ref MemoryMarshal.GetReference(y), c = ref MemoryMarshal.GetReference(w);
        ref ulong o = ref MemoryMarshal.GetReference(z);
        int i = 0, n = z.Length;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4)
                (Vector256.LoadUnsafe(ref a, (nuint)i) + Vector256.LoadUnsafe(ref b, (nuint)i) + Vector256.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref o, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref o, i) = Unsafe.Add(ref a, i) + Unsafe.Add(ref b, i) + Unsafe.Add(ref c, i);
    }

    /// <summary>z = x − y − w (one pass; z may alias any input).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SubtractTwo(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, ReadOnlySpan<ulong> w, Span<ulong> z)
    {
        Check(x.Length, y.Length, z.Length);
        Check(w.Length, z.Length);
        ref ulong a = ref MemoryMarshal.GetReference(x), b = ref MemoryMarshal.GetReference(y), c = ref MemoryMarshal.GetReference(w);
        ref ulong o = ref MemoryMarshal.GetReference(z);
        int i = 0, n = z.Length;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4)
                (Vector256.LoadUnsafe(ref a, (nuint)i) - Vector256.LoadUnsafe(ref b, (nuint)i) - Vector256.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref o, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref o, i) = Unsafe.Add(ref a, i) - Unsafe.Add(ref b, i) - Unsafe.Add(ref c, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyScalar(ReadOnlySpan<ulong> x, ulong c, Span<ulong> z)
    {
        Check(x.Length, z.Length);
        for (int i = 0; i < x.Length; i++) z[i] = x[i] * c;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScalar(ReadOnlySpan<ulong> x, ulong c, Span<ulong> z)
    {
        Check(x.Length, z.Length);
        for (int i = 0; i < x.Length; i++) z[i] = x[i] + c;
    }

    /// <summary>z = x0·y0 + x0·y1 + x1·y0 + (r0 − r1): party i's term of a replicated-sharing product,
    /// with its share (r0 − r1) of a zero-sharing folded in.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ProductTerm(ReadOnlySpan<ulong> x0, ReadOnlySpan<ulong> x1, ReadOnlySpan<ulong> y0, ReadOnlySpan<ulong> y1,
                                   ReadOnlySpan<ulong> r0, ReadOnlySpan<ulong> r1, Span<ulong> z)
    {
        int n = z.Length;
        if (x0.Length != n || x1.Length != n || y0.Length != n || y1.Length != n || r0.Length != n || r1.Length != n)
            throw Errors.LengthMismatch("product", x0.Length, y0.Length);
        ref ulong a0 = ref MemoryMarshal.GetReference(x0), a1 = ref MemoryMarshal.GetReference(x1);
        ref ulong b0 = ref MemoryMarshal.GetReference(y0), b1 = ref MemoryMarshal.GetReference(y1);
        ref ulong s0 = ref MemoryMarshal.GetReference(r0), s1 = ref MemoryMarshal.GetReference(r1);
        ref ulong o = ref MemoryMarshal.GetReference(z);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4)
            {
                var va0 = Vector256.LoadUnsafe(ref a0, (nuint)i); var va1 = Vector256.LoadUnsafe(ref a1, (nuint)i);
                var vb0 = Vector256.LoadUnsafe(ref b0, (nuint)i); var vb1 = Vector256.LoadUnsafe(ref b1, (nuint)i);
                var v = va0 * (vb0 + vb1) + va1 * vb0 + Vector256.LoadUnsafe(ref s0, (nuint)i) - Vector256.LoadUnsafe(ref s1, (nuint)i);
                v.StoreUnsafe(ref o, (nuint)i);
            }
        for (; i < n; i++)
            Unsafe.Add(ref o, i) = Unsafe.Add(ref a0, i) * (Unsafe.Add(ref b0, i) + Unsafe.Add(ref b1, i))
                                   + Unsafe.Add(ref a1, i) * Unsafe.Add(ref b0, i) + Unsafe.Add(ref s0, i) - Unsafe.Add(ref s1, i);
    }

    /// <summary>Σ x0·y0 + x0·y1 + x1·y0: party i's term of a dot product (one element, whatever the length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong DotTerm(ReadOnlySpan<ulong> x0, ReadOnlySpan<ulong> x1, ReadOnlySpan<ulong> y0, ReadOnlySpan<ulong> y1)
    {
        int n = x0.Length;
        if (x1.Length != n || y0.Length != n || y1.Length != n) throw Errors.LengthMismatch("dot product", x0.Length, y0.Length);
        ref ulong a0 = ref MemoryMarshal.GetReference(x0), a1 = ref MemoryMarshal.GetReference(x1);
        ref ulong b0 = ref MemoryMarshal.GetReference(y0), b1 = ref MemoryMarshal.GetReference(y1);
        var acc = Vector256<ulong>.Zero;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4)
            {
                var va0 = Vector256.LoadUnsafe(ref a0, (nuint)i); var vb0 = Vector256.LoadUnsafe(ref b0, (nuint)i);
                acc += va0 * (vb0 + Vector256.LoadUnsafe(ref b1, (nuint)i)) + Vector256.LoadUnsafe(ref a1, (nuint)i) * vb0;
            }
        ulong sum = Vector256.Sum(acc);
        for (; i < n; i++)
            sum += Unsafe.Add(ref a0, i) * (Unsafe.Add(ref b0, i) + Unsafe.Add(ref b1, i)) + Unsafe.Add(ref a1, i) * Unsafe.Add(ref b0, i);
        return sum;
    }

    /// <summary>Boolean twin of <see cref="ProductTerm"/>: z = x0&amp;y0 ^ x0&amp;y1 ^ x1&amp;y0 ^ r0 ^ r1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AndTerm(ReadOnlySpan<ulong> x0, ReadOnlySpan<ulong> x1, ReadOnlySpan<ulong> y0, ReadOnlySpan<ulong> y1,
                               ReadOnlySpan<ulong> r0, ReadOnlySpan<ulong> r1, Span<ulong> z)
    {
        int n = z.Length;
        if (x0.Length != n || x1.Length != n || y0.Length != n || y1.Length != n || r0.Length != n || r1.Length != n)
            throw Errors.LengthMismatch("and", x0.Length, y0.Length);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4)
            {
                var va0 = Vector256.Create(x0.Slice(i, 4)); var vb0 = Vector256.Create(y0.Slice(i, 4));
                var v = (va0 & (vb0 ^ Vector256.Create(y1.Slice(i, 4)))) ^ (Vector256.Create(x1.Slice(i, 4)) & vb0)
                        ^ Vector256.Create(r0.Slice(i, 4)) ^ Vector256.Create(r1.Slice(i, 4));
                v.CopyTo(z.Slice(i, 4));
            }
        for (; i < n; i++) z[i] = (x0[i] & (y0[i] ^ y1[i])) ^ (x1[i] & y0[i]) ^ r0[i] ^ r1[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Sum(ReadOnlySpan<ulong> x)
    {
        var acc = Vector256<ulong>.Zero;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= x.Length; i += 4) acc += Vector256.Create(x.Slice(i, 4));
        ulong s = Vector256.Sum(acc);
        for (; i < x.Length; i++) s += x[i];
        return s;
    }
}
