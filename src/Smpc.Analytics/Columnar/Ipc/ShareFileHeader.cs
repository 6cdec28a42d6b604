using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ArrowSchema = Apache.Arrow.Schema;

namespace Smpc.Analytics.Columnar.Ipc;

/// <summary>
/// The public facts at the head of a party's share file: study, dataset, party id, the upload the shares
/// belong to (a random id common to the three parties' files of one sharing), the table schema and which
/// nullable columns carry a presence vector. Nothing here depends on the data's values.
/// </summary>
public sealed record ShareFileHeader
{
    public required string Study { get; init; }
    public required string Dataset { get; init; }
    public required int PartyId { get; init; }
    public required string UploadId { get; init; }
    public required TableSchema Schema { get; init; }
    public IReadOnlyList<string> PresenceColumns { get; init; } = [];

    /// <summary>Categorical columns stored compactly as codes (<see cref="CategoryCode"/>) rather than one-hot.</summary>
    public IReadOnlyList<string> CodedColumns { get; init; } = [];

    /// <summary>A fresh random upload id (128 bits, hex).</summary>
    public static string NewUploadId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The same header for another party.</summary>
    public ShareFileHeader ForParty(int partyId) => (uint)partyId <= 2 ? this with { PartyId = partyId } : throw Errors.PartyId(partyId);

    internal IEnumerable<KeyValuePair<string, string>> Metadata() =>
    [
        new(ShareFormat.Format, ShareFormat.FormatValue),
        new(ShareFormat.Study, Study),
        new(ShareFormat.Dataset, Dataset),
        new(ShareFormat.Party, PartyId.ToString(CultureInfo.InvariantCulture)),
        new(ShareFormat.Upload, UploadId),
        new(ShareFormat.Ring, ShareFormat.RingValue),
        new(ShareFormat.Schema, JsonSerializer.Serialize(Schema, TableSchema.JsonInfo)),
    ];

    internal ArrowSchema ArrowSchema() => ShareLayout.BuildArrowSchema(Schema, PartyId, PresenceColumns, CodedColumns, Metadata(), rowCheck: true);

    /// <summary>Reads the header from a file's Arrow schema and checks it against what the caller expects.</summary>
    internal static (ShareFileHeader Header, ShareLayout Layout) Read(ArrowSchema arrow, ShareFileExpectation expected, string source)
    {
        var schema = ShareLayout.ReadTableSchema(arrow, source);
        int party = ShareLayout.ReadParty(arrow, expected.PartyId, source);
        string Get(string key) => arrow.Metadata.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v) ? v
            : throw new ShareFileException(ShareFileProblem.Corrupt, $"{source} lacks the '{key}' metadata.");
        string study = Get(ShareFormat.Study), dataset = Get(ShareFormat.Dataset), upload = Get(ShareFormat.Upload);
        if (expected.Study is { } s && s != study)
            throw new ShareFileException(ShareFileProblem.WrongDataset, $"{source} belongs to study '{study}', not '{s}'.");
        if (expected.Dataset is { } d && d != dataset)
            throw new ShareFileException(ShareFileProblem.WrongDataset, $"{source} holds dataset '{dataset}', not '{d}'.");
        if (expected.UploadId is { } u && u != upload)
            throw new ShareFileException(ShareFileProblem.Inconsistent, $"{source} is from upload {upload}, not {u}: the files come from different sharings of the data.");
        if (expected.Schema is { } e) SharedTable.CheckSchema(e, schema, source);
        var layout = ShareLayout.Parse(arrow, schema, party, requireRowCheck: true, source);
        return (new ShareFileHeader { Study = study, Dataset = dataset, PartyId = party, UploadId = upload, Schema = schema, PresenceColumns = layout.PresenceColumns, CodedColumns = layout.CodedColumns }, layout);
    }
}

/// <summary>What a reader expects of a share file; unset properties are not checked (the party id always is).</summary>
public sealed record ShareFileExpectation
{
    public required int PartyId { get; init; }
    public TableSchema? Schema { get; init; }
    public string? Study { get; init; }
    public string? Dataset { get; init; }
    public string? UploadId { get; init; }
}
