using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Disclosure;

/// <summary>
/// The rows one released cell covers, in public terms: the query's filter and the cell's own conditions (group value,
/// histogram bin) as one <see cref="RowFilter"/>, and the columns whose values its statistics need (rows without a value
/// in them do not count). The study-wide disclosure model (<see cref="DisclosureLedger"/>) reasons on these, never on rows.
/// </summary>
public sealed record RowSet(RowFilter? Filter, IReadOnlyList<string> Present)
{
    /// <summary>Every column the row set reads.</summary>
    public IEnumerable<string> Columns() => (Filter?.Columns() ?? []).Concat(Present).Distinct();

    public override string ToString() =>
        (Filter is null ? "all rows" : Filter.ToString()) + (Present.Count == 0 ? "" : $" with {string.Join(", ", Present)} present");
}
