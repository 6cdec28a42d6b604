using Smpc.Analytics.Columnar.Encoding;

namespace Smpc.Analytics.Columnar.Contributor;

/// <summary>
/// A CSV dataset with a header row naming the columns (any order). Values are parsed by the column's
/// kind (<see cref="ColumnEncoder.Text"/>); an empty field is a missing value. Errors name the file, the
/// physical line, the data row (counted from 1) and the column.
/// </summary>
internal sealed class CsvSource : IPlainSource
{
    readonly TextReader _reader;
    readonly CsvRecordReader _csv;
    readonly List<string> _fields = [];
    readonly string[] _header;
    long[] _lines = [];
    long _rowsBefore;   // data rows before the current batch

    public CsvSource(TextReader reader, string name)
    {
        _reader = reader;
        Name = name;
        _csv = new CsvRecordReader(reader, name);
        try
        {
            if (!_csv.Read(_fields)) throw new SchemaException($"'{name}' is empty: a CSV dataset starts with a header row naming its columns.");
            _header = _fields.Select(f => f.Trim()).ToArray();
            if (_header.Any(h => h.Length == 0)) throw new SchemaException($"'{name}' line {_csv.RecordLine}: the header has an empty column name.");
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public string Name { get; }
    public IReadOnlyList<string> ColumnNames => _header;

    public int ReadBatch(IReadOnlyList<ColumnEncoder> encoders, int maxRows)
    {
        if (_lines.Length < maxRows) _lines = new long[maxRows];
        var where = encoders.Select(e => Where(e.Spec.Name)).ToArray();
        int n = 0;
        while (n < maxRows && _csv.Read(_fields))
        {
            _lines[n] = _csv.RecordLine;
            if (_fields.Count != _header.Length)
                throw new SchemaException($"'{Name}' line {_csv.RecordLine} (row {_rowsBefore + n + 1}): {_fields.Count} fields, but the header has {_header.Length} columns.");
            for (int k = 0; k < _fields.Count; k++) encoders[k].Text(n, _fields[k], where[k]);
            n++;
        }
        _rowsBefore += n;
        return n;
    }

    Func<int, string> Where(string column)
    {
        long before = _rowsBefore;
        var lines = _lines;
        return r => $"'{Name}' line {lines[r]} (row {before + r + 1}), column '{column}'";
    }

    public void Dispose() => _reader.Dispose();
}
