// Linear operations on replicated shares: addition, subtraction, negation, public constants.
// Reference: Araki et al., CCS 2016, §2.2. Security: local computation, no messages.
// Leakage: none. Cost: 0 rounds, 0 bytes.
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using System.Runtime.CompilerServices;

namespace Smpc.Analytics.Protocols;

public static class Linear
{
    public static ArithmeticShare Add(ArithmeticShare x, ArithmeticShare y) => Map(x, y, Ring.Add, "add");

    public static ArithmeticShare Subtract(ArithmeticShare x, ArithmeticShare y) => Map(x, y, Ring.Subtract, "subtract");

    public static ArithmeticShare Negate(ArithmeticShare x) => MultiplyPublic(x, ulong.MaxValue);

    /// <summary>x · c for a public constant c (wraps mod 2^64).</summary>
    public static ArithmeticShare MultiplyPublic(ArithmeticShare x, ulong c)
    {
        var a = new ulong[x.Length]; var b = new ulong[x.Length];
        Ring.MultiplyScalar(x.First, c, a);
        Ring.MultiplyScalar(x.Second, c, b);
        return new(a, b);
    }

    /// <summary>x · c element-wise for a public vector c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ArithmeticShare MultiplyPublic(ArithmeticShare x, ReadOnlySpan<ulong> c)
    {
        if (c.Length != x.Length) throw Errors.LengthMismatch("multiply by public vector", x.Length, c.Length);
        var a = new ulong[x.Length]; var b = new ulong[x.Length];
        for (int i = 0; i < a.Length; i++) { a[i] = x.First[i] * c[i]; b[i] = x.Second[i] * c[i]; }
        return new(a, b);
    }

    /// <summary>x + c for a public constant: only component 0 changes (held by parties 0 and 2).</summary>
    public static ArithmeticShare AddPublic(MpcSession s, ArithmeticShare x, ulong c)
    {
        var a = (ulong[])x.First.Clone(); var b = (ulong[])x.Second.Clone();
        if (s.PartyId == 0) Ring.AddScalar(a, c, a);
        if (s.PartyId == 2) Ring.AddScalar(b, c, b);
        return new(a, b);
    }

    /// <summary>x + c element-wise for a public vector.</summary>
    public static ArithmeticShare AddPublic(MpcSession s, ArithmeticShare x, ReadOnlySpan<ulong> c)
    {
        if (c.Length != x.Length) throw Errors.LengthMismatch("add public vector", x.Length, c.Length);
        var a = (ulong[])x.First.Clone(); var b = (ulong[])x.Second.Clone();
        if (s.PartyId == 0) Ring.Add(a, c, a);
        if (s.PartyId == 2) Ring.Add(b, c, b);
        return new(a, b);
    }

    /// <summary>The sharing of a public vector (component 0 = c, others 0).</summary>
    public static ArithmeticShare Public(MpcSession s, ReadOnlySpan<ulong> c)
    {
        var a = new ulong[c.Length]; var b = new ulong[c.Length];
        if (s.PartyId == 0) c.CopyTo(a);
        if (s.PartyId == 2) c.CopyTo(b);
        return new(a, b);
    }

    /// <summary>Sum of all elements, as a one-element share. Local.</summary>
    public static ArithmeticShare Sum(ArithmeticShare x) => new([Ring.Sum(x.First)], [Ring.Sum(x.Second)]);

    static ArithmeticShare Map(ArithmeticShare x, ArithmeticShare y, RingOp op, string what)
    {
        if (x.Length != y.Length) throw Errors.LengthMismatch(what, x.Length, y.Length);
        var a = GC.AllocateUninitializedArray<ulong>(x.Length);
        var b = GC.AllocateUninitializedArray<ulong>(x.Length);
        op(x.First, y.First, a);
        op(x.Second, y.Second, b);
        return new(a, b);
    }

    delegate void RingOp(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, Span<ulong> z);
}
