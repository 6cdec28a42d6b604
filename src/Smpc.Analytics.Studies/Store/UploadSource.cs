// What a contributor uploads, batch by batch: the file validated in full first, then read again batch by batch,
// each batch with its identifiers replaced by pseudonym columns (DatasetUpload.Prepare). Validation learns the shared
// schema with a pseudonymiser of the upload's scheme that computes nothing (SchemeOnly), so a file is checked in full
// before any party is contacted — the OPRF needs the parties — and the batches are pseudonymised as they are sent.
// A CSV file is read in chunks (CsvChunks) both times, so memory is bounded by the batch, not the file; Arrow IPC
// and Parquet files are read whole by DatasetReader (their readers are not chunked yet) and then sliced.
// Leakage: none (local to the contributor).
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Linkage;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies.Store;

/// <summary>A validated dataset file as batches of shareable rows (analysis and pseudonym columns).</summary>
internal sealed class UploadSource
{
    readonly string _file;
    readonly TableSchema _schema;
    readonly DataUseTerms _terms;
    readonly IPseudonymiser _pseudonymiser;
    readonly int _batch;
    readonly DatasetContents? _whole;

    UploadSource(string file, TableSchema schema, DataUseTerms terms, IPseudonymiser pseudonymiser, int batch, long rows, TableSchema shared, DatasetContents? whole)
    {
        (_file, _schema, _terms, _pseudonymiser, _batch, _whole) = (file, schema, terms, pseudonymiser, batch, whole);
        Rows = rows;
        SharedSchema = shared;
    }

    public long Rows { get; }

    /// <summary>The schema of what the parties store: analysis columns, then one pseudonym column per linkage key.</summary>
    public TableSchema SharedSchema { get; }

    static bool IsCsv(string file) => DatasetReader.Format(file) == DatasetReader.DataFormat.Csv;

    /// <summary>Validates the whole file (throws <see cref="DataValidationException"/> listing every problem with file,
    /// line and column) and learns its row count and shared schema.</summary>
    public static UploadSource Open(string file, TableSchema schema, DataUseTerms terms, byte[] key, int batch, Action<string> progress) =>
        Open(file, schema, terms, new KeyedHashPseudonymiser(key), batch, progress);

    /// <summary>As above, with the pseudonymiser <see cref="Batches()"/> uses (its scheme names the pseudonym columns;
    /// validation computes no pseudonym).</summary>
    public static UploadSource Open(string file, TableSchema schema, DataUseTerms terms, IPseudonymiser pseudonymiser, int batch, Action<string> progress)
    {
        schema.Validate();
        if (!File.Exists(file)) throw new QueryException($"The dataset '{file}' does not exist.");
        var shape = new SchemeOnlyPseudonymiser(pseudonymiser.Scheme);
        if (!IsCsv(file))
        {
            var whole = DatasetReader.Read(file, schema);
            var prepared = DatasetUpload.Prepare(whole, terms, shape, progress);
            return new UploadSource(file, schema, terms, pseudonymiser, batch, prepared.Data.RowCount, prepared.Schema, whole);
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
            shared ??= DatasetUpload.Prepare(contents, terms, shape, progress).Schema;
        }
        if (problems.Count > 0)
            throw new DataValidationException(Path.GetFileName(file), [.. problems.Take(DatasetReader.DefaultMaxProblems)], full);
        return new UploadSource(file, schema, terms, pseudonymiser, batch, rows, shared!, null);
    }

    /// <summary>A dataset already read and checked (a contributor in the analyst's own process: a file read by
    /// DatasetReader, a DataFrame), shared batch by batch like a file.</summary>
    public static UploadSource Of(DatasetContents whole, DataUseTerms terms, IPseudonymiser pseudonymiser, int batch, Action<string> progress)
    {
        var shape = DatasetUpload.Prepare(whole, terms, new SchemeOnlyPseudonymiser(pseudonymiser.Scheme), progress);
        return new UploadSource(whole.Source, whole.Schema, terms, pseudonymiser, batch, shape.Data.RowCount, shape.Schema, whole);
    }

    /// <summary>The rows again, batch by batch, ready for <see cref="ContributorEncoder.Encode"/>.</summary>
    public IEnumerable<PlainTable> Batches() => Batches(_pseudonymiser);

    /// <summary>The batches with their identifiers pseudonymised by <paramref name="pseudonymiser"/> (for the OPRF: the
    /// parties' service, reachable once the upload is under way).</summary>
    public IEnumerable<PlainTable> Batches(IPseudonymiser pseudonymiser)
    {
        if (pseudonymiser is SchemeOnlyPseudonymiser) throw new ArgumentException("The batches need a pseudonymiser that computes pseudonyms.", nameof(pseudonymiser));
        if (pseudonymiser.Scheme != _pseudonymiser.Scheme)
            throw new ArgumentException($"The batches were validated for pseudonym scheme {_pseudonymiser.Scheme}, not {pseudonymiser.Scheme}.", nameof(pseudonymiser));
        if (_whole is not null)
        {
            for (int offset = 0; offset < Rows; offset += _batch)
            {
                int n = (int)Math.Min(_batch, Rows - offset);
                var slice = _whole with { Analysis = Slice(_whole.Analysis, offset, n), Identifiers = Slice(_whole.Identifiers, offset, n) };
                yield return DatasetUpload.Prepare(slice, _terms, pseudonymiser, _ => { }).Data;
            }
            yield break;
        }
        foreach (var chunk in CsvChunks.Read(_file, _batch, DatasetReader.DefaultMaxProblems))
        {
            var (contents, problems, _) = DatasetReader.Read(chunk.Raw, _schema);
            if (contents is null || problems.Count > 0)
                throw new SmpcException($"'{Path.GetFileName(_file)}' changed while it was being uploaded (it validated, and now has problems); contribute it again.");
            var prepared = DatasetUpload.Prepare(contents, _terms, pseudonymiser, _ => { });
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

/// <summary>Names pseudonym columns by a scheme and computes nothing: validation learns the shared schema with it,
/// before any party (the OPRF's evaluators) is contacted. Its columns are never sent.</summary>
internal sealed class SchemeOnlyPseudonymiser(string scheme) : IPseudonymiser
{
    public string Scheme => scheme;
    public ulong[] Pseudonymise(IReadOnlyList<string?> keys) => new ulong[keys.Count];
}
