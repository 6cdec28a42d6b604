using Apache.Arrow.Ipc;

namespace Smpc.Analytics.Columnar.Ipc;

/// <summary>A party's share file as read: its header and the party's shares.</summary>
public sealed record ShareFileContents(ShareFileHeader Header, SharedTable Table);

/// <summary>
/// Reads one party's share file and checks it: Arrow magic at both ends (a truncated file is named as such),
/// format version, party id, study, dataset, upload id and schema against what the caller expects, every
/// field against the schema (unknown columns, missing or mistyped components), equal lengths, no nulls and
/// every row's checksum. Any failure is a <see cref="ShareFileException"/> naming the file and the rule.
/// </summary>
/// <remarks>Each component is copied once out of Arrow's buffers into the party's <c>ulong[]</c>; a file
/// with several record batches is assembled in a second copy (transiently twice the party's data).</remarks>
public static class ShareFileReader
{
    static ReadOnlySpan<byte> Magic => "ARROW1"u8;

    public static ShareFileContents Read(string path, ShareFileExpectation expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if ((uint)expected.PartyId > 2) throw Errors.PartyId(expected.PartyId);
        string source = $"Share file '{path}' (opened as party {expected.PartyId}'s)";
        if (!File.Exists(path)) throw new ShareFileException(ShareFileProblem.Io, $"{source} does not exist.");
        using var stream = File.OpenRead(path);
        return Read(stream, source, expected);
    }

    /// <summary>Reads a share file held in a seekable stream (e.g. decrypted from a party's store);
    /// <paramref name="source"/> names it in errors. The stream is left open.</summary>
    public static ShareFileContents Read(Stream stream, string source, ShareFileExpectation expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if ((uint)expected.PartyId > 2) throw Errors.PartyId(expected.PartyId);
        if (!stream.CanSeek) throw new ArgumentException("A share file is read from a seekable stream (the Arrow footer is at its end).", nameof(stream));
        CheckMagic(stream, source);
        try
        {
            stream.Position = 0;
            using var reader = new ArrowFileReader(stream, leaveOpen: true);
            var (header, layout) = ShareFileHeader.Read(reader.Schema, expected, source);
            var chunks = new List<SharedTable>();
            long rows = 0;
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                using (batch)
                {
                    chunks.Add(new SharedTable(header.Dataset, header.PartyId, layout.Columns(layout.Extract(batch, source, rows))));
                    rows += batch.Length;
                }
                if (rows > Array.MaxLength) throw new ShareFileException(ShareFileProblem.Corrupt, $"{source} has more than {Array.MaxLength} rows.");
            }
            var table = chunks.Count > 0 ? SharedTable.Concat(chunks)
                : new SharedTable(header.Dataset, header.PartyId, layout.Columns(layout.Empty()));
            return new ShareFileContents(header, table);
        }
        catch (ShareFileException) { throw; }
        catch (SmpcException e) { throw new ShareFileException(ShareFileProblem.Corrupt, $"{source} is damaged: {e.Message}", e); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ShareFileException(ShareFileProblem.Corrupt, $"{source} is damaged or not a share file: Arrow could not read it ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    static void CheckMagic(Stream f, string source)
    {
        f.Position = 0;
        Span<byte> head = stackalloc byte[6], tail = stackalloc byte[6];
        if (f.Length < 6 || f.ReadAtLeast(head, 6, throwOnEndOfStream: false) < 6 || !head.SequenceEqual(Magic))
            throw new ShareFileException(f.Length == 0 ? ShareFileProblem.Truncated : ShareFileProblem.Corrupt,
                f.Length == 0 ? $"{source} is empty." : $"{source} is not an Arrow IPC file (it does not start with the Arrow magic).");
        f.Seek(-6, SeekOrigin.End);
        if (f.Length < 14 || f.ReadAtLeast(tail, 6, throwOnEndOfStream: false) < 6 || !tail.SequenceEqual(Magic))
            throw new ShareFileException(ShareFileProblem.Truncated,
                $"{source} is truncated: it ends after {f.Length} bytes without the Arrow footer (was the copy or the write interrupted?).");
    }
}
