// Multiplication and dot product of replicated arithmetic shares over Z_2^64.
// Reference: Araki, Furukawa, Lindell, Nof, Ohara, "High-throughput semi-honest secure three-party
// computation with an honest majority", CCS 2016, §2.2; Mohassel & Rindal, ABY3, CCS 2018, §5.1 (dot products).
// Worked example: party i holds (x_i, x_{i+1}), (y_i, y_{i+1}) and computes
//   z_i = x_i·y_i + x_i·y_{i+1} + x_{i+1}·y_i + ζ_i,
// the nine cross terms of (x0+x1+x2)(y0+y1+y2) are covered exactly once over i = 0,1,2, and Σζ = 0.
// A dot product sums the z_i over the vector before resharing, so it costs one element whatever the length.
// Security: semi-honest, honest majority; no trusted dealer (ζ from pairwise AES-CTR PRGs).
// Leakage: none. Cost: 1 round; n ring elements per party (multiply), 1 element (dot product).
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Protocols;

public static class Multiplication
{
    /// <summary>Element-wise product of two shared vectors (integers; see <see cref="FixedPointArithmetic"/> for fixed point).</summary>
    public static ArithmeticShare Multiply(MpcSession s, ArithmeticShare x, ArithmeticShare y)
    {
        if (x.Length != y.Length) throw Errors.LengthMismatch("multiply", x.Length, y.Length);
        return Reshare.Exchange(s, LocalProduct(s, x, y));
    }

    /// <summary>This party's additive term of x·y, zero share included (no communication).</summary>
    internal static ulong[] LocalProduct(MpcSession s, ArithmeticShare x, ArithmeticShare y)
    {
        var z = GC.AllocateUninitializedArray<ulong>(x.Length);
        ZeroShareBlocks.ProductTerm(s, s.NextNonce(), x.First, x.Second, y.First, y.Second, z);
        return z;
    }

    /// <summary>Σ x_k·y_k as a one-element share.</summary>
    public static ArithmeticShare Dot(MpcSession s, ArithmeticShare x, ArithmeticShare y)
    {
        if (x.Length != y.Length) throw Errors.LengthMismatch("dot product", x.Length, y.Length);
        var term = new[] { Ring.DotTerm(x.First, x.Second, y.First, y.Second) };
        return Reshare.FromAdditive(s, term);
    }

    /// <summary>Many dot products in one round: result k is Σ_j xs[k]_j · ys[k]_j.</summary>
    public static ArithmeticShare DotMany(MpcSession s, IReadOnlyList<ArithmeticShare> xs, IReadOnlyList<ArithmeticShare> ys)
    {
        if (xs.Count != ys.Count) throw new ShapeException($"Dot products need as many left vectors as right ones ({xs.Count} vs {ys.Count}).");
        var terms = new ulong[xs.Count];
        for (int k = 0; k < xs.Count; k++)
        {
            if (xs[k].Length != ys[k].Length) throw Errors.LengthMismatch("dot product", xs[k].Length, ys[k].Length);
            terms[k] = Ring.DotTerm(xs[k].First, xs[k].Second, ys[k].First, ys[k].Second);
        }
        return Reshare.FromAdditive(s, terms);
    }
}
