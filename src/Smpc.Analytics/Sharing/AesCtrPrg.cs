// AES-128 in counter mode as a pseudo-random generator of 64-bit ring elements.
// Reference: FIPS 197 (AES); NIST SP 800-38A §6.5 (CTR mode). Counter block = nonce (8 bytes LE) || block index (8 bytes LE).
// Security: a PRF under a 128-bit key; two parties holding the same key derive the same stream
// for the same nonce, which is how zero-sharings and shared randomness are made without a dealer.
// Uses AES-NI (System.Runtime.Intrinsics.X86.Aes) with eight blocks in flight; falls back to
// System.Security.Cryptography.Aes (ECB on counter blocks) where AES-NI is missing. Both give
// identical output (tested).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AesAlg = System.Security.Cryptography.Aes;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace Smpc.Analytics.Sharing;

/// <summary>A keyed AES-128-CTR stream generator. Thread-safe: it holds only the key schedule.</summary>
public sealed class AesCtrPrg
{
    public const int KeySize = 16;
    readonly Vector128<byte>[] _roundKeys = new Vector128<byte>[11];
    readonly AesAlg? _fallback;
    readonly byte[] _key;

    public AesCtrPrg(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize) throw new ArgumentException($"AES-128 key must be {KeySize} bytes; got {key.Length}.", nameof(key));
        _key = key.ToArray();
        if (X86Aes.IsSupported && Sse2.IsSupported) ExpandKey(key, _roundKeys);
        else
        {
            _fallback = AesAlg.Create();
            _fallback.Key = _key;
        }
    }

    /// <summary>Whether this process uses the AES-NI path.</summary>
    public static bool IsHardwareAccelerated => X86Aes.IsSupported && Sse2.IsSupported;

    /// <summary>Fills <paramref name="destination"/> with the stream for <paramref name="nonce"/>,
    /// starting at 64-bit word <paramref name="wordOffset"/> of that stream.</summary>
    public void Fill(Span<ulong> destination, ulong nonce, long wordOffset = 0)
    {
        if (wordOffset < 0) throw new ArgumentOutOfRangeException(nameof(wordOffset));
        if (destination.IsEmpty) return;
        ulong block = (ulong)wordOffset / 2;
        int i = 0;
        if ((wordOffset & 1) != 0)
        {
            Span<ulong> tmp = stackalloc ulong[2];
            FillBlocks(tmp, nonce, block++);
            destination[i++] = tmp[1];
        }
        int whole = (destination.Length - i) & ~1;
        FillBlocks(destination.Slice(i, whole), nonce, block);
        block += (ulong)whole / 2;
        i += whole;
        if (i < destination.Length)
        {
            Span<ulong> tmp = stackalloc ulong[2];
            FillBlocks(tmp, nonce, block);
            destination[i] = tmp[0];
        }
    }

    /// <summary>Fills bytes (for keys, seeds and permutations).</summary>
    public void FillBytes(Span<byte> destination, ulong nonce)
    {
        int words = (destination.Length + 7) / 8;
        var tmp = words <= 64 ? stackalloc ulong[words] : new ulong[words];
        Fill(tmp, nonce);
        MemoryMarshal.AsBytes(tmp)[..destination.Length].CopyTo(destination);
    }

    void FillBlocks(Span<ulong> dst, ulong nonce, ulong firstBlock)
    {
        if (_fallback is not null) { FillFallback(dst, nonce, firstBlock); return; }
        FillAesNi(dst, nonce, firstBlock, _roundKeys);
    }

    void FillFallback(Span<ulong> dst, ulong nonce, ulong firstBlock)
    {
        var counters = new ulong[dst.Length];
        for (int b = 0; b < dst.Length / 2; b++)
        {
            counters[2 * b] = nonce;
            counters[2 * b + 1] = firstBlock + (ulong)b;
        }
        var outBytes = MemoryMarshal.AsBytes(dst);
        _fallback!.EncryptEcb(MemoryMarshal.AsBytes(counters.AsSpan()), outBytes, System.Security.Cryptography.PaddingMode.None);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void FillAesNi(Span<ulong> dst, ulong nonce, ulong firstBlock, Vector128<byte>[] rk)
    {
        int blocks = dst.Length / 2;
        ref var outRef = ref Unsafe.As<ulong, Vector128<byte>>(ref MemoryMarshal.GetReference(dst));
        var k0 = rk[0]; var k1 = rk[1]; var k2 = rk[2]; var k3 = rk[3]; var k4 = rk[4]; var k5 = rk[5];
        var k6 = rk[6]; var k7 = rk[7]; var k8 = rk[8]; var k9 = rk[9]; var k10 = rk[10];
        var nonceVec = Vector128.Create(nonce, 0UL);
        int b = 0;
        for (; b + 8 <= blocks; b += 8)
        {
            ulong c = firstBlock + (ulong)b;
            var x0 = (nonceVec | Vector128.Create(0UL, c)).AsByte() ^ k0;
            var x1 = (nonceVec | Vector128.Create(0UL, c + 1)).AsByte() ^ k0;
            var x2 = (nonceVec | Vector128.Create(0UL, c + 2)).AsByte() ^ k0;
            var x3 = (nonceVec | Vector128.Create(0UL, c + 3)).AsByte() ^ k0;
            var x4 = (nonceVec | Vector128.Create(0UL, c + 4)).AsByte() ^ k0;
            var x5 = (nonceVec | Vector128.Create(0UL, c + 5)).AsByte() ^ k0;
            var x6 = (nonceVec | Vector128.Create(0UL, c + 6)).AsByte() ^ k0;
            var x7 = (nonceVec | Vector128.Create(0UL, c + 7)).AsByte() ^ k0;
            Round(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, k1);
            Round(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, k2);
            Round(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, k3);
            Round(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, k4);
            Round(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, k5);
            Round(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, k6);
            Round(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, k7);
            Round(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, k8);
            Round(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7, k9);
            Unsafe.Add(ref outRef, b) = X86Aes.EncryptLast(x0, k10);
            Unsafe.Add(ref outRef, b + 1) = X86Aes.EncryptLast(x1, k10);
            Unsafe.Add(ref outRef, b + 2) = X86Aes.EncryptLast(x2, k10);
            Unsafe.Add(ref outRef, b + 3) = X86Aes.EncryptLast(x3, k10);
            Unsafe.Add(ref outRef, b + 4) = X86Aes.EncryptLast(x4, k10);
            Unsafe.Add(ref outRef, b + 5) = X86Aes.EncryptLast(x5, k10);
            Unsafe.Add(ref outRef, b + 6) = X86Aes.EncryptLast(x6, k10);
            Unsafe.Add(ref outRef, b + 7) = X86Aes.EncryptLast(x7, k10);
        }
        for (; b < blocks; b++)
        {
            var x = (nonceVec | Vector128.Create(0UL, firstBlock + (ulong)b)).AsByte() ^ k0;
            x = X86Aes.Encrypt(x, k1); x = X86Aes.Encrypt(x, k2); x = X86Aes.Encrypt(x, k3);
            x = X86Aes.Encrypt(x, k4); x = X86Aes.Encrypt(x, k5); x = X86Aes.Encrypt(x, k6);
            x = X86Aes.Encrypt(x, k7); x = X86Aes.Encrypt(x, k8); x = X86Aes.Encrypt(x, k9);
            Unsafe.Add(ref outRef, b) = X86Aes.EncryptLast(x, k10);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Round(ref Vector128<byte> x0, ref Vector128<byte> x1, ref Vector128<byte> x2, ref Vector128<byte> x3,
                      ref Vector128<byte> x4, ref Vector128<byte> x5, ref Vector128<byte> x6, ref Vector128<byte> x7, Vector128<byte> k)
    {
        x0 = X86Aes.Encrypt(x0, k); x1 = X86Aes.Encrypt(x1, k); x2 = X86Aes.Encrypt(x2, k); x3 = X86Aes.Encrypt(x3, k);
        x4 = X86Aes.Encrypt(x4, k); x5 = X86Aes.Encrypt(x5, k); x6 = X86Aes.Encrypt(x6, k); x7 = X86Aes.Encrypt(x7, k);
    }

    static void ExpandKey(ReadOnlySpan<byte> key, Vector128<byte>[] rk)
    {
        // FIPS 197 §5.2 key expansion with AESKEYGENASSIST; the round constant must be a literal.
        rk[0] = Vector128.Create(key);
        rk[1] = Step(rk[0], X86Aes.KeygenAssist(rk[0], 0x01));
        rk[2] = Step(rk[1], X86Aes.KeygenAssist(rk[1], 0x02));
        rk[3] = Step(rk[2], X86Aes.KeygenAssist(rk[2], 0x04));
        rk[4] = Step(rk[3], X86Aes.KeygenAssist(rk[3], 0x08));
        rk[5] = Step(rk[4], X86Aes.KeygenAssist(rk[4], 0x10));
        rk[6] = Step(rk[5], X86Aes.KeygenAssist(rk[5], 0x20));
        rk[7] = Step(rk[6], X86Aes.KeygenAssist(rk[6], 0x40));
        rk[8] = Step(rk[7], X86Aes.KeygenAssist(rk[7], 0x80));
        rk[9] = Step(rk[8], X86Aes.KeygenAssist(rk[8], 0x1b));
        rk[10] = Step(rk[9], X86Aes.KeygenAssist(rk[9], 0x36));
    }

    static Vector128<byte> Step(Vector128<byte> key, Vector128<byte> assist)
    {
        assist = Sse2.Shuffle(assist.AsUInt32(), 0xff).AsByte();
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        return key ^ assist;
    }

    /// <summary>Plain AES-128 of one block (for known-answer tests against FIPS 197).</summary>
    internal byte[] EncryptBlock(ReadOnlySpan<byte> block)
    {
        var output = new byte[16];
        if (_fallback is not null) { _fallback.EncryptEcb(block, output, System.Security.Cryptography.PaddingMode.None); return output; }
        var x = Vector128.Create(block) ^ _roundKeys[0];
        for (int r = 1; r < 10; r++) x = X86Aes.Encrypt(x, _roundKeys[r]);
        X86Aes.EncryptLast(x, _roundKeys[10]).CopyTo(output);
        return output;
    }
}
