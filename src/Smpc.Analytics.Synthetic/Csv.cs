using System.Text;

namespace Smpc.Analytics.Synthetic;

/// <summary>
/// RFC 4180 CSV as the generator writes it: UTF-8 without a byte-order mark, "\n" line ends, a header row,
/// fields quoted only when they hold a comma, a quote, a line break or a leading or trailing space.
/// </summary>
public sealed class CsvWriter : IDisposable
{
    readonly StreamWriter _out;
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public CsvWriter(string path)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        _out = new StreamWriter(stream, Utf8, 1 << 16) { NewLine = "\n" };
    }

    public long Rows { get; private set; }

    public void Write(IReadOnlyList<string?> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0) _out.Write(',');
            string f = fields[i] ?? "";
            if (f.Length > 0 && (f.AsSpan().IndexOfAny(",\"\r\n") >= 0 || f[0] == ' ' || f[^1] == ' '))
            {
                _out.Write('"');
                _out.Write(f.Replace("\"", "\"\""));
                _out.Write('"');
            }
            else _out.Write(f);
        }
        _out.Write('\n');
        Rows++;
    }

    public void Dispose() => _out.Dispose();
}

/// <summary>Reads the CSV <see cref="CsvWriter"/> writes (and any RFC 4180 file), one record at a time.</summary>
public sealed class CsvReader : IDisposable
{
    readonly TextReader _in;
    readonly StringBuilder _field = new();

    public CsvReader(string path) : this(new StreamReader(path, CsvWriter.Utf8, detectEncodingFromByteOrderMarks: true, 1 << 16)) => Path = path;
    public CsvReader(TextReader reader) => _in = reader;

    public string Path { get; } = "(text)";

    /// <summary>Line number where the last record returned started (1-based).</summary>
    public long Line { get; private set; }
    long _nextLine = 1;

    /// <summary>The next record's fields, or null at the end of the file.</summary>
    public string[]? Read()
    {
        if (_in.Peek() < 0) return null;
        Line = _nextLine;
        var fields = new List<string>();
        _field.Clear();
        bool quoted = false, wasQuoted = false;
        while (true)
        {
            int c = _in.Read();
            if (quoted)
            {
                if (c < 0) throw new FormatException($"{Path} line {Line}: a quoted field is not closed.");
                if (c == '"')
                {
                    if (_in.Peek() == '"') { _in.Read(); _field.Append('"'); }
                    else quoted = false;
                }
                else { if (c == '\n') _nextLine++; _field.Append((char)c); }
                continue;
            }
            if (c == '"' && _field.Length == 0 && !wasQuoted) { quoted = wasQuoted = true; continue; }
            if (c == ',') { fields.Add(_field.ToString()); _field.Clear(); wasQuoted = false; continue; }
            if (c is '\n' or -1 || c == '\r' && _in.Peek() == '\n')
            {
                if (c == '\r') _in.Read();
                _nextLine++;
                fields.Add(_field.ToString());
                return fields.ToArray();
            }
            _field.Append((char)c);
        }
    }

    public void Dispose() => _in.Dispose();
}
