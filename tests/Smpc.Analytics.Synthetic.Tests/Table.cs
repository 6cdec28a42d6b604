namespace Smpc.Analytics.Synthetic.Tests;

/// <summary>
/// A CSV file read with a parser written here, independently of the generator's reader (RFC 4180: quoted
/// fields, doubled quotes), into rows addressable by column name.
/// </summary>
internal sealed class Table
{
    public string[] Header { get; }
    public List<string[]> Rows { get; } = [];
    readonly Dictionary<string, int> _index;

    public Table(string path)
    {
        var records = Split(File.ReadAllText(path));
        Header = records[0];
        _index = Header.Select((h, i) => (h, i)).ToDictionary(t => t.h, t => t.i);
        Rows.AddRange(records.Skip(1));
    }

    public string Get(string[] row, string column) => row[_index[column]];

    public IEnumerable<string> Column(string column) => Rows.Select(r => r[_index[column]]);

    static List<string[]> Split(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n') { fields.Add(field.ToString()); field.Clear(); records.Add(fields.ToArray()); fields.Clear(); }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0) { fields.Add(field.ToString()); records.Add(fields.ToArray()); }
        return records;
    }
}
