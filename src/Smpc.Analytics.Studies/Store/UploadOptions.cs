namespace Smpc.Analytics.Studies.Store;

/// <summary>How a contributor uploads.</summary>
public sealed record UploadOptions
{
    /// <summary>Rows per batch sent to each party; 0 (the default) sizes batches so that one party's batch is about
    /// <see cref="TargetBatchBytes"/> (a categorical column costs one vector: its code).</summary>
    public int BatchSize { get; init; }

    /// <summary>Bytes of one party's shares per batch when <see cref="BatchSize"/> is 0 (default 8 MiB).</summary>
    public int TargetBatchBytes { get; init; } = 8 << 20;

    /// <summary>Time to connect to a party and to wait for each of its answers.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Progress lines (e.g. to stderr); null for none.</summary>
    public Action<string>? Progress { get; init; }
}

/// <summary>What an upload achieved: the three parties' receipts.</summary>
public sealed record UploadResult(string Dataset, string UploadId, string FileSha256, long Rows, IReadOnlyList<StoreReceipt> Receipts, bool WasAlreadyCommitted);
