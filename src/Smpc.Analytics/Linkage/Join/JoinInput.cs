using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Linkage;

/// <summary>One table of a join, its duplicate policy and (when known) the linkage rules its data-use terms set.</summary>
public sealed record JoinInput(SecretTable Table, DuplicatePolicy Duplicates = DuplicatePolicy.Reject, LinkageRules? Rules = null);
