// X25519 (RFC 7748 §5): u-coordinate Montgomery ladder on Curve25519 with a clamped scalar.
// Two interchangeable implementations — OpenSSL's libcrypto through P/Invoke (about 2× faster here) and
// BouncyCastle's managed code (always available) — must give identical bytes; the tests check both against
// the RFC 7748 vectors and against each other. Batches run in parallel ranges on the thread pool.
// Cost: one variable-base ladder per element (see LIMITS: ~22k/s per core OpenSSL, ~9k/s BouncyCastle).
namespace Smpc.Analytics.Linkage;

/// <summary>An X25519 implementation, used by the OPRF for every curve operation.</summary>
public abstract class X25519Backend
{
    /// <summary>Size of scalars and u-coordinates in bytes.</summary>
    public const int Size = 32;

    public abstract string Name { get; }

    /// <summary>output[i] = X25519(scalar, points[i]) for one scalar (a party's key share): n×32 bytes in and out.</summary>
    public void MultiplyFixed(byte[] scalar, byte[] points, byte[] output)
    {
        Check(scalar.Length == Size, "scalar must be 32 bytes");
        Check(points.Length % Size == 0 && output.Length == points.Length, "points and output must be the same whole number of 32-byte elements");
        WorkRanges.For(points.Length / Size, 256, (from, to) =>
            MultiplyFixedCore(scalar, points.AsSpan(from * Size, (to - from) * Size), output.AsSpan(from * Size, (to - from) * Size)));
    }

    /// <summary>output[i] = X25519(scalars[i], points[i]) (per-element scalars, e.g. blinding factors).</summary>
    public void MultiplyEach(byte[] scalars, byte[] points, byte[] output)
    {
        Check(scalars.Length == points.Length && output.Length == points.Length && points.Length % Size == 0,
              "scalars, points and output must be the same whole number of 32-byte elements");
        WorkRanges.For(points.Length / Size, 256, (from, to) =>
            MultiplyEachCore(scalars.AsSpan(from * Size, (to - from) * Size), points.AsSpan(from * Size, (to - from) * Size),
                             output.AsSpan(from * Size, (to - from) * Size)));
    }

    /// <summary>One X25519 operation (for tests and key derivation).</summary>
    public byte[] Multiply(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> point)
    {
        Check(scalar.Length == Size && point.Length == Size, "scalar and point must be 32 bytes");
        var output = new byte[Size];
        MultiplyEachCore(scalar, point, output);
        return output;
    }

    protected abstract void MultiplyFixedCore(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> points, Span<byte> output);
    protected abstract void MultiplyEachCore(ReadOnlySpan<byte> scalars, ReadOnlySpan<byte> points, Span<byte> output);

    /// <summary>An all-zero result means the input was a point of small order: never the case for hashed
    /// or blinded points, so it signals a corrupted or malicious input.</summary>
    protected static void RejectSmallOrder(ReadOnlySpan<byte> result)
    {
        if (!result.ContainsAnyExcept((byte)0))
            throw new SmpcException("X25519 produced the all-zero value: the input is a point of small order, not a hashed identifier.");
    }

    static void Check(bool ok, string what)
    {
        if (!ok) throw new ArgumentException($"X25519 batch: {what}.");
    }

    /// <summary>BouncyCastle's managed X25519 (always available).</summary>
    public static X25519Backend BouncyCastle { get; } = new BouncyCastleX25519();

    static readonly Lazy<X25519Backend?> _openSsl = new(OpenSslX25519.TryCreate);

    /// <summary>OpenSSL's X25519 from libcrypto.so.3, or null when the library cannot be loaded.</summary>
    public static X25519Backend? OpenSsl => _openSsl.Value;

    /// <summary>OpenSSL when available (faster), else BouncyCastle.</summary>
    public static X25519Backend Default => OpenSsl ?? BouncyCastle;
}
