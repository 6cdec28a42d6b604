using Smpc.Analytics.Statistics;
using Microsoft.Data.Analysis;
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Studies;

/// <summary>A contributor's dataset read and checked against its schema: analysis columns typed for the encoder,
/// identifier columns as text, both held by the contributor only.</summary>
public sealed record DatasetContents(TableSchema Schema, PlainTable Analysis, PlainTable Identifiers, string Source)
{
    public int RowCount => Analysis.ColumnNames.Count > 0 ? Analysis.RowCount : Identifiers.RowCount;
}

/// <summary>
/// Reads a contributor's own dataset — CSV with a header row, Arrow IPC (<c>.arrow</c>, <c>.arrows</c>, <c>.feather</c>,
/// <c>.ipc</c>), Parquet (<c>.parquet</c>) or a <see cref="DataFrame"/> — against its schema, and names every problem
/// with file, line and column (1-based, as an editor shows them): the file's encoding, an empty file, malformed
/// quoting, duplicate, missing and undeclared columns, missing, non-numeric and out-of-range values, unknown
/// categories. It collects problems up to a cap rather than stopping at the first, and returns data only when there
/// are none, so nothing is shared from a file with a problem.
/// </summary>
public static class DatasetReader
{
    /// <summary>Problems listed before a reader stops looking (the exception says when there were more).</summary>
    public const int DefaultMaxProblems = 100;

    /// <summary>Every problem of <paramref name="path"/> against <paramref name="schema"/> (empty when the file is valid).</summary>
    public static IReadOnlyList<DataProblem> Validate(string path, TableSchema schema, int maxProblems = DefaultMaxProblems) =>
        Apply(Load(path, maxProblems), schema).Problems.Items;

    /// <summary>The dataset, or <see cref="DataValidationException"/> listing every problem.</summary>
    public static DatasetContents Read(string path, TableSchema schema, int maxProblems = DefaultMaxProblems)
    {
        var (contents, problems) = Apply(Load(path, maxProblems), schema);
        return problems.Count == 0 ? contents! : throw new DataValidationException(Path.GetFileName(path), problems.Items, problems.Full);
    }

    /// <summary>A DataFrame's rows against <paramref name="schema"/>; problems name the row and field (from 1).</summary>
    public static DatasetContents Read(DataFrame frame, TableSchema schema, string? name = null, int maxProblems = DefaultMaxProblems)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var (contents, problems) = Apply(TypedSources.Frame(frame, name ?? $"DataFrame '{schema.Name}'", maxProblems), schema);
        return problems.Count == 0 ? contents! : throw new DataValidationException(name ?? $"DataFrame '{schema.Name}'", problems.Items, problems.Full);
    }

    /// <summary>Already-read cells against <paramref name="schema"/>: the contents, or the problems (for readers that
    /// take a file in chunks, e.g. a contributor's upload).</summary>
    internal static (DatasetContents? Contents, IReadOnlyList<DataProblem> Problems, bool Full) Read(RawData raw, TableSchema schema)
    {
        var (contents, problems) = Apply(raw, schema);
        return (problems.Count == 0 ? contents : null, problems.Items, problems.Full);
    }

    /// <summary>The file's cells by its extension.</summary>
    internal static RawData Load(string path, int maxProblems)
    {
        if (!File.Exists(path)) throw new QueryException($"The dataset '{path}' does not exist.");
        return Format(path) switch
        {
            DataFormat.Csv => CsvText.Read(path, maxProblems),
            DataFormat.Arrow => TypedSources.Arrow(path, maxProblems),
            _ => TypedSources.Parquet(path, maxProblems),
        };
    }

    internal enum DataFormat { Csv, Arrow, Parquet }

    /// <summary>The extensions read as datasets.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".csv", ".arrow", ".arrows", ".feather", ".ipc", ".parquet"];

    internal static DataFormat Format(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" or ".txt" => DataFormat.Csv,
        ".arrow" or ".arrows" or ".feather" or ".ipc" => DataFormat.Arrow,
        ".parquet" or ".pq" => DataFormat.Parquet,
        var ext => throw new QueryException($"'{path}': unknown dataset format '{ext}'; use CSV (.csv), Arrow IPC (.arrow, .arrows, .feather, .ipc) or Parquet (.parquet)."),
    };

    static (DatasetContents? Contents, ProblemList Problems) Apply(RawData raw, TableSchema schema)
    {
        schema.Validate();
        var problems = raw.Problems;
        if (raw.Header.Count == 0)
        {
            if (problems.Count == 0)
                problems.Add(new DataProblem(DataProblemKind.EmptyFile, raw.File, 1, 1, null, "the file has no columns") { IsTextLine = raw.IsText });
            return (null, problems);
        }

        // The header: each declared column once, nothing undeclared.
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        var declared = schema.Columns.Select(c => c.Name).Concat(schema.Identifiers.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        for (int k = 0; k < raw.Header.Count; k++)
        {
            var name = raw.Header[k];
            if (name.Length == 0) problems.Add(raw.AtHeader(DataProblemKind.Malformed, k, null, $"field {k + 1} of the header has no column name"));
            else if (!position.TryAdd(name, k))
                problems.Add(raw.AtHeader(DataProblemKind.DuplicateHeader, k, name, $"the header names this column twice (first in field {position[name] + 1})"));
            else if (!declared.Contains(name))
                problems.Add(raw.AtHeader(DataProblemKind.UndeclaredColumn, k, name, $"the schema '{schema.Name}' does not declare this column; declare it, or remove it from the file"));
        }
        foreach (var name in declared.Where(n => !position.ContainsKey(n)))
            problems.Add(raw.AtHeader(DataProblemKind.MissingColumn, raw.Header.Count, name,
                $"the schema '{schema.Name}' declares this column, but the header lacks it (header: {string.Join(", ", raw.Header)})"));

        // The values: every declared column present in the file, row by row.
        var readers = schema.Columns.Select(CellReader.For).Concat(schema.Identifiers.Select(CellReader.For))
            .Where(r => position.ContainsKey(r.Column)).Select(r => (Reader: r, Field: position[r.Column])).ToArray();
        foreach (var row in raw.Rows)
        {
            if (problems.Full) break;
            foreach (var (reader, field) in readers)
                reader.Add(row.Cells[field], (kind, message) => problems.Add(raw.At(kind, row, field, reader.Column, message)));
        }
        if (raw.Rows.Count == 0 && problems.Count == 0)
            problems.Add(new DataProblem(DataProblemKind.EmptyFile, raw.File, raw.HeaderLine + (raw.IsText ? 1 : 0), 1, null, "the file has a header but no data rows") { IsTextLine = raw.IsText });
        if (problems.Count > 0) return (null, problems);

        var analysis = new PlainTable(schema.Name);
        var identifiers = new PlainTable(schema.Name + " identifiers");
        foreach (var (reader, _) in readers)
            (schema.Has(reader.Column) ? analysis : identifiers).Add(reader.Column, reader.ToArray());
        return (new DatasetContents(schema, analysis, identifiers, raw.File), problems);
    }
}
