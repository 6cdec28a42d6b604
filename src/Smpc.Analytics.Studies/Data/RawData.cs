namespace Smpc.Analytics.Studies;

/// <summary>
/// A contributor's file as cells, before any schema is applied: the header and, per row, one cell per header field.
/// CSV cells are text ("" is missing) located by physical line and character; Arrow, Parquet and DataFrame cells are
/// typed values (null is missing) located by data row and field. Problems of the file's form (encoding, quoting,
/// field counts, header) are collected in <see cref="Problems"/>. Held by the contributor only.
/// </summary>
internal sealed class RawData
{
    public required string File { get; init; }
    public required bool IsText { get; init; }
    public List<string> Header { get; } = [];

    /// <summary>Character (1-based) where each header field starts (text files); field number otherwise.</summary>
    public List<int> HeaderColumns { get; } = [];

    /// <summary>Line (text) or 1 (typed) of the header.</summary>
    public long HeaderLine { get; set; } = 1;

    public List<RawRow> Rows { get; } = [];
    public ProblemList Problems { get; init; } = new(DatasetReader.DefaultMaxProblems);

    /// <summary>A problem at a cell: (line, character) for text, (row, field) otherwise.</summary>
    public DataProblem At(DataProblemKind kind, RawRow row, int field, string? column, string message) =>
        new(kind, File, row.Line, row.ColumnOf(field), column, message) { IsTextLine = IsText };

    public DataProblem AtHeader(DataProblemKind kind, int field, string? column, string message) =>
        new(kind, File, HeaderLine, field < HeaderColumns.Count ? HeaderColumns[field] : 1, column, message) { IsTextLine = IsText };
}

/// <summary>One record: where it is and its cells (text or typed values).</summary>
internal sealed record RawRow(long Line, object?[] Cells, int[]? Columns)
{
    public int ColumnOf(int field) => Columns is not null && field < Columns.Length ? Columns[field] : field + 1;
}

/// <summary>Problems found so far, up to a cap; past it, <see cref="Full"/> tells readers to stop.</summary>
internal sealed class ProblemList(int cap)
{
    readonly List<DataProblem> _items = [];

    public int Cap { get; } = cap < 1 ? throw new ArgumentOutOfRangeException(nameof(cap), cap, "At least one problem must be reportable.") : cap;
    public bool Full { get; private set; }
    public int Count => _items.Count;
    public IReadOnlyList<DataProblem> Items => _items;

    public void Add(DataProblem problem)
    {
        if (_items.Count < Cap) _items.Add(problem);
        else Full = true;
    }
}
