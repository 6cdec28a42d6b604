using System.Security.Cryptography;

namespace Smpc.Analytics.Studies;

/// <summary>A file a contributor read its dataset from, with its SHA-256 (hex, lower case) and size, so a
/// disclosure-review packet can name exactly what was analysed.</summary>
public sealed record DatasetFile(string Path, string Sha256, long Bytes)
{
    public static DatasetFile Of(string path)
    {
        using var stream = File.OpenRead(path);
        var hash = SHA256.HashData(stream);
        return new DatasetFile(System.IO.Path.GetFullPath(path), Convert.ToHexStringLower(hash), stream.Length);
    }
}
