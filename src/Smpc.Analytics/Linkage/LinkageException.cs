namespace Smpc.Analytics.Linkage;

/// <summary>A linkage step was given input it cannot use (missing or mistyped join column, empty table,
/// duplicate keys under the Reject policy, linkage the data-use terms forbid, exhausted OPRF allowance).</summary>
public sealed class LinkageException(string message) : SmpcException(message);
