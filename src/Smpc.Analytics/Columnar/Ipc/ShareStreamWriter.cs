// One party's shares written as an Arrow IPC file into any stream (a file, an encrypting stream, a buffer).
// Same layout, metadata and per-row checksums as ShareFileWriter, which uses it for files on disk; a party's
// store writes through it into its encrypted files, and a contributor frames each batch of an upload with it.
// Leakage: as ShareFileWriter — the header (study, dataset, party, upload, schema), row and batch counts.
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Smpc.Analytics.Columnar.Arrow;

namespace Smpc.Analytics.Columnar.Ipc;

/// <summary>Writes one party's shares as an Arrow IPC file into a stream, batch by batch (memory bounded by the
/// batch). <see cref="Finish"/> writes the footer; the stream is left open.</summary>
public sealed class ShareStreamWriter : IDisposable
{
    readonly Apache.Arrow.Schema _arrow;
    readonly string _source;
    ArrowFileWriter? _writer;

    /// <param name="stream">Where the file goes (written sequentially; need not be seekable).</param>
    /// <param name="header">The party's header: its id is the party whose shares are written.</param>
    /// <param name="source">How errors name the destination.</param>
    public ShareStreamWriter(Stream stream, ShareFileHeader header, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(header);
        header.Schema.Validate();
        Header = header;
        _source = source;
        _arrow = header.ArrowSchema();
        _writer = new ArrowFileWriter(stream, _arrow, leaveOpen: true);
        _writer.WriteStart();
    }

    public ShareFileHeader Header { get; }
    public long RowsWritten { get; private set; }

    /// <summary>Appends rows; <paramref name="batch"/> must be this party's shares in the header's schema and layout.</summary>
    public void Write(SharedTable batch)
    {
        if (_writer is null) throw new InvalidOperationException($"{_source} is already finished.");
        if (batch.PartyId != Header.PartyId)
            throw new ShareFileException(ShareFileProblem.WrongParty, $"{_source}: these rows hold party {batch.PartyId}'s shares.");
        SharedTable.CheckSchema(Header.Schema, batch.Schema, $"{_source}: the rows");
        if (!new HashSet<string>(batch.CodedColumns, StringComparer.Ordinal).SetEquals(Header.CodedColumns))
            throw new ShareFileException(ShareFileProblem.SchemaMismatch,
                $"{_source}: the rows hold codes for ({string.Join(", ", batch.CodedColumns)}), the file for ({string.Join(", ", Header.CodedColumns)}).");
        if (!new HashSet<string>(batch.PresenceColumns, StringComparer.Ordinal).SetEquals(Header.PresenceColumns))
            throw new ShareFileException(ShareFileProblem.SchemaMismatch,
                $"{_source}: the rows have presence vectors for ({string.Join(", ", batch.PresenceColumns)}), the file for ({string.Join(", ", Header.PresenceColumns)}).");
        for (int offset = 0; offset < batch.RowCount; offset += ShareFormat.MaxBatchRows)
        {
            int n = Math.Min(ShareFormat.MaxBatchRows, batch.RowCount - offset);
            var arrays = ShareLayout.Arrays(batch.Columns, offset, n);
            var h = RowChecksum.Start(n);
            foreach (var a in arrays) CodeFields.Absorb(h, a);
            arrays.Add(ArrowShares.ToArrow(h));
            try { _writer.WriteRecordBatch(new RecordBatch(_arrow, arrays, n)); }
            catch (IOException e) { throw new ShareFileException(ShareFileProblem.Io, $"{_source}: writing failed: {e.Message}", e); }
            RowsWritten += n;
        }
    }

    /// <summary>Writes the Arrow footer (idempotent).</summary>
    public void Finish()
    {
        if (_writer is null) return;
        try { _writer.WriteEnd(); }
        catch (IOException e) { throw new ShareFileException(ShareFileProblem.Io, $"{_source}: finishing failed: {e.Message}", e); }
        finally { Dispose(); }
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }
}
