using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Smpc.Analytics.Reporting;

/// <summary>
/// SHA-256 of every output file, in the format of <c>sha256sum</c> ("&lt;hex&gt;  &lt;name&gt;" per line), so a reviewer can
/// check with <c>sha256sum -c SHA256SUMS</c> — or <see cref="Verify"/> — that nothing changed after the run.
/// </summary>
public static class Manifest
{
    public static FileDigest Digest(string path, string displayPath, string role)
    {
        using var stream = File.OpenRead(path);
        var hash = SHA256.HashData(stream);
        return new FileDigest(displayPath, role, stream.Length, Convert.ToHexStringLower(hash));
    }

    public static string Render(IEnumerable<FileDigest> files) =>
        string.Concat(files.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Sha256}  {f.Path}\n")));

    /// <summary>Checks every line of a manifest in <paramref name="folder"/>; returns the problems (empty when all files match).</summary>
    public static IReadOnlyList<string> Verify(string folder, string manifestName)
    {
        var problems = new List<string>();
        var path = Path.Combine(folder, manifestName);
        if (!File.Exists(path)) return [$"manifest '{path}' does not exist"];
        int n = 0;
        foreach (var line in File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Length > 0))
        {
            n++;
            int split = line.IndexOf("  ", StringComparison.Ordinal);
            if (split != 64) { problems.Add($"line {n}: not '<sha256>  <file>': {line}"); continue; }
            var name = line[(split + 2)..];
            var file = Path.Combine(folder, name);
            if (!File.Exists(file)) { problems.Add($"{name}: missing"); continue; }
            if (Digest(file, name, "").Sha256 != line[..64]) problems.Add($"{name}: SHA-256 differs from the manifest");
        }
        if (n == 0) problems.Add($"manifest '{path}' lists no files");
        return problems;
    }
}
