namespace Smpc.Registry.Data;

// The transparency log's tables. The database refuses UPDATE and DELETE on all four (triggers on SQLite and
// PostgreSQL; on PostgreSQL also the role smpc_log_writer, which holds only SELECT and INSERT): rows are only ever
// appended. The Merkle tree and its proofs: Smpc.Governance.Transparency.

/// <summary>One log entry: its canonical JSON (the Merkle leaf's content) and the leaf hash, with a few columns copied
/// out for querying.</summary>
public sealed class LogEntryRow
{
    public long Position { get; set; }
    public DateTime Time { get; set; }
    public required string Kind { get; set; }
    public string? Study { get; set; }
    public required string Canonical { get; set; }
    public required string LeafHash { get; set; }
}

/// <summary>The signed tree head after an append.</summary>
public sealed class LogHeadRow
{
    public long Size { get; set; }
    public required string Json { get; set; }
}

/// <summary>A witness's cosignature of a head (appended when the witness countersigns).</summary>
public sealed class LogCosignatureRow
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public long Size { get; set; }
    public required string Witness { get; set; }
    public required string KeyId { get; set; }
    public DateTime Time { get; set; }
    public required string Signature { get; set; }
}

/// <summary>A public key of the log (kind "log") or of a witness (kind "witness").</summary>
public sealed class LogKeyRow
{
    public required string KeyId { get; set; }
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public required string PublicKey { get; set; }
    public DateTime Added { get; set; }
}
