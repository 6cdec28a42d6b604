// The exported log: the log's public key, the witnesses' public keys, every entry and every signed head with its
// cosignatures, as one JSON document (format smpc-transparency-log/1). `smpc audit export` writes it and
// `smpc audit verify` checks it (LogVerifier.cs).
using System.Text;
using System.Text.Json;

namespace Smpc.Governance.Transparency;

public sealed record LogExport(LogPublicKey Log, IReadOnlyList<LogPublicKey> Witnesses, IReadOnlyList<LogEntry> Entries, IReadOnlyList<SignedTreeHead> Heads)
{
    public const string Format = "smpc-transparency-log/1";

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            WriteKey(w, "log", Log);
            w.WriteStartArray("witnesses");
            foreach (var k in Witnesses) WriteKey(w, null, k);
            w.WriteEndArray();
            w.WriteStartArray("entries");
            foreach (var e in Entries) e.Write(w);
            w.WriteEndArray();
            w.WriteStartArray("heads");
            foreach (var h in Heads) h.Write(w);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public void Save(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, ToJson());
        File.Move(temp, path, overwrite: true);
    }

    public static LogExport Load(string path)
    {
        if (!File.Exists(path)) throw new LogFormatException($"{path}: no such file.");
        return Parse(File.ReadAllText(path), path);
    }

    public static LogExport Parse(string json, string where)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new LogFormatException($"{where}: not JSON ({e.Message})."); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var f) || f.GetString() != Format)
                throw new LogFormatException($"{where}: not an exported log (format {Format}).");
            try
            {
                var log = ReadKey(root.GetProperty("log"), $"{where}: log");
                var witnesses = root.TryGetProperty("witnesses", out var ws) ? ws.EnumerateArray().Select((x, i) => ReadKey(x, $"{where}: witnesses[{i}]")).ToList() : [];
                var entries = root.GetProperty("entries").EnumerateArray().Select((x, i) => LogEntry.Read(x, $"{where}: entries[{i}]")).ToList();
                var heads = root.GetProperty("heads").EnumerateArray().Select((x, i) => SignedTreeHead.Read(x, $"{where}: heads[{i}]")).ToList();
                return new LogExport(log, witnesses, entries, heads);
            }
            catch (KeyNotFoundException e) { throw new LogFormatException($"{where}: a required member is missing ({e.Message})."); }
        }
    }

    static void WriteKey(Utf8JsonWriter w, string? property, LogPublicKey key)
    {
        if (property is null) w.WriteStartObject(); else w.WriteStartObject(property);
        w.WriteString("name", key.Name);
        w.WriteString("keyId", key.KeyId);
        w.WriteString("publicKey", Convert.ToBase64String(key.Key));
        w.WriteEndObject();
    }

    static LogPublicKey ReadKey(JsonElement e, string where)
    {
        try { return new LogPublicKey(e.GetProperty("name").GetString()!, Convert.FromBase64String(e.GetProperty("publicKey").GetString()!)); }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LogFormatException($"{where}: not a public key ({ex.Message}).");
        }
    }
}
