using Smpc.Analytics.Columnar;
using Smpc.Analytics.Study;

namespace Smpc.Analytics.Linkage;

/// <summary>One table of a join, its duplicate policy and (when known) the data-use terms that govern it.</summary>
public sealed record JoinInput(SecretTable Table, DuplicatePolicy Duplicates = DuplicatePolicy.Reject, DataUseTerms? Terms = null);
