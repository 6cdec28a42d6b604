using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Queries;

// Missing values in a table query (a left join's other tables, nullable columns): the statistics, the cell-size rule and
// the p% rule use the complete cases — rows holding every measured value (CellAggregator.RowMask) — and the release also
// shows each cell's row count under the missing-value rule (Disclosure/PresenceRule.cs).
public sealed partial record Query
{
    /// <summary>Each cell's row count (filter only, with or without the values) when a measured column or the weight has a
    /// presence vector; null when every row holds every value, and under differential privacy (the noisy count stands alone).</summary>
    SecretVector? PresenceRows(IReadOnlyList<Dimension> dims, CellAggregator.Request request)
    {
        if (Epsilon is not null) return null;
        if (!request.SumColumns.Concat(request.SquareColumns).Append(request.Weight).OfType<string>().Any(c => Table[c].Present is not null)) return null;
        return CellAggregator.Compute(Table, dims, new CellAggregator.Request([], [], null, Filter, request.GroupSizes)).Count;
    }

    /// <summary>The columns whose presence defines the rows of <paramref name="totals"/> (every aggregated column).</summary>
    static IReadOnlyList<string> CompleteCaseColumns(CellTotals totals) => totals.Columns.Keys.ToArray();
}
