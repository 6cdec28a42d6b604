// Per-party share file writer (Arrow IPC file format, layout in ShareFormat).
// Leakage at rest: the file reveals to whoever holds it the study, dataset, party id, upload id, the schema,
// the row count and record-batch sizes; its two replicated components are uniform and independent of the data,
// and the row checksums are a public function of them. Any two parties' files together reveal every value.
namespace Smpc.Analytics.Columnar.Ipc;

/// <summary>
/// Writes one party's shares to an Arrow IPC file, batch by batch (memory bounded by the batch). The file
/// is written under a temporary name beside the destination and moved into place only by
/// <see cref="Commit"/>; disposing an uncommitted writer deletes the temporary file, so a failed or
/// abandoned write leaves nothing behind. Each record batch ends with a row checksum (<see cref="RowChecksum"/>).
/// </summary>
public sealed class ShareFileWriter : IDisposable
{
    FileStream? _stream;
    ShareStreamWriter? _writer;
    bool _finished, _committed;

    public ShareFileWriter(string path, ShareFileHeader header, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(header);
        header.Schema.Validate();
        Path = System.IO.Path.GetFullPath(path);
        Header = header;
        Overwrite = overwrite;
        CheckDestination();
        var dir = System.IO.Path.GetDirectoryName(Path)!;
        TempPath = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(Path)}.{ShareFileHeader.NewUploadId()[..12]}.partial");
        try
        {
            Directory.CreateDirectory(dir);
            _stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            _writer = new ShareStreamWriter(_stream, header, $"Party {header.PartyId}'s share file '{Path}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Dispose();
            throw new ShareFileException(ShareFileProblem.Io, $"Cannot write party {header.PartyId}'s share file '{Path}': {e.Message}", e);
        }
    }

    /// <summary>The destination.</summary>
    public string Path { get; }

    /// <summary>Where the file is written until <see cref="Commit"/>.</summary>
    public string TempPath { get; }

    public ShareFileHeader Header { get; }
    public bool Overwrite { get; }
    public long RowsWritten => _writer?.RowsWritten ?? _rows;
    long _rows;

    /// <summary>Appends rows; <paramref name="batch"/> must be this party's shares in the header's schema and layout.</summary>
    public void Write(SharedTable batch)
    {
        if (_finished || _writer is null) throw new InvalidOperationException($"The share file '{Path}' is already finished.");
        _writer.Write(batch);
    }

    /// <summary>Writes the footer and closes the temporary file; the destination is untouched.</summary>
    public void Finish()
    {
        if (_finished) return;
        try
        {
            _rows = _writer!.RowsWritten;
            _writer.Finish();
            _stream!.Flush(flushToDisk: true);
        }
        catch (IOException e) { throw new ShareFileException(ShareFileProblem.Io, $"Party {Header.PartyId}'s share file '{Path}': finishing failed: {e.Message}", e); }
        finally { Close(); }
        _finished = true;
    }

    /// <summary>Finishes and moves the file into place.</summary>
    public void Commit()
    {
        Finish();
        if (_committed) return;
        CheckDestination();
        try { File.Move(TempPath, Path, Overwrite); }
        catch (IOException e) { throw new ShareFileException(ShareFileProblem.Io, $"Cannot move party {Header.PartyId}'s share file into place at '{Path}': {e.Message}", e); }
        _committed = true;
    }

    internal void CheckDestination()
    {
        if (!Overwrite && File.Exists(Path))
            throw new ShareFileException(ShareFileProblem.Io, $"Party {Header.PartyId}'s share file '{Path}' already exists; refusing to replace it (ask for overwrite explicitly).");
    }

    void Close()
    {
        _writer?.Dispose();
        _writer = null;
        _stream?.Dispose();
        _stream = null;
    }

    /// <summary>Closes the file; an uncommitted file is deleted.</summary>
    public void Dispose()
    {
        Close();
        if (!_committed && File.Exists(TempPath)) File.Delete(TempPath);
    }
}
