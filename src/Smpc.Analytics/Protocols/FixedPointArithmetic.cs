// Fixed-point multiplication: integer product of the encodings, then truncation by f bits.
// References: Mohassel & Zhang, SecureML (S&P 2017) §4.1 for fixed point in Z_2^ℓ; truncation in Truncation.cs.
// Range: callers must ensure |a·b| < 2^(62−2f) (see FixedPoint.CheckProduct; the columnar layer checks
// declared bounds). Error: the result is exactly floor(a·b·2^f)·2^−f of the encoded operands (truncation is exact).
// Security: semi-honest, honest majority. Leakage: none. Cost: 9 rounds for f = 16 (1 multiply + 8 truncation).
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Protocols;

public static class FixedPointArithmetic
{
    public static ArithmeticShare Multiply(MpcSession s, ArithmeticShare x, ArithmeticShare y, int fractionBits) =>
        Truncation.Truncate(s, Multiplication.Multiply(s, x, y), fractionBits);

    /// <summary>Σ x_k·y_k at scale 2^f (one truncation for the whole sum).</summary>
    public static ArithmeticShare Dot(MpcSession s, ArithmeticShare x, ArithmeticShare y, int fractionBits) =>
        Truncation.Truncate(s, Multiplication.Dot(s, x, y), fractionBits);
}
