using Smpc.Analytics.Statistics;
using System.Text;
using System.Text.Unicode;

namespace Smpc.Analytics.Studies;

/// <summary>
/// A CSV file (RFC 4180: a header row, commas, optional double quotes, <c>""</c> inside quotes, line breaks inside
/// quotes, LF or CRLF) read into cells with the line and character where each field starts. The bytes must be UTF-8
/// (a UTF-8 byte-order mark is allowed): a UTF-16 or UTF-32 mark, or an invalid UTF-8 sequence, is a problem named
/// with its line and character. Blank lines are skipped.
/// </summary>
internal static class CsvText
{
    public static RawData Read(string path, int maxProblems)
    {
        var raw = new RawData { File = Path.GetFileName(path), IsText = true, Problems = new ProblemList(maxProblems) };
        byte[] bytes;
        try { bytes = System.IO.File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QueryException($"Cannot read the dataset '{path}': {e.Message}");
        }
        return Parse(raw, bytes);
    }

    public static RawData Parse(RawData raw, ReadOnlySpan<byte> bytes)
    {
        if (ForeignMark(bytes) is { } mark)
        {
            raw.Problems.Add(new DataProblem(DataProblemKind.Encoding, raw.File, 1, 1, null,
                $"the file starts with a {mark} byte-order mark; save it as UTF-8 (with or without a BOM)"));
            return raw;
        }
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        CheckUtf8(raw, bytes);
        var text = new UTF8Encoding(false, false).GetString(bytes);
        if (text.Trim().Length == 0)
        {
            raw.Problems.Add(new DataProblem(DataProblemKind.EmptyFile, raw.File, 1, 1, null, "the file is empty; a CSV dataset starts with a header row naming its columns"));
            return raw;
        }
        Records(raw, text);
        return raw;
    }

    static string? ForeignMark(ReadOnlySpan<byte> b) =>
        b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]) ? "UTF-32 LE"
        : b.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]) ? "UTF-32 BE"
        : b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? "UTF-16 LE"
        : b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? "UTF-16 BE"
        : null;

    /// <summary>One problem per line that holds bytes that are not UTF-8, at the character where they start.</summary>
    static void CheckUtf8(RawData raw, ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes)) return;
        long line = 1;
        var chars = new char[4096];
        while (bytes.Length > 0 && !raw.Problems.Full)
        {
            int end = bytes.IndexOf((byte)'\n');
            var segment = end < 0 ? bytes : bytes[..end];
            if (!Utf8.IsValid(segment))
            {
                if (chars.Length < segment.Length) chars = new char[segment.Length];
                Utf8.ToUtf16(segment, chars, out _, out int written, replaceInvalidSequences: false);
                raw.Problems.Add(new DataProblem(DataProblemKind.Encoding, raw.File, line, written + 1, null,
                    "bytes that are not UTF-8 (is the file in Latin-1 or Windows-1252? save it as UTF-8)"));
            }
            if (end < 0) break;
            bytes = bytes[(end + 1)..];
            line++;
        }
    }

    static void Records(RawData raw, string s)
    {
        int i = 0, col = 1;
        long line = 1;
        var fields = new List<object?>();
        var starts = new List<int>();
        var field = new StringBuilder();
        bool header = true;
        while (i < s.Length && !raw.Problems.Full)
        {
            if (s[i] is '\r' or '\n') { NewLine(); continue; }   // blank line
            long recordLine = line;
            fields.Clear();
            starts.Clear();
            while (true)
            {
                field.Clear();
                starts.Add(col);
                if (i < s.Length && s[i] == '"')
                {
                    long openLine = line;
                    int openCol = col;
                    i++; col++;
                    bool closed = false;
                    while (i < s.Length)
                    {
                        char c = s[i];
                        if (c == '"')
                        {
                            if (i + 1 < s.Length && s[i + 1] == '"') { field.Append('"'); i += 2; col += 2; continue; }
                            i++; col++;
                            closed = true;
                            break;
                        }
                        if (c == '\n') { field.Append(c); i++; line++; col = 1; continue; }
                        field.Append(c); i++; col++;
                    }
                    if (!closed)
                    {
                        raw.Problems.Add(new DataProblem(DataProblemKind.Malformed, raw.File, openLine, openCol, null, "a quoted field is never closed (missing '\"')"));
                        return;
                    }
                    if (i < s.Length && s[i] is not (',' or '\r' or '\n'))
                    {
                        raw.Problems.Add(new DataProblem(DataProblemKind.Malformed, raw.File, line, col, null,
                            $"unexpected '{s[i]}' after a closing quote in field {fields.Count + 1}"));
                        while (i < s.Length && s[i] is not (',' or '\r' or '\n')) { i++; col++; }
                    }
                }
                else
                {
                    while (i < s.Length && s[i] is not (',' or '\r' or '\n'))
                    {
                        if (s[i] == '"')
                            raw.Problems.Add(new DataProblem(DataProblemKind.Malformed, raw.File, line, col, null,
                                $"a quote inside the unquoted field {fields.Count + 1}; quote the whole field and double inner quotes"));
                        field.Append(s[i]); i++; col++;
                    }
                }
                fields.Add(field.ToString());
                if (i < s.Length && s[i] == ',') { i++; col++; continue; }
                if (i < s.Length) NewLine();
                break;
            }
            if (header)
            {
                header = false;
                raw.HeaderLine = recordLine;
                for (int k = 0; k < fields.Count; k++)
                {
                    raw.Header.Add(((string)fields[k]!).Trim());
                    raw.HeaderColumns.Add(starts[k]);
                }
                continue;
            }
            var row = new RawRow(recordLine, fields.ToArray(), starts.ToArray());
            if (fields.Count != raw.Header.Count)
            {
                raw.Problems.Add(new DataProblem(DataProblemKind.Malformed, raw.File, recordLine, 1, null,
                    $"{fields.Count} fields, but the header has {raw.Header.Count} columns"));
                continue;
            }
            raw.Rows.Add(row);
        }

        void NewLine()
        {
            if (s[i] == '\r' && i + 1 < s.Length && s[i + 1] == '\n') i++;
            i++;
            line++;
            col = 1;
        }
    }
}
