using System.Security.Cryptography;
using System.Text;
using Smpc.Registry.Data;

namespace Smpc.Registry.Auth;

/// <summary>Issues personal access tokens (<c>smpc_pat_</c> + 32 random bytes, base64url) and stores only their SHA-256.</summary>
public static class PersonalAccessTokens
{
    public const string Prefix = "smpc_pat_";

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Adds a token for the user to the context (the caller saves) and returns the token text, shown once.</summary>
    public static string Issue(RegistryDb db, RegistryUser user, string name, DateTime now, TimeSpan lifetime)
    {
        string token = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        db.PersonalAccessTokens.Add(new PersonalAccessToken
        {
            UserId = user.Id, Name = name, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = now + lifetime,
        });
        return token;
    }
}
