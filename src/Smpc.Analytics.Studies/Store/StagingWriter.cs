// Writes one upload's shares into a party's staging area: Arrow IPC share file → chunked AES-GCM → a ".partial"
// file, flushed to disk and renamed when complete, with its staging record written atomically after it.
// Memory: one record batch plus one 1 MiB chunk. Leakage: as PartyStore.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Ipc;

namespace Smpc.Analytics.Studies.Store;

/// <summary>One upload being staged at a party. Disposing an incomplete writer deletes its partial file.</summary>
internal sealed class StagingWriter : IDisposable
{
    readonly string _path, _partial, _record;
    readonly StagedUpload _upload;
    FileStream? _file;
    EncryptingStream? _encrypting;
    ShareStreamWriter? _writer;
    bool _complete;

    public StagingWriter(string path, string record, StagedUpload upload, ShareFileHeader header, StoreKey key, string context, int partyId)
    {
        _path = path;
        _record = record;
        _upload = upload;
        _partial = path + ".partial";
        _file = new FileStream(_partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _encrypting = new EncryptingStream(_file, key, context);
        _writer = new ShareStreamWriter(_encrypting, header.ForParty(partyId), $"Party {partyId}'s staged share file '{path}'");
    }

    public long Rows => _writer?.RowsWritten ?? 0;

    public void Write(SharedTable batch) => (_writer ?? throw new InvalidOperationException("The staged upload is complete.")).Write(batch);

    /// <summary>Finishes the file, flushes it to disk, moves it into place and records the staged upload.</summary>
    public StagedUpload Complete()
    {
        long rows = _writer!.RowsWritten;
        _writer.Finish();
        var sha = _encrypting!.Complete();
        long bytes = _encrypting.StoredBytes;
        Close();
        File.Move(_partial, _path, overwrite: true);
        var staged = _upload with { Rows = rows, StoredBytes = bytes, StoredSha256 = sha };
        StoreJson.Write(_record, staged);
        _complete = true;
        return staged;
    }

    void Close()
    {
        _writer?.Dispose();
        _writer = null;
        _encrypting?.Dispose();
        _encrypting = null;
        _file?.Dispose();
        _file = null;
    }

    public void Dispose()
    {
        Close();
        if (!_complete && File.Exists(_partial)) File.Delete(_partial);
    }
}
