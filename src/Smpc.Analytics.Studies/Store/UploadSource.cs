// What a contributor uploads, batch by batch: the file validated in full first, then read again batch by batch,
// each batch with its identifiers replaced by pseudonym columns (DatasetUpload.Prepare).
// A CSV file is read in chunks (CsvChunks) both times, so memory is bounded by the batch, not the file; Arrow IPC
// and Parquet files are read whole by DatasetReader (their readers are not chunked yet) and then sliced.
// Leakage: none (local to the contributor).
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Study;

namespace Smpc.Analytics.Studies.Store;

/// <summary>A validated dataset file as batches of shareable rows (analysis and pseudonym columns).</summary>
internal sealed class UploadSource
{
    readonly string _file;
    readonly TableSchema _schema;
    readonly DataUseTerms _terms;
    readonly byte[] _key;
    readonly int _batch;
    readonly PreparedTable? _whole;

    UploadSource(string file, TableSchema schema, DataUseTerms terms, byte[] key, int batch, long rows, TableSchema shared, PreparedTable? whole)
    {
        (_file, _schema, _terms, _key, _batch, _whole) = (file, schema, terms, key, batch, whole);
        Rows = rows;
        SharedSchema = shared;
    }

    public long Rows { get; }

    /// <summary>The schema of what the parties store: analysis columns, then one pseudonym column per linkage key.</summary>
    public TableSchema SharedSchema { get; }

    static bool IsCsv(string file) => DatasetReader.Format(file) == DatasetReader.DataFormat.Csv;

    /// <summary>Validates the whole file (throws <see cref="DataValidationException"/> listing every problem with file,
    /// line and column) and learns its row count and shared schema.</summary>
    public static UploadSource Open(string file, TableSchema schema, DataUseTerms terms, byte[] key, int batch, Action<string> progress)
    {
        schema.Validate();
        if (!File.Exists(file)) throw new QueryException($"The dataset '{file}' does not exist.");
        if (!IsCsv(file))
        {
            var whole = DatasetUpload.Prepare(DatasetReader.Read(file, schema), terms, key, progress);
            return new UploadSource(file, schema, terms, key, batch, whole.Data.RowCount, whole.Schema, whole);
        }
        var problems = new List<DataProblem>();
        bool full = false;
        long rows = 0;
        TableSchema? shared = null;
        foreach (var chunk in CsvChunks.Read(file, batch, DatasetReader.DefaultMaxProblems))
        {
            var (contents, found, chunkFull) = DatasetReader.Read(chunk.Raw, schema);
            problems.AddRange(found.Select(chunk.Locate).OfType<DataProblem>());
            full |= chunkFull;
            if (problems.Count >= DatasetReader.DefaultMaxProblems) { full = true; break; }
            if (contents is null || problems.Count > 0) continue;
            rows += contents.RowCount;
            shared ??= DatasetUpload.Prepare(contents, terms, key, progress).Schema;
        }
        if (problems.Count > 0)
            throw new DataValidationException(Path.GetFileName(file), [.. problems.Take(DatasetReader.DefaultMaxProblems)], full);
        return new UploadSource(file, schema, terms, key, batch, rows, shared!, null);
    }

    /// <summary>The rows again, batch by batch, ready for <see cref="ContributorEncoder.Encode"/>.</summary>
    public IEnumerable<PlainTable> Batches()
    {
        if (_whole is not null)
        {
            for (int offset = 0; offset < Rows; offset += _batch)
                yield return Slice(_whole.Data, offset, (int)Math.Min(_batch, Rows - offset));
            yield break;
        }
        foreach (var chunk in CsvChunks.Read(_file, _batch, DatasetReader.DefaultMaxProblems))
        {
            var (contents, problems, _) = DatasetReader.Read(chunk.Raw, _schema);
            if (contents is null || problems.Count > 0)
                throw new SmpcException($"'{Path.GetFileName(_file)}' changed while it was being uploaded (it validated, and now has problems); contribute it again.");
            var prepared = DatasetUpload.Prepare(contents, _terms, _key, _ => { });
            if (!prepared.Schema.Columns.Select(c => c.Name).SequenceEqual(SharedSchema.Columns.Select(c => c.Name)))
                throw new SmpcException($"'{Path.GetFileName(_file)}': a batch prepared other linkage keys than the first; contribute it again.");
            yield return prepared.Data;
        }
    }

    static PlainTable Slice(PlainTable table, int offset, int n)
    {
        var slice = new PlainTable(table.Name);
        foreach (var c in table.ColumnNames)
        {
            var source = table[c];
            var part = Array.CreateInstance(source.GetType().GetElementType()!, n);
            Array.Copy(source, offset, part, 0, n);
            slice.Add(c, part);
        }
        return slice;
    }
}
