// X25519 (RFC 7748 §5) by OpenSSL 3's libcrypto through P/Invoke (EVP_PKEY_derive). Same bytes as BouncyCastle's
// (tested). Constant-time ladder from OpenSSL. Cost: about 28 µs per operation here (LIMITS: ~22k/s per core),
// plus key import per element for per-element scalars (kept small with a placeholder public key, see below).
using System.Runtime.InteropServices;

namespace Smpc.Analytics.Linkage;

/// <summary>
/// X25519 by OpenSSL 3 (libcrypto.so.3) through its EVP_PKEY derive API: the scalar is loaded as a raw
/// private key (OpenSSL clamps it), each point as a raw peer public key, and EVP_PKEY_derive returns the
/// u-coordinate. OpenSSL refuses an all-zero result (a small-order input) and this class reports it.
/// </summary>
sealed unsafe partial class OpenSslX25519 : X25519Backend
{
    const string Lib = "libcrypto.so.3";
    const int EvpPkeyX25519 = 1034;   // NID_X25519

    [LibraryImport(Lib)] private static partial IntPtr EVP_PKEY_new_raw_private_key(int type, IntPtr engine, byte* key, nuint length);
    [LibraryImport(Lib)] private static partial IntPtr EVP_PKEY_new_raw_public_key(int type, IntPtr engine, byte* key, nuint length);
    [LibraryImport(Lib)] private static partial void EVP_PKEY_free(IntPtr key);
    [LibraryImport(Lib)] private static partial IntPtr EVP_PKEY_CTX_new(IntPtr key, IntPtr engine);
    [LibraryImport(Lib)] private static partial void EVP_PKEY_CTX_free(IntPtr context);
    [LibraryImport(Lib)] private static partial int EVP_PKEY_derive_init(IntPtr context);
    [LibraryImport(Lib)] private static partial int EVP_PKEY_derive_set_peer(IntPtr context, IntPtr peer);
    [LibraryImport(Lib)] private static partial int EVP_PKEY_derive(IntPtr context, byte* key, nuint* length);
    [LibraryImport(Lib)] private static partial IntPtr EVP_PKEY_CTX_new_from_name(IntPtr library, byte* name, IntPtr properties);
    [LibraryImport(Lib)] private static partial int EVP_PKEY_fromdata_init(IntPtr context);
    [LibraryImport(Lib)] private static partial int EVP_PKEY_fromdata(IntPtr context, IntPtr* key, int selection, OsslParam* parameters);

    /// <summary>OSSL_PARAM (openssl/core.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    struct OsslParam
    {
        public byte* Key;
        public uint DataType;
        public void* Data;
        public nuint DataSize;
        public nuint ReturnSize;
    }

    const uint OsslParamOctetString = 5;
    const int EvpPkeyKeypair = 0x87;   // EVP_PKEY_KEYPAIR: parameters, public and private key
    static readonly byte[] PrivName = "priv\0"u8.ToArray();
    static readonly byte[] PubName = "pub\0"u8.ToArray();
    static readonly byte[] AlgorithmName = "X25519\0"u8.ToArray();
    static readonly byte[] UnusedPublicKey = [9, .. new byte[31]];

    readonly bool _placeholderImport;

    OpenSslX25519(bool placeholderImport) => _placeholderImport = placeholderImport;

    public override string Name => "OpenSSL X25519 (libcrypto.so.3)";

    /// <summary>
    /// Loads libcrypto and checks one RFC 7748 vector on both key-import paths; null if the library or a symbol is
    /// missing or the answer is wrong. If the placeholder import is refused (a stricter OpenSSL), the plain import is used.
    /// </summary>
    internal static OpenSslX25519? TryCreate()
    {
        foreach (bool placeholder in new[] { true, false })
        {
            try
            {
                var backend = new OpenSslX25519(placeholder);
                var k = Convert.FromHexString("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
                var u = Convert.FromHexString("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
                var expected = Convert.FromHexString("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
                var fixedKey = new byte[32];
                backend.MultiplyFixed(k, u, fixedKey);
                if (backend.Multiply(k, u).AsSpan().SequenceEqual(expected) && fixedKey.AsSpan().SequenceEqual(expected)) return backend;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or SmpcException) { }
        }
        return null;
    }

    protected override void MultiplyFixedCore(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> points, Span<byte> output)
    {
        IntPtr key = PrivateKey(scalar);
        IntPtr context = EVP_PKEY_CTX_new(key, IntPtr.Zero);
        try
        {
            if (context == IntPtr.Zero) throw Failed("EVP_PKEY_CTX_new");
            for (int o = 0; o < points.Length; o += Size)
                Derive(context, points.Slice(o, Size), output.Slice(o, Size));
        }
        finally
        {
            EVP_PKEY_CTX_free(context);
            EVP_PKEY_free(key);
        }
    }

    /// <remarks>
    /// A per-element scalar needs a new EVP_PKEY per element. EVP_PKEY_new_raw_private_key would also compute the
    /// matching public key (a fixed-base multiplication, about as costly as the ladder); importing the private key
    /// together with a placeholder public key through EVP_PKEY_fromdata skips that. Derivation uses only our private
    /// key and the peer's public key, so the placeholder is never used (the tests check equality with BouncyCastle).
    /// </remarks>
    protected override void MultiplyEachCore(ReadOnlySpan<byte> scalars, ReadOnlySpan<byte> points, Span<byte> output)
    {
        if (!_placeholderImport)
        {
            for (int o = 0; o < points.Length; o += Size) MultiplyFixedCore(scalars.Slice(o, Size), points.Slice(o, Size), output.Slice(o, Size));
            return;
        }
        IntPtr importer;
        fixed (byte* name = AlgorithmName) importer = EVP_PKEY_CTX_new_from_name(IntPtr.Zero, name, IntPtr.Zero);
        if (importer == IntPtr.Zero) throw Failed("EVP_PKEY_CTX_new_from_name");
        try
        {
            if (EVP_PKEY_fromdata_init(importer) != 1) throw Failed("EVP_PKEY_fromdata_init");
            for (int o = 0; o < points.Length; o += Size)
            {
                IntPtr key = ImportKeyPair(importer, scalars.Slice(o, Size));
                IntPtr context = EVP_PKEY_CTX_new(key, IntPtr.Zero);
                try
                {
                    if (context == IntPtr.Zero) throw Failed("EVP_PKEY_CTX_new");
                    Derive(context, points.Slice(o, Size), output.Slice(o, Size));
                }
                finally
                {
                    EVP_PKEY_CTX_free(context);
                    EVP_PKEY_free(key);
                }
            }
        }
        finally { EVP_PKEY_CTX_free(importer); }
    }

    static IntPtr ImportKeyPair(IntPtr importer, ReadOnlySpan<byte> scalar)
    {
        IntPtr key = IntPtr.Zero;
        fixed (byte* k = scalar) fixed (byte* priv = PrivName) fixed (byte* pub = PubName) fixed (byte* placeholder = UnusedPublicKey)
        {
            var parameters = stackalloc OsslParam[3];
            parameters[0] = new OsslParam { Key = priv, DataType = OsslParamOctetString, Data = k, DataSize = Size };
            parameters[1] = new OsslParam { Key = pub, DataType = OsslParamOctetString, Data = placeholder, DataSize = Size };
            parameters[2] = default;
            if (EVP_PKEY_fromdata(importer, &key, EvpPkeyKeypair, parameters) != 1 || key == IntPtr.Zero) throw Failed("EVP_PKEY_fromdata");
        }
        return key;
    }

    static IntPtr PrivateKey(ReadOnlySpan<byte> scalar)
    {
        IntPtr key;
        fixed (byte* k = scalar) key = EVP_PKEY_new_raw_private_key(EvpPkeyX25519, IntPtr.Zero, k, Size);
        return key != IntPtr.Zero ? key : throw Failed("EVP_PKEY_new_raw_private_key");
    }

    static void Derive(IntPtr context, ReadOnlySpan<byte> point, Span<byte> output)
    {
        if (EVP_PKEY_derive_init(context) != 1) throw Failed("EVP_PKEY_derive_init");
        IntPtr peer;
        fixed (byte* u = point) peer = EVP_PKEY_new_raw_public_key(EvpPkeyX25519, IntPtr.Zero, u, Size);
        if (peer == IntPtr.Zero) throw Failed("EVP_PKEY_new_raw_public_key");
        try
        {
            if (EVP_PKEY_derive_set_peer(context, peer) != 1) throw Failed("EVP_PKEY_derive_set_peer");
            nuint length = Size;
            int ok;
            fixed (byte* r = output) ok = EVP_PKEY_derive(context, r, &length);
            if (ok != 1 || length != Size)
                throw new SmpcException("OpenSSL X25519 refused an input: it is a point of small order, not a hashed identifier.");
        }
        finally { EVP_PKEY_free(peer); }
    }

    static SmpcException Failed(string call) => new($"OpenSSL {call} failed (libcrypto.so.3).");
}
