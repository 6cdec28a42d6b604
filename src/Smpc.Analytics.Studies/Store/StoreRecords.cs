using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smpc.Analytics.Studies.Store;

/// <summary>A study registered in a party's store (<c>DIR/&lt;study&gt;/store.json</c>): which party, the key's check
/// value, and the study config the service was started with (so a restart resumes it). No secret is recorded.</summary>
public sealed record StoreStudyInfo(string Study, int PartyId, string KeyCheck, string Config, DateTimeOffset Created);

/// <summary>A dataset committed to a party's store (<c>DIR/&lt;study&gt;/datasets/&lt;dataset&gt;.json</c>).</summary>
/// <param name="UploadId">Derived by the contributor from (dataset, file SHA-256, schema, terms): the same file contributed again has the same id.</param>
/// <param name="SharingId">Random per sharing run; the three parties' files of one dataset carry the same one.</param>
/// <param name="FileSha256">SHA-256 of the contributor's plaintext file (as the contributor reported it).</param>
/// <param name="StoredFile">The encrypted share file, relative to the study's folder.</param>
/// <param name="StoredSha256">SHA-256 of the encrypted share file, checked before every load.</param>
public sealed record StoredDataset(string Study, string Dataset, int PartyId, string UploadId, string SharingId, string FileSha256,
    string SchemaSha256, string TermsSha256, long Rows, long StoredBytes, string StoredFile, string StoredSha256, string Contributor,
    DateTimeOffset CommittedAt)
{
    /// <summary>What the party tells the contributor after committing.</summary>
    public StoreReceipt Receipt() => new(PartyId, Study, Dataset, UploadId, FileSha256, Rows, StoredBytes, CommittedAt);
}

/// <summary>A party's receipt for a contributed dataset: the contributor's file hash and the row count the party stored.</summary>
public sealed record StoreReceipt(int PartyId, string Study, string Dataset, string UploadId, string FileSha256, long Rows, long StoredBytes, DateTimeOffset CommittedAt);

/// <summary>An upload staged at a party (written and flushed, waiting for the contributor's commit).</summary>
public sealed record StagedUpload(string Study, string Dataset, string UploadId, string SharingId, string FileSha256, string SchemaSha256,
    string TermsSha256, long Rows, long StoredBytes, string StoredSha256, string Contributor);

internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes a small file atomically: a temporary file beside it, flushed to disk, then renamed over it.</summary>
    public static void WriteAtomic(string path, string text)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var f = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                f.Write(System.Text.Encoding.UTF8.GetBytes(text));
                f.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void Write<T>(string path, T value) => WriteAtomic(path, JsonSerializer.Serialize(value, Options) + "\n");

    public static T Read<T>(string path)
    {
        try { return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) ?? throw new StoreException($"'{path}' is empty."); }
        catch (JsonException e) { throw new StoreException($"'{path}' is not a valid store record: {e.Message}", e); }
    }
}
