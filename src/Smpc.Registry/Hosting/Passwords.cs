using System.Security.Cryptography;

namespace Smpc.Registry.Hosting;

/// <summary>Generated initial passwords: 20 characters from a 56-letter alphabet without look-alikes (~116 bits).</summary>
public static class Passwords
{
    const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, 20);
}
