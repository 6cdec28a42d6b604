// Signed tree heads and witness cosignatures. A head states the log's size and root at a time, signed by the log's
// key over a plain text body (below); a witness — each compute party — countersigns a head only after checking it
// extends the last head it countersigned (Witness.cs), so a registry that rewrites or forks its history cannot
// gather cosignatures for both branches.
//
//   smpc-transparency-log/1
//   <log name> <log key id>
//   <size>
//   <root, hex>
//   <time, ISO 8601 UTC>
//
// A cosignature signs "smpc-cosignature/1\n<witness name> <witness key id>\n" followed by that body.
using System.Globalization;
using System.Text.Json;

namespace Smpc.Governance.Transparency;

public sealed record Cosignature(string Witness, string KeyId, DateTime Time, byte[] Signature);

public sealed record SignedTreeHead
{
    public required string Log { get; init; }
    public required string KeyId { get; init; }
    public required long Size { get; init; }
    public required byte[] Root { get; init; }
    public required DateTime Time { get; init; }
    public required byte[] Signature { get; init; }
    public IReadOnlyList<Cosignature> Cosignatures { get; init; } = [];

    public static string BodyOf(string log, string keyId, long size, byte[] root, DateTime time) =>
        $"smpc-transparency-log/1\n{log} {keyId}\n{size}\n{Hex.Of(root)}\n{time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)}\n";

    public string Body() => BodyOf(Log, KeyId, Size, Root, Time);

    public static SignedTreeHead Sign(LogKey key, long size, byte[] root, DateTime time)
    {
        var body = BodyOf(key.Name, key.Public.KeyId, size, root, time);
        return new SignedTreeHead { Log = key.Name, KeyId = key.Public.KeyId, Size = size, Root = root, Time = time, Signature = key.Sign(Hex.Utf8(body)) };
    }

    public bool SignedBy(LogPublicKey key) => key.KeyId == KeyId && key.Name == Log && key.Verify(Hex.Utf8(Body()), Signature);

    public static byte[] CosignedText(string witness, string keyId, string body) => Hex.Utf8($"smpc-cosignature/1\n{witness} {keyId}\n{body}");

    public bool CosignedBy(LogPublicKey witness) =>
        Cosignatures.Any(c => c.KeyId == witness.KeyId && c.Witness == witness.Name && witness.Verify(CosignedText(c.Witness, c.KeyId, Body()), c.Signature));

    public SignedTreeHead WithCosignature(Cosignature c) => this with { Cosignatures = [.. Cosignatures.Where(x => x.KeyId != c.KeyId), c] };

    public bool SameHead(SignedTreeHead other) => Log == other.Log && KeyId == other.KeyId && Size == other.Size && Root.AsSpan().SequenceEqual(other.Root);

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("log", Log);
        w.WriteString("keyId", KeyId);
        w.WriteNumber("size", Size);
        w.WriteString("root", Hex.Of(Root));
        w.WriteString("time", Time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
        w.WriteString("signature", Convert.ToBase64String(Signature));
        w.WriteStartArray("cosignatures");
        foreach (var c in Cosignatures)
        {
            w.WriteStartObject();
            w.WriteString("witness", c.Witness);
            w.WriteString("keyId", c.KeyId);
            w.WriteString("time", c.Time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
            w.WriteString("signature", Convert.ToBase64String(c.Signature));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true })) Write(w);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static SignedTreeHead Read(JsonElement e, string where)
    {
        try
        {
            var cos = new List<Cosignature>();
            if (e.TryGetProperty("cosignatures", out var cs))
                foreach (var c in cs.EnumerateArray())
                    cos.Add(new Cosignature(c.GetProperty("witness").GetString()!, c.GetProperty("keyId").GetString()!,
                        ParseTime(c.GetProperty("time")), Convert.FromBase64String(c.GetProperty("signature").GetString()!)));
            return new SignedTreeHead
            {
                Log = e.GetProperty("log").GetString()!,
                KeyId = e.GetProperty("keyId").GetString()!,
                Size = e.GetProperty("size").GetInt64(),
                Root = Hex.Parse(e.GetProperty("root").GetString(), $"{where}: root"),
                Time = ParseTime(e.GetProperty("time")),
                Signature = Convert.FromBase64String(e.GetProperty("signature").GetString()!),
                Cosignatures = cos,
            };
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw new LogFormatException($"{where}: not a signed tree head ({ex.Message}).");
        }
    }

    static DateTime ParseTime(JsonElement e) =>
        DateTime.Parse(e.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public override string ToString() => $"tree head of {Log} at size {Size} (root {Hex.Of(Root)[..16]}…, {Time:yyyy-MM-dd HH:mm:ss}Z)";
}
