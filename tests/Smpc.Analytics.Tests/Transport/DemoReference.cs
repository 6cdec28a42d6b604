using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Transport;

/// <summary>Plaintext twin of <see cref="PartyDemo"/>'s fixed-point products.</summary>
internal static class DemoReference
{
    /// <summary>Each opened product must be exactly floor(x·y / 2^f) of the encoded inputs (the truncation is exact,
    /// so it does not depend on the random shares).</summary>
    public static void AssertFixedProducts(int rows, int seed, long[] raw, int fractionBits = 16)
    {
        var fp = new FixedPoint(fractionBits);
        var x = fp.Encode(PartyDemo.FixedColumn(0, rows, seed));
        var y = fp.Encode(PartyDemo.FixedColumn(1, rows, seed));
        Assert.Equal(rows, raw.Length);
        for (int i = 0; i < rows; i++)
        {
            long exact = (long)((Int128)(long)x[i] * (long)y[i] >> fractionBits);   // floor
            Assert.Equal(exact, raw[i]);
        }
    }
}
