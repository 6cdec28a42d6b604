namespace Smpc.Analytics.Columnar.Ipc;

/// <summary>What is wrong with a per-party share file (or a record batch of shares).</summary>
public enum ShareFileProblem
{
    /// <summary>The file is not an Arrow IPC file, or its structure or contents are damaged.</summary>
    Corrupt,
    /// <summary>The file ends early (no Arrow footer).</summary>
    Truncated,
    /// <summary>The file holds another party's shares than the one expected.</summary>
    WrongParty,
    /// <summary>The study or dataset named in the file is not the one expected.</summary>
    WrongDataset,
    /// <summary>The schema in the file differs from the expected schema, or fields are missing or mistyped.</summary>
    SchemaMismatch,
    /// <summary>A field names a column that the schema does not declare, or is not a share field at all.</summary>
    UnknownColumn,
    /// <summary>Columns (share components) of different lengths.</summary>
    LengthMismatch,
    /// <summary>The three parties' files do not belong to one sharing (different uploads, or components disagree).</summary>
    Inconsistent,
    /// <summary>The destination already exists, or the files cannot be written or moved into place.</summary>
    Io,
}

/// <summary>A share file or batch was refused; the message names the file, the party and the rule.</summary>
public sealed class ShareFileException : SmpcException
{
    public ShareFileException(ShareFileProblem problem, string message) : base(message) => Problem = problem;
    public ShareFileException(ShareFileProblem problem, string message, Exception inner) : base(message, inner) => Problem = problem;

    public ShareFileProblem Problem { get; }
}
