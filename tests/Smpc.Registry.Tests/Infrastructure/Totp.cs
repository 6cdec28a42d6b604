using System.Security.Cryptography;

namespace Smpc.Registry.Tests.Infrastructure;

/// <summary>
/// TOTP as an authenticator app computes it, written here from the RFCs and independent of the registry: RFC 6238
/// (time step 30 s from the Unix epoch) over RFC 4226 HOTP (HMAC-SHA-1, dynamic truncation), the key in RFC 4648 base32.
/// </summary>
internal static class Totp
{
    public static string Code(string base32Key, DateTimeOffset at, int digits = 6) => Code(Base32(base32Key), at.ToUnixTimeSeconds(), digits);

    public static string Code(byte[] key, long unixSeconds, int digits)
    {
        long step = unixSeconds / 30;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian) Array.Reverse(counter);
        var mac = HMACSHA1.HashData(key, counter);
        int offset = mac[^1] & 0x0f;
        int binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        return (binary % (int)Math.Pow(10, digits)).ToString().PadLeft(digits, '0');
    }

    public static byte[] Base32(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (char c in text.ToUpperInvariant().Replace(" ", "").TrimEnd('='))
        {
            int v = Alphabet.IndexOf(c);
            if (v < 0) throw new FormatException($"'{c}' is not base32");
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) { bytes.Add((byte)(buffer >> (bits - 8))); bits -= 8; }
        }
        return bytes.ToArray();
    }
}
