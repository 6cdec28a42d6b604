using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Study;

/// <summary>What a query will do, in the terms the policy check needs: operations, columns read, options.</summary>
public sealed record QueryRequest
{
    public required IReadOnlyList<string> Operations { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    public GroupSizeDisclosure GroupSizes { get; init; } = GroupSizeDisclosure.Hidden;
    public double? Epsilon { get; init; }

    /// <summary>Whether the query releases a sum and a mean of the same cells (which together reveal the exact count).</summary>
    public bool SumAndMeanTogether { get; init; }

    /// <summary>Account running the query (checked against AllowedAnalysts when given).</summary>
    public string? Analyst { get; init; }

    public override string ToString() => $"{string.Join(", ", Operations)} on {string.Join(", ", Columns.DefaultIfEmpty("(no column)"))}";
}
