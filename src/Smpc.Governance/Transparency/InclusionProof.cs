// The proof a steward keeps for one entry (a release, an approval): the entry itself, the signed head (with its
// cosignatures) of the tree it is in, and the RFC 9162 audit path. Checked offline with the log's and the witnesses'
// public keys: `smpc audit check-proof FILE`, or Verify below.
using System.Text;
using System.Text.Json;

namespace Smpc.Governance.Transparency;

public sealed record InclusionProof(LogEntry Entry, SignedTreeHead Head, IReadOnlyList<byte[]> Path)
{
    /// <summary>Throws <see cref="LogVerificationException"/> naming what fails: the head's signature, a required
    /// witness's cosignature, or the path.</summary>
    public void Verify(LogPublicKey log, IReadOnlyList<LogPublicKey>? witnesses = null)
    {
        if (!Head.SignedBy(log)) throw new LogVerificationException($"The proof's {Head} is not signed by {log}.", Entry.Index);
        foreach (var w in witnesses ?? [])
            if (!Head.CosignedBy(w)) throw new LogVerificationException($"The proof's {Head} carries no valid cosignature of witness {w}.", Entry.Index);
        if (!MerkleProofs.VerifyInclusion(Entry.Index, Head.Size, Entry.LeafHash(), Path, Head.Root))
            throw new LogVerificationException($"{Entry} is not in the tree of the proof's {Head}: the entry or its path was changed.", Entry.Index);
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", "smpc-inclusion-proof/1");
            w.WritePropertyName("entry"); Entry.Write(w);
            w.WriteString("leafHash", Hex.Of(Entry.LeafHash()));
            w.WritePropertyName("head"); Head.Write(w);
            w.WriteStartArray("path");
            foreach (var p in Path) w.WriteStringValue(Hex.Of(p));
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static InclusionProof Parse(string json, string where)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new LogFormatException($"{where}: not JSON ({e.Message})."); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var f) || f.GetString() != "smpc-inclusion-proof/1")
                throw new LogFormatException($"{where}: not an inclusion proof (format smpc-inclusion-proof/1).");
            var path = root.TryGetProperty("path", out var p) ? p.EnumerateArray().Select((x, i) => Hex.Parse(x.GetString(), $"{where}: path[{i}]")).ToList() : [];
            return new InclusionProof(LogEntry.Read(root.GetProperty("entry"), $"{where}: entry"), SignedTreeHead.Read(root.GetProperty("head"), $"{where}: head"), path);
        }
    }
}
