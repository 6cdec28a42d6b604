// Streaming contributor: validate, encode and secret-share a plaintext dataset in batches into three per-party files.
// Reference: DESIGN §7 (data flow); replicated sharing as in Araki et al., CCS 2016, §2 (ReplicatedSharing).
// Security model: runs at the contributor, who holds the plaintext; compute parties receive only their file.
// Leakage: party p's file reveals the schema, the row count and the batch sizes — nothing about values (each
// batch is shared with fresh OS randomness; presence vectors exist for every nullable column regardless of data).
// Cost: O(rows × vectors) local work; memory O(batch size × vectors), independent of the dataset's size.
using Smpc.Analytics.Columnar.Encoding;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Columnar.Contributor;

/// <summary>How a contributor shares a dataset to files.</summary>
public sealed record ContributorOptions
{
    /// <summary>The study the shares belong to (written into every file).</summary>
    public required string Study { get; init; }

    /// <summary>The dataset's name in the files (default: the schema's name).</summary>
    public string? Dataset { get; init; }

    /// <summary>Rows per batch: memory is bounded by this, not by the dataset (default 65,536).</summary>
    public int BatchSize { get; init; } = 1 << 16;

    /// <summary>Replace existing share files (default: refuse).</summary>
    public bool Overwrite { get; init; }
}

/// <summary>What a streaming share produced.</summary>
public sealed record ContributorResult(ShareFileSet Files, ShareFileHeader Header, long Rows, int Batches);

/// <summary>
/// The data steward's streaming path (DESIGN §7): reads a plaintext dataset (CSV with a header row, or Arrow
/// IPC) batch by batch, validates every value against the study schema, encodes it exactly as
/// <see cref="ContributorEncoder"/> does (<see cref="ColumnEncoder"/>), secret-shares each batch with fresh
/// randomness (<see cref="ReplicatedSharing"/>) and appends party p's shares to party p's file. Memory is
/// bounded by the batch size. The three files are written under temporary names and moved into place only
/// after the whole input has validated; on any error nothing is left at the destinations.
/// </summary>
/// <remarks>
/// Every nullable column gets a presence vector whether or not a value is missing, so the files' shape
/// depends only on the schema. Rows in error messages are counted from 1 (the first data row is row 1).
/// Leakage: each party's file reveals the row count and the schema (public), nothing about values.
/// </remarks>
public static class ContributorStream
{
    /// <summary>Shares a CSV file.</summary>
    public static ContributorResult ShareCsv(string path, TableSchema schema, ShareFileSet output, ContributorOptions options) =>
        Share(() => new CsvSource(OpenText(path), Path.GetFileName(path)), schema, output, options);

    /// <summary>Shares CSV text from a reader (named <paramref name="name"/> in errors). The reader is disposed.</summary>
    public static ContributorResult ShareCsv(TextReader reader, string name, TableSchema schema, ShareFileSet output, ContributorOptions options) =>
        Share(() => new CsvSource(reader, name), schema, output, options);

    /// <summary>Shares an Arrow IPC file (file or stream format).</summary>
    public static ContributorResult ShareArrow(string path, TableSchema schema, ShareFileSet output, ContributorOptions options) =>
        Share(() => new ArrowSource(OpenRead(path), Path.GetFileName(path), schema), schema, output, options);

    /// <summary>Shares Arrow IPC data from a stream (named <paramref name="name"/> in errors). The stream is disposed.</summary>
    public static ContributorResult ShareArrow(Stream stream, string name, TableSchema schema, ShareFileSet output, ContributorOptions options) =>
        Share(() => new ArrowSource(stream, name, schema), schema, output, options);

    /// <summary>Shares a file by its extension: <c>.csv</c> as CSV; <c>.arrow</c>, <c>.arrows</c>, <c>.feather</c>, <c>.ipc</c> as Arrow IPC.</summary>
    public static ContributorResult ShareFile(string path, TableSchema schema, ShareFileSet output, ContributorOptions options) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ShareCsv(path, schema, output, options),
            ".arrow" or ".arrows" or ".feather" or ".ipc" => ShareArrow(path, schema, output, options),
            var ext => throw new SchemaException($"'{path}': unknown dataset format '{ext}'; use .csv or an Arrow IPC file (.arrow, .arrows, .feather, .ipc)."),
        };

    static ContributorResult Share(Func<IPlainSource> open, TableSchema schema, ShareFileSet output, ContributorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "The batch size must be at least 1 row.");
        schema.Validate();
        using var source = open();
        var specs = SourceColumns.Match(source.Name, source.ColumnNames, schema);
        var encoders = specs.Select(s => new ColumnEncoder(s)).ToArray();           // in the source's column order
        var bySchema = schema.Columns.Select(c => encoders[Array.FindIndex(specs, s => s.Name == c.Name)]).ToArray();
        var header = new ShareFileHeader
        {
            Study = options.Study,
            Dataset = options.Dataset ?? schema.Name,
            PartyId = 0,
            UploadId = ShareFileHeader.NewUploadId(),
            Schema = schema,
            PresenceColumns = ContributorEncoder.StoredPresence(schema),
            CodedColumns = ContributorEncoder.StoredCodes(schema),
        };
        using var writer = new ShareFileSetWriter(output, header, options.Overwrite);
        int batches = 0;
        while (true)
        {
            foreach (var e in encoders) e.Begin(options.BatchSize);
            int n = source.ReadBatch(encoders, options.BatchSize);
            if (n == 0) break;
            writer.Write(ContributorEncoder.ShareViews(header.Dataset, bySchema.Select(e => e.Finish(n)).ToArray()));
            batches++;
            if (n < options.BatchSize) break;
        }
        writer.Commit();
        return new ContributorResult(output, header, writer.RowsWritten, batches);
    }

    static StreamReader OpenText(string path) => new(OpenRead(path), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);

    static FileStream OpenRead(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SchemaException($"Cannot read the dataset '{path}': {e.Message}");
        }
    }
}
