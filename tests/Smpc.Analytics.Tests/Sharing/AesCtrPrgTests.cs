using System.Runtime.InteropServices;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Sharing;

public class AesCtrPrgTests
{
    [Fact]
    public void Aes128_matches_FIPS_197_appendix_C1()
    {
        // FIPS 197, Appendix C.1: AES-128 (Nk=4, Nr=10).
        var key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        var plain = Convert.FromHexString("00112233445566778899aabbccddeeff");
        var prg = new AesCtrPrg(key);
        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Convert.ToHexString(prg.EncryptBlock(plain)).ToLowerInvariant());
    }

    [Fact]
    public void Counter_stream_equals_platform_AES_on_counter_blocks()
    {
        var key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c"); // SP 800-38A F.5 key
        var prg = new AesCtrPrg(key);
        const ulong nonce = 0x0123456789abcdef;
        var stream = new ulong[2 * 37];
        prg.Fill(stream, nonce);
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = key;
        var counters = new ulong[stream.Length];
        for (int b = 0; b < 37; b++) { counters[2 * b] = nonce; counters[2 * b + 1] = (ulong)b; }
        var expected = aes.EncryptEcb(MemoryMarshal.AsBytes(counters.AsSpan()).ToArray(), System.Security.Cryptography.PaddingMode.None);
        Assert.Equal(expected, MemoryMarshal.AsBytes(stream.AsSpan()).ToArray());
    }

    [Fact]
    public void Any_offset_continues_the_same_stream()
    {
        var prg = new AesCtrPrg(new byte[16]);
        var whole = new ulong[101];
        prg.Fill(whole, 42);
        foreach (int offset in new[] { 0, 1, 2, 17, 50, 99 })
        {
            var part = new ulong[whole.Length - offset];
            prg.Fill(part, 42, offset);
            Assert.Equal(whole[offset..], part);
        }
        var other = new ulong[101];
        prg.Fill(other, 43);
        Assert.NotEqual(whole, other);
    }

    [Fact]
    public void Wrong_key_size_is_refused() =>
        Assert.Contains("16 bytes", Assert.Throws<ArgumentException>(() => new AesCtrPrg(new byte[15])).Message);
}
