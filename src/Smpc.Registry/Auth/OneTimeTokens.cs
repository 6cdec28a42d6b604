using System.Security.Cryptography;
using System.Text;

namespace Smpc.Registry.Auth;

/// <summary>Random one-time tokens for links (32 bytes, base64url) and the SHA-256 that is stored in their place.</summary>
public static class OneTimeTokens
{
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
