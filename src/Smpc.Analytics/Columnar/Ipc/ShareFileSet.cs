// The three per-party share files of a dataset and the embedded default's loader into an engine.
// Security model: in one process (embedded default) the loader reads all three files; in a deployment each
// compute party reads only its own. The cross-file check compares a replicated component that both parties
// of a pair already hold, so it reveals nothing new.
using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Columnar.Ipc;

/// <summary>
/// The three per-party share files of one dataset (party p's file goes to compute party p only).
/// <see cref="Load"/> is the embedded default's loader: it reads the three files, checks that they belong
/// to one sharing, and gives the engine each party's view — in a deployment each party reads only its own
/// file with <see cref="ShareFileReader"/>.
/// </summary>
public sealed record ShareFileSet(string Party0, string Party1, string Party2)
{
    /// <summary>The conventional names <c>{dataset}.p0.arrow</c>, <c>.p1</c>, <c>.p2</c> in a directory.</summary>
    public static ShareFileSet For(string directory, string dataset)
    {
        if (string.IsNullOrWhiteSpace(dataset) || dataset.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || dataset.Contains('/') || dataset.Contains('\\') || dataset is "." or "..")
            throw new ArgumentException($"'{dataset}' cannot name share files: use letters, digits, '-', '_' or '.'.", nameof(dataset));
        return new(Path.Combine(directory, $"{dataset}.p0.arrow"), Path.Combine(directory, $"{dataset}.p1.arrow"), Path.Combine(directory, $"{dataset}.p2.arrow"));
    }

    public string this[int party] => party switch { 0 => Party0, 1 => Party1, 2 => Party2, _ => throw Errors.PartyId(party) };

    public IReadOnlyList<string> Paths => [Party0, Party1, Party2];

    /// <summary>Writes a table held by a <see cref="SecureEngine"/>: each party's views to its own file.</summary>
    public ShareFileHeader Write(SecretTable table, string study, bool overwrite = false)
    {
        var views = Enumerable.Range(0, 3).Select(p => SharedTable.FromSecretTable(table, p)).ToArray();
        var header = new ShareFileHeader
        {
            Study = study, Dataset = table.Name, PartyId = 0, UploadId = ShareFileHeader.NewUploadId(),
            Schema = table.Schema, PresenceColumns = views[0].PresenceColumns,
        };
        using var writer = new ShareFileSetWriter(this, header, overwrite);
        writer.Write(views);
        writer.Commit();
        return header;
    }

    /// <summary>Reads party <paramref name="party"/>'s file (see <see cref="ShareFileReader"/>).</summary>
    public ShareFileContents Read(int party, TableSchema? schema = null, string? study = null, string? dataset = null) =>
        ShareFileReader.Read(this[party], new ShareFileExpectation { PartyId = party, Schema = schema, Study = study, Dataset = dataset });

    /// <summary>
    /// Loads the three files into a table on <paramref name="engine"/>. On a <see cref="SecureEngine"/> each party
    /// adopts its own view; on the plaintext reference the values are reconstructed (it protects nothing anyway).
    /// Checks besides each file's own: one upload id, one schema and row count, and replicated consistency
    /// (party p's second component equals party p+1's first).
    /// </summary>
    public SecretTable Load(IComputeEngine engine, TableSchema? schema = null, string? study = null, string? dataset = null)
    {
        var p0 = Read(0, schema, study, dataset);
        var h = p0.Header;
        var rest = new[] { 1, 2 }.Select(p => ShareFileReader.Read(this[p], new ShareFileExpectation
        {
            PartyId = p, Schema = h.Schema, Study = h.Study, Dataset = h.Dataset, UploadId = h.UploadId,
        })).ToArray();
        var views = new[] { p0.Table, rest[0].Table, rest[1].Table };
        for (int p = 1; p < 3; p++)
        {
            if (views[p].RowCount != views[0].RowCount)
                throw new ShareFileException(ShareFileProblem.Inconsistent, $"Party {p}'s file '{this[p]}' has {views[p].RowCount} rows, party 0's '{Party0}' has {views[0].RowCount}.");
            if (!views[p].PresenceColumns.SequenceEqual(views[0].PresenceColumns) || !views[p].CodedColumns.SequenceEqual(views[0].CodedColumns))
                throw new ShareFileException(ShareFileProblem.Inconsistent, $"Party {p}'s file '{this[p]}' and party 0's have presence vectors or codes for different columns.");
        }
        CheckReplication(views);
        var columns = h.Schema.Columns.Select(spec =>
        {
            if (views[0][spec.Name].Code is not null)
                return CategoryCode.Expand(engine, spec, [.. views.Select(v => v[spec.Name].Code!)]);
            var parts = views.Select(v => v[spec.Name].Vectors().ToArray()).ToArray();
            var handles = Enumerable.Range(0, parts[0].Length).Select(k => Adopt(engine, parts[0][k], parts[1][k], parts[2][k])).ToArray();
            return Column(spec, handles, views[0][spec.Name].Present is not null);
        }).ToArray();
        return new SecretTable(h.Dataset, engine, columns);
    }

    void CheckReplication(SharedTable[] views)
    {
        foreach (var spec in views[0].Schema.Columns)
        {
            var parts = views.Select(v => v[spec.Name].Code is { } code ? [new ArithmeticShare(code.First, code.Second)] : v[spec.Name].Vectors().ToArray()).ToArray();
            for (int k = 0; k < parts[0].Length; k++)
                for (int p = 0; p < 3; p++)
                {
                    int q = (p + 1) % 3;
                    var mine = parts[p][k].Second.AsSpan();
                    var theirs = parts[q][k].First.AsSpan();
                    if (!mine.SequenceEqual(theirs))
                    {
                        int row = 0;
                        while (mine[row] == theirs[row]) row++;
                        throw new ShareFileException(ShareFileProblem.Inconsistent,
                            $"Party {p}'s file '{this[p]}' and party {q}'s file '{this[q]}' disagree on replicated component {q} of column '{spec.Name}' (first at row {row}): they are not one sharing.");
                    }
                }
        }
    }

    static SecretColumn Column(ColumnSpec spec, SecretVector[] vectors, bool hasPresent)
    {
        int body = spec.Kind == ColumnKind.Categorical ? spec.Domain!.Count : 1;
        var present = hasPresent ? vectors[body] : null;
        return spec.Kind == ColumnKind.Categorical
            ? new SecretColumn(spec, null, vectors.Take(body).ToArray(), present)
            : new SecretColumn(spec, vectors[0], null, present);
    }

    static SecretVector Adopt(IComputeEngine engine, ArithmeticShare v0, ArithmeticShare v1, ArithmeticShare v2) => engine switch
    {
        SecureEngine secure => secure.Adopt(v0, v1, v2),
        { IsSecure: false } => engine.Share(ReplicatedSharing.Reconstruct([v0, v1, v2])),
        _ => throw new ShapeException($"The {engine.Name} engine cannot adopt per-party shares."),
    };
}
