// A CSV file read in chunks of whole records, so a contributor validates and shares a file of any size in bounded
// memory. The splitter only finds record ends (a line break outside double quotes); each chunk is parsed together
// with the header by the same CSV reader as a whole file (CsvText), and its problems are moved to the lines where
// they are in the file. Memory: one chunk of text and its cells.

namespace Smpc.Analytics.Studies.Store;

/// <summary>One chunk: its cells (with the header) and how far its lines are from the file's.</summary>
internal sealed record CsvChunk(RawData Raw, long LineOffset, int HeaderLines, bool First)
{
    /// <summary>A problem of this chunk at its line in the file; null for a header problem repeated by a later chunk.</summary>
    public DataProblem? Locate(DataProblem p) =>
        p.Line <= HeaderLines ? (First ? p : null) : p with { Line = p.Line + LineOffset };
}

internal static class CsvChunks
{
    /// <summary>The chunks of <paramref name="path"/>, each holding up to <paramref name="rows"/> records.</summary>
    public static IEnumerable<CsvChunk> Read(string path, int rows, int maxProblems)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 16];
        var header = new MemoryStream();
        var chunk = new MemoryStream();
        bool inQuotes = false, inHeader = true, first = true, recordHasText = false;
        long newlines = 0, chunkStartLine = 1;
        int records = 0, headerLines = 0;
        int n;
        while ((n = file.Read(buffer)) > 0)
        {
            int start = 0;
            for (int i = 0; i < n; i++)
            {
                byte b = buffer[i];
                if (b == (byte)'"') inQuotes = !inQuotes;
                if (b != (byte)'\n')
                {
                    if (b is not ((byte)'\r' or (byte)' ')) recordHasText = true;
                    continue;
                }
                newlines++;
                if (inQuotes) continue;
                if (inHeader)
                {
                    header.Write(buffer, start, i + 1 - start);
                    start = i + 1;
                    if (!recordHasText) continue;   // blank lines before the header belong to it
                    inHeader = false;
                    headerLines = (int)newlines;
                    chunkStartLine = newlines + 1;
                    recordHasText = false;
                    continue;
                }
                if (recordHasText) records++;
                recordHasText = false;
                if (records == rows)
                {
                    chunk.Write(buffer, start, i + 1 - start);
                    start = i + 1;
                    yield return Parse(path, header, chunk, chunkStartLine, headerLines, first, maxProblems);
                    first = false;
                    chunk.SetLength(0);
                    records = 0;
                    chunkStartLine = newlines + 1;
                }
            }
            (inHeader ? header : chunk).Write(buffer, start, n - start);
        }
        if (inHeader) headerLines = (int)newlines + 1;
        if (first || chunk.Length > 0 && (records > 0 || recordHasText))
            yield return Parse(path, header, chunk, chunkStartLine, headerLines, first, maxProblems);
    }

    static CsvChunk Parse(string path, MemoryStream header, MemoryStream chunk, long chunkStartLine, int headerLines, bool first, int maxProblems)
    {
        var bytes = new byte[header.Length + chunk.Length + 1];
        header.GetBuffer().AsSpan(0, (int)header.Length).CopyTo(bytes);
        int at = (int)header.Length;
        if (at > 0 && bytes[at - 1] != (byte)'\n') bytes[at++] = (byte)'\n';   // a header without a final line break
        chunk.GetBuffer().AsSpan(0, (int)chunk.Length).CopyTo(bytes.AsSpan(at));
        at += (int)chunk.Length;
        var raw = new RawData { File = Path.GetFileName(path), IsText = true, Problems = new ProblemList(maxProblems) };
        CsvText.Parse(raw, bytes.AsSpan(0, at));
        // In the parsed text the chunk's first line is headerLines + 1; in the file it is chunkStartLine.
        return new CsvChunk(raw, chunkStartLine - (headerLines + 1), headerLines, first);
    }

}
