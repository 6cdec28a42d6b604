using System.Globalization;

namespace Smpc.Analytics.Studies;

/// <summary>What is wrong with a contributor's file, one kind per rule a steward can fix.</summary>
public enum DataProblemKind
{
    /// <summary>The file has no header row, or no bytes at all.</summary>
    EmptyFile,
    /// <summary>The bytes are not UTF-8: a UTF-16/UTF-32 byte-order mark, or an invalid UTF-8 sequence.</summary>
    Encoding,
    /// <summary>A quoted field never closed, a stray quote, or a record with the wrong number of fields.</summary>
    Malformed,
    /// <summary>A column name appears twice in the header.</summary>
    DuplicateHeader,
    /// <summary>The schema declares a column the file does not have.</summary>
    MissingColumn,
    /// <summary>The file has a column the schema does not declare.</summary>
    UndeclaredColumn,
    /// <summary>A value is empty where the schema does not declare the column nullable.</summary>
    MissingValue,
    /// <summary>A number (or true/false) was expected and the text is not one.</summary>
    NotNumeric,
    /// <summary>A number outside the declared [min, max], or an integer column holding a fraction.</summary>
    OutOfRange,
    /// <summary>A categorical value outside the declared domain.</summary>
    UnknownCategory,
}

/// <summary>
/// One problem of a contributor's file, located as an editor shows it: <see cref="Line"/> and <see cref="Column"/>
/// count from 1 (for CSV the physical line and the character where the field starts; for Arrow, Parquet and
/// DataFrames, which have no lines, the data row and the field's position). <see cref="ColumnName"/> is the schema's
/// name for the column when there is one.
/// </summary>
public sealed record DataProblem(DataProblemKind Kind, string File, long Line, int Column, string? ColumnName, string Message)
{
    /// <summary>True when <see cref="Line"/> is a physical line of a text file; false when it is a data row.</summary>
    public bool IsTextLine { get; init; } = true;

    /// <summary><c>file:line:column: column 'name': message</c> for text files (what compilers print and editors
    /// jump to); <c>file: row N, field K: …</c> otherwise.</summary>
    public override string ToString()
    {
        string where = IsTextLine
            ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}")
            : string.Create(CultureInfo.InvariantCulture, $"{File}: row {Line}, field {Column}");
        return ColumnName is null ? $"{where}: {Message}" : $"{where}: column '{ColumnName}': {Message}";
    }
}

/// <summary>
/// A contributor's file does not match its schema. <see cref="Problems"/> lists every problem found, in file order,
/// up to the reader's cap; nothing of the file was shared.
/// </summary>
public sealed class DataValidationException : SmpcException
{
    public DataValidationException(string file, IReadOnlyList<DataProblem> problems, bool truncated)
        : base(Describe(file, problems, truncated))
    {
        File = file;
        Problems = problems;
        Truncated = truncated;
    }

    public string File { get; }
    public IReadOnlyList<DataProblem> Problems { get; }

    /// <summary>Whether more problems were found than <see cref="Problems"/> holds (the reader stopped at its cap).</summary>
    public bool Truncated { get; }

    static string Describe(string file, IReadOnlyList<DataProblem> problems, bool truncated) =>
        $"'{file}' does not match its schema: {problems.Count}{(truncated ? "+" : "")} problem{(problems.Count == 1 ? "" : "s")}" +
        $"{(truncated ? " (the first are listed)" : "")}; nothing was shared.{Environment.NewLine}" +
        string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}
