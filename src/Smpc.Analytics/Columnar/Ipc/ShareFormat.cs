namespace Smpc.Analytics.Columnar.Ipc;

/// <summary>
/// Names of the Arrow metadata keys of the per-party share format (version 1). Schema-level keys describe
/// the table; field-level keys say which column, which part of it and which replicated component a field is.
/// </summary>
/// <remarks>
/// Layout of party i's file: for each schema column in order, for each of its share vectors (the value
/// vector, or one 0/1 vector per categorical domain value; then the presence vector of a nullable column
/// if it has one; or, for a categorical column stored as codes, the one code vector as <c>uint8</c>/<c>uint16</c>/<c>uint32</c>
/// xor shares), two non-nullable <c>uint64</c> fields — replicated components i and i+1 mod 3 — and
/// last a <c>uint64</c> row checksum over all preceding fields (see <see cref="RowChecksum"/>).
/// Field names are for people (<c>age[x0]</c>, <c>state=CA[x1]</c>, <c>income?[x2]</c>); readers rely on metadata.
/// </remarks>
public static class ShareFormat
{
    public const string FormatValue = "smpc-shares/1";

    // schema-level
    public const string Format = "smpc.format";
    public const string Study = "smpc.study";
    public const string Dataset = "smpc.dataset";
    public const string Party = "smpc.party";
    public const string Upload = "smpc.upload";
    public const string Schema = "smpc.schema";
    public const string Ring = "smpc.ring";
    public const string RingValue = "Z_2^64";

    // field-level
    public const string Column = "smpc.column";
    public const string Part = "smpc.part";
    public const string Category = "smpc.category";
    public const string Component = "smpc.component";
    public const string Kind = "smpc.kind";
    public const string Scale = "smpc.scale";
    public const string Domain = "smpc.domain";

    public const string PartValue = "value";
    public const string PartCategory = "category";
    public const string PartPresent = "present";
    /// <summary>A categorical column stored compactly: its xor-shared codes (CategoryCode) in a uint8/16/32 field.</summary>
    public const string PartCode = "code";
    public const string PartRowCheck = "rowcheck";

    /// <summary>Name of the trailing row-checksum field.</summary>
    public const string RowCheckField = "smpc.rowcheck";

    /// <summary>Largest record batch written (rows); keeps every IPC body well below 2 GiB.</summary>
    public const int MaxBatchRows = 1 << 16;
}
