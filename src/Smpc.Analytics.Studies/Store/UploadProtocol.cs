// The upload protocol between a contributor and one compute party's store service, over a mutual-TLS stream.
// Frames: u8 kind (1 = JSON message, 2 = batch, 3 = OPRF points) | u32 length (little-endian) | payload. A batch is one record batch
// of the party's own shares as a complete Arrow IPC share file (ShareStreamWriter), so the service checks it with
// the share file reader (layout, header, row checksums) before staging it.
// Conversation (the service speaks first, so a refused certificate shows at once as the stream closing):
//   P: hello {party, study}
//   C: status {dataset, uploadId}                   P: status {state: none|staged|committed, sharingId, receipt}
//   C: begin {dataset, uploadId, sharingId, hashes, schema, presence}   P: ready   C: batch*   C: end {rows}   P: staged {rows, storedBytes}
//   C: commit {uploadId, sharingId}                 P: committed {receipt}
//   C: abort {uploadId}                             P: aborted
//   With the OPRF pseudonymiser (OprfEndpoint), after ready:
//   C: oprf {dataset, uploadId, rows, keys}         P: oprf {publicKey, evaluations}     (the allowance of this upload)
//   C: points (n×32 bytes, blinded)                 P: points (n×32 bytes, the party's key share applied)
//   P: error {message} in place of any answer.
// Two-phase commit: the contributor commits only once all three parties answered staged; a staged upload is durable,
// so if a party fails between commits, a rerun finds it committed elsewhere and staged here, and completes it.
// Leakage to each party: dataset name, schema, upload id, file hash, row and batch counts, sizes — never values.
using System.Buffers.Binary;
using System.Text.Json;
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Studies.Store;

/// <summary>One JSON message of the upload protocol (fields unused by a message type are null).</summary>
public sealed record UploadMessage(string Type)
{
    public int? Party { get; init; }
    public string? Study { get; init; }
    public string? Dataset { get; init; }
    public string? UploadId { get; init; }
    public string? SharingId { get; init; }
    public string? State { get; init; }
    public string? FileSha256 { get; init; }
    public string? SchemaSha256 { get; init; }
    public string? TermsSha256 { get; init; }
    /// <summary>The data-use terms as the contributor hashed them (UTF-8 JSON); the party checks the hash and keeps them.</summary>
    public string? TermsJson { get; init; }
    public TableSchema? Schema { get; init; }
    public IReadOnlyList<string>? Presence { get; init; }
    public long? Rows { get; init; }
    public long? StoredBytes { get; init; }
    public StoreReceipt? Receipt { get; init; }
    public string? Message { get; init; }
    /// <summary>OPRF: linkage keys per row the contributor will pseudonymise.</summary>
    public int? Keys { get; init; }
    /// <summary>OPRF: the party's key share's public key X25519(k_i, 9), hex.</summary>
    public string? PublicKey { get; init; }
    /// <summary>OPRF: evaluations granted for this upload.</summary>
    public long? Evaluations { get; init; }
}

internal static class UploadProtocol
{
    public const byte Json = 1, Batch = 2, Points = 3;
    public const int MaxFrame = 1 << 29;

    static readonly JsonSerializerOptions Options = new(TableSchema.Json) { WriteIndented = false };

    public static void Send(Stream stream, UploadMessage message) => Send(stream, Json, JsonSerializer.SerializeToUtf8Bytes(message, Options));

    public static void Send(Stream stream, byte kind, ReadOnlySpan<byte> payload)
    {
        Span<byte> head = stackalloc byte[5];
        head[0] = kind;
        BinaryPrimitives.WriteUInt32LittleEndian(head[1..], (uint)payload.Length);
        stream.Write(head);
        stream.Write(payload);
        stream.Flush();
    }

    /// <summary>The next frame, or null when the peer closed the stream cleanly between frames.</summary>
    public static (byte Kind, byte[] Payload)? Receive(Stream stream)
    {
        var head = new byte[5];
        int got = stream.ReadAtLeast(head, 5, throwOnEndOfStream: false);
        if (got == 0) return null;
        if (got < 5) throw new IOException("the connection closed inside a frame header");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(1));
        if (head[0] is not (Json or Batch or Points) || length > MaxFrame) throw new InvalidDataException($"not an upload protocol frame (kind {head[0]}, {length} bytes)");
        var payload = new byte[length];
        stream.ReadExactly(payload);
        return (head[0], payload);
    }

    public static UploadMessage Parse(byte[] payload)
    {
        try { return JsonSerializer.Deserialize<UploadMessage>(payload, Options) ?? throw new InvalidDataException("an empty message"); }
        catch (JsonException e) { throw new InvalidDataException($"a message that is not valid JSON ({e.Message})", e); }
    }

    /// <summary>Reads the next JSON message; a batch frame or the end of the stream is an error naming <paramref name="peer"/>.</summary>
    public static UploadMessage ReceiveMessage(Stream stream, string peer)
    {
        var frame = Receive(stream) ?? throw new IOException($"{peer} closed the connection");
        if (frame.Kind != Json) throw new InvalidDataException($"{peer} sent {(frame.Kind == Batch ? "a batch" : "OPRF points")} where a message was expected");
        return Parse(frame.Payload);
    }
}
