using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>The tests' own TOTP (<see cref="Totp"/>), which stands in for an authenticator app, against the known-answer
/// vectors of RFC 6238 Appendix B (SHA-1, key "12345678901234567890", 8 digits) and RFC 4648's base32 examples.</summary>
public sealed class TotpVectorTests
{
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void The_test_totp_matches_rfc_6238(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code("12345678901234567890"u8.ToArray(), unixSeconds, 8));

    [Theory]
    [InlineData("MZXW6YTBOI======", "foobar")]
    [InlineData("MZXW6===", "foo")]
    public void Base32_decodes_rfc_4648_examples(string text, string expected) =>
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(Totp.Base32(text)));
}
