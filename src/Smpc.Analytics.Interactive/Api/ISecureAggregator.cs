using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Interactive.Api;

/// <summary>
/// The seam between the notebook layer and the statistics layer: computes one aggregate over a secret
/// table, applies disclosure control inside the computation and reveals only the cells that pass.
/// Implementations call the engine; the notebook layer only formats what comes back.
/// </summary>
public interface ISecureAggregator
{
    /// <summary>Statistics this implementation can compute.</summary>
    IReadOnlySet<Statistic> Supports { get; }

    /// <summary>Computes and releases. Throws <see cref="QueryException"/> naming the problem for bad input,
    /// before anything is revealed.</summary>
    ReleaseTable Aggregate(SecretTable table, AggregateRequest request, DisclosureRules rules);
}
