using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Tests.Linkage;

public class KeyedHashTests
{
    [Fact]
    public void Rfc4231_test_case_6_truncated_to_64_bits_little_endian()
    {
        // HMAC-SHA-256, 131-byte key 0xaa…, "Test Using Larger Than Block-Size Key - Hash Key First"
        // = 60e431591ee0b67f…; the pseudonym is its first 8 bytes read little-endian.
        var p = new KeyedHashPseudonymiser(Enumerable.Repeat((byte)0xaa, 131).ToArray())
            .Pseudonymise(["Test Using Larger Than Block-Size Key - Hash Key First"]);
        Assert.Equal(0x7fb6e01e5931e460UL, p[0]);
    }

    [Fact]
    public void Known_answer_for_an_ssn_key()
    {
        // HMAC-SHA-256(key = 00 01 … 1f, "ssn:012345678") = 901cdb916be56655… (computed with Python's hmac module)
        var p = new KeyedHashPseudonymiser(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()).Pseudonymise(["ssn:012345678"]);
        Assert.Equal(0x5566e56b91db1c90UL, p[0]);
    }

    [Fact]
    public void Same_key_same_pseudonym_across_contributors_different_keys_differ_missing_keys_match_nothing()
    {
        var key = KeyedHashPseudonymiser.NewKey();
        string?[] keys = [.. Enumerable.Range(0, 20_000).Select(i => $"ssn:{100000000 + i}"), null, null];
        var a = new KeyedHashPseudonymiser(key).Pseudonymise(keys);
        var b = new KeyedHashPseudonymiser(key).Pseudonymise(keys);
        Assert.Equal(a[..20_000], b[..20_000]);
        Assert.Equal(a.Length, a.Distinct().Count());                      // distinct keys, and the two missing ones, all differ
        Assert.NotEqual(a[20_000], b[20_000]);                             // a missing key gets a fresh random pseudonym
        var other = new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey()).Pseudonymise(keys[..100]);
        Assert.Empty(other.Intersect(a));                                  // another study's key: unrelated pseudonyms
    }

    [Fact]
    public void A_short_key_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new KeyedHashPseudonymiser(new byte[16]));
        Assert.Contains("at least 32 bytes", e.Message);
    }
}
