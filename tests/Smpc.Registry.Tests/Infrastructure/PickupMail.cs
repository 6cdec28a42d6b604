using System.Text;
using System.Text.RegularExpressions;

namespace Smpc.Registry.Tests.Infrastructure;

/// <summary>Reads the registry's mail from its pickup folder (<c>DIR/mail/*.eml</c>) as a person's mail client would:
/// the message to an address, its body decoded (quoted-printable), and the first link in it.</summary>
internal static partial class PickupMail
{
    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Link();

    public static string[] Files(RegistryServer server) =>
        Directory.Exists(Path.Combine(server.DataDirectory, "mail")) ? Directory.GetFiles(Path.Combine(server.DataDirectory, "mail"), "*.eml") : [];

    /// <summary>The newest message to this address, decoded; fails when there is none.</summary>
    public static string To(RegistryServer server, string address)
    {
        var messages = Files(server).Select(f => (File: f, Text: File.ReadAllText(f)))
            .Where(m => Regex.IsMatch(m.Text, $@"^To: .*{Regex.Escape(address)}", RegexOptions.Multiline | RegexOptions.IgnoreCase))
            .OrderBy(m => File.GetLastWriteTimeUtc(m.File)).ToList();
        Assert.True(messages.Count > 0, $"no mail to {address} in the pickup folder");
        string raw = messages[^1].Text;
        int split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string headers = raw[..split], body = raw[(split + 4)..];
        return headers.Contains("quoted-printable", StringComparison.OrdinalIgnoreCase) ? QuotedPrintable(body)
            : headers.Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\r\n", "")))
            : body;
    }

    public static Uri LinkIn(string body) => new(Link().Match(body).Value);

    static string QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        text = text.Replace("=\r\n", "");
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length + 0 && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
