using System.Text;

namespace Smpc.Analytics.Columnar.Contributor;

/// <summary>
/// Streaming CSV tokenizer (RFC 4180): comma-separated fields, optional double quotes around a field,
/// <c>""</c> for a quote inside quotes, line breaks inside quotes, CRLF or LF line ends, a UTF-8 BOM.
/// Reads one record at a time, so memory is bounded by the longest record. Reports the physical line
/// where each record starts; malformed quoting is refused with its line.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, string name)
{
    readonly StringBuilder _field = new();
    long _line = 1;   // physical line of the next character

    /// <summary>Line (1-based) on which the last record read starts.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of input. Blank lines are skipped.</summary>
    public bool Read(List<string> fields)
    {
        fields.Clear();
        while (true)
        {
            int c = reader.Peek();
            if (c < 0) return false;
            if (c == '\r' || c == '\n') { ReadLineEnd(); continue; }   // blank line
            break;
        }
        RecordLine = _line;
        while (true)
        {
            _field.Clear();
            int c = reader.Peek();
            if (c == '"')
            {
                reader.Read();
                long opened = _line;
                while (true)
                {
                    int d = reader.Read();
                    if (d < 0) throw new SchemaException($"'{name}' line {opened}: a quoted field is never closed (missing '\"').");
                    if (d == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); _field.Append('"'); continue; }
                        break;
                    }
                    if (d == '\n') _line++;
                    _field.Append((char)d);
                }
                int after = reader.Peek();
                if (after is not (',' or '\r' or '\n' or -1))
                    throw new SchemaException($"'{name}' line {_line}: unexpected '{(char)after}' after a closing quote in field {fields.Count + 1}.");
            }
            else
            {
                while (true)
                {
                    int d = reader.Peek();
                    if (d is ',' or '\r' or '\n' or -1) break;
                    if (d == '"') throw new SchemaException($"'{name}' line {_line}: a quote inside the unquoted field {fields.Count + 1}; quote the whole field and double inner quotes.");
                    _field.Append((char)reader.Read());
                }
            }
            fields.Add(_field.ToString());
            int sep = reader.Peek();
            if (sep == ',') { reader.Read(); continue; }
            if (sep < 0) return true;
            ReadLineEnd();
            return true;
        }
    }

    void ReadLineEnd()
    {
        if (reader.Read() == '\r' && reader.Peek() == '\n') reader.Read();
        _line++;
    }
}
