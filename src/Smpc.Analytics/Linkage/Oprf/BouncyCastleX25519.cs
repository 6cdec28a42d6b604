using BcX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace Smpc.Analytics.Linkage;

/// <summary>X25519 by BouncyCastle (managed; clamps the scalar and masks the top bit of u as RFC 7748 requires).</summary>
sealed class BouncyCastleX25519 : X25519Backend
{
    public override string Name => "BouncyCastle X25519";

    protected override void MultiplyFixedCore(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> points, Span<byte> output)
    {
        for (int o = 0; o < points.Length; o += Size)
        {
            var r = output.Slice(o, Size);
            BcX25519.ScalarMult(scalar, points.Slice(o, Size), r);
            RejectSmallOrder(r);
        }
    }

    protected override void MultiplyEachCore(ReadOnlySpan<byte> scalars, ReadOnlySpan<byte> points, Span<byte> output)
    {
        for (int o = 0; o < points.Length; o += Size)
        {
            var r = output.Slice(o, Size);
            BcX25519.ScalarMult(scalars.Slice(o, Size), points.Slice(o, Size), r);
            RejectSmallOrder(r);
        }
    }
}
