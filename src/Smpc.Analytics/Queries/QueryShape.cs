using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Queries;

/// <summary>What a query will do, in the terms an admission check needs: operations, columns read, options. A
/// <see cref="Query"/> hands it to its <see cref="IQueryGate"/> before anything is computed.</summary>
public sealed record QueryShape
{
    public required IReadOnlyList<string> Operations { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    public GroupSizeDisclosure GroupSizes { get; init; } = GroupSizeDisclosure.Hidden;
    public double? Epsilon { get; init; }

    /// <summary>Whether the query releases a sum and a mean of the same cells (which together reveal the exact count).</summary>
    public bool SumAndMeanTogether { get; init; }

    public override string ToString() => $"{string.Join(", ", Operations)} on {string.Join(", ", Columns.DefaultIfEmpty("(no column)"))}";
}

/// <summary>
/// Admits a query before it computes anything: throws (a <see cref="PolicyException"/> naming the rule) to refuse it, or
/// returns an admission (null: nothing to settle) that the query commits once it has released and cancels if it failed
/// before revealing anything to the analyst (a differential-privacy budget reservation, for one). The data-use terms'
/// gate lives above the engine (Smpc.Governance.DataUse.TermsGate); the engine knows only this shape.
/// </summary>
public interface IQueryGate
{
    IQueryAdmission? Admit(QueryShape shape);
}

/// <summary>One admitted query's hold (e.g. ε reserved), settled once.</summary>
public interface IQueryAdmission
{
    void Commit();
    void Cancel();
}
