// expand_message_xmd with SHA-512 (RFC 9380 §5.3.1): stretches a message under a domain-separation tag
// into len_in_bytes uniform bytes. Used by hash_to_field for curve25519_XMD:SHA-512_ELL2_RO_.
using System.Security.Cryptography;

namespace Smpc.Analytics.Linkage;

static class ExpandMessageXmd
{
    const int HashBytes = 64;    // b_in_bytes for SHA-512
    const int BlockBytes = 128;  // s_in_bytes (input block size of SHA-512)

    public static byte[] Sha512(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst, int lengthInBytes)
    {
        int ell = (lengthInBytes + HashBytes - 1) / HashBytes;
        if (ell > 255 || lengthInBytes > 65535) throw new ArgumentOutOfRangeException(nameof(lengthInBytes), lengthInBytes, "expand_message_xmd: too many bytes requested.");
        if (dst.Length > 255) throw new ArgumentException("expand_message_xmd: the domain-separation tag must be at most 255 bytes.", nameof(dst));

        // msg_prime = Z_pad || msg || I2OSP(len_in_bytes, 2) || I2OSP(0, 1) || DST_prime, DST_prime = DST || I2OSP(len(DST), 1)
        var msgPrime = new byte[BlockBytes + message.Length + 3 + dst.Length + 1];
        message.CopyTo(msgPrime.AsSpan(BlockBytes));
        int o = BlockBytes + message.Length;
        msgPrime[o++] = (byte)(lengthInBytes >> 8);
        msgPrime[o++] = (byte)lengthInBytes;
        msgPrime[o++] = 0;
        dst.CopyTo(msgPrime.AsSpan(o));
        msgPrime[^1] = (byte)dst.Length;
        Span<byte> b0 = stackalloc byte[HashBytes];
        SHA512.HashData(msgPrime, b0);

        // b_1 = H(b_0 || I2OSP(1, 1) || DST_prime); b_i = H(strxor(b_0, b_(i−1)) || I2OSP(i, 1) || DST_prime)
        var block = new byte[HashBytes + 1 + dst.Length + 1];
        dst.CopyTo(block.AsSpan(HashBytes + 1));
        block[^1] = (byte)dst.Length;
        var output = new byte[ell * HashBytes];
        Span<byte> previous = stackalloc byte[HashBytes];
        for (int i = 1; i <= ell; i++)
        {
            for (int j = 0; j < HashBytes; j++) block[j] = (byte)(b0[j] ^ previous[j]);   // previous = 0 for i = 1
            block[HashBytes] = (byte)i;
            SHA512.HashData(block, previous);
            previous.CopyTo(output.AsSpan((i - 1) * HashBytes));
        }
        return lengthInBytes == output.Length ? output : output[..lengthInBytes];
    }
}
