using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

/// <summary>
/// Secret per-cell totals of a table query (interior cells and margins, in <see cref="CellLayout"/> order):
/// the unweighted count, the weight total, and per numeric column the sum and sum of squares of the values
/// centred at a public point. Nothing here has been revealed. Totals of row batches add up
/// (<see cref="Add"/>), so a table larger than memory is aggregated batch by batch.
/// </summary>
public sealed class CellTotals
{
    public CellTotals(CellLayout layout, long rows, SecretVector count, SecretVector? weightTotal, int weightScale,
                      IReadOnlyDictionary<string, ColumnTotals> columns, ColumnSpec? weight)
    {
        Layout = layout;
        Rows = rows;
        Count = count;
        WeightTotal = weightTotal;
        WeightScale = weightScale;
        Columns = columns;
        Weight = weight;
    }

    public CellLayout Layout { get; }

    /// <summary>Rows the totals were computed over (public: the table length).</summary>
    public long Rows { get; }

    /// <summary>Unweighted number of contributing rows per cell (integer) — the basis of the cell-size rule.</summary>
    public SecretVector Count { get; }

    /// <summary>Σ weight per cell at scale 2^<see cref="WeightScale"/> (null when unweighted).</summary>
    public SecretVector? WeightTotal { get; }

    public int WeightScale { get; }

    /// <summary>The weight column, when weighted.</summary>
    public ColumnSpec? Weight { get; }

    public IReadOnlyDictionary<string, ColumnTotals> Columns { get; }

    public ColumnTotals Column(string name) => Columns.TryGetValue(name, out var c) ? c
        : throw new QueryException($"Column '{name}' was not aggregated in this query.");

    /// <summary>Element-wise sum of two batches' totals (same layout, columns and weighting).</summary>
    public CellTotals Add(CellTotals other)
    {
        if (other.Layout.Count != Layout.Count || !other.Columns.Keys.Order().SequenceEqual(Columns.Keys.Order()) || (other.WeightTotal is null) != (WeightTotal is null))
            throw new ShapeException("Only totals of the same query can be added.");
        var e = Engine;
        var columns = Columns.ToDictionary(kv => kv.Key, kv =>
        {
            var o = other.Columns[kv.Key];
            if (o.Center != kv.Value.Center) throw new ShapeException($"Totals of column '{kv.Key}' were centred differently.");
            if (o.ReducedShift != kv.Value.ReducedShift || o.MeanShift != kv.Value.MeanShift)
                throw new ShapeException($"Rounded sums of column '{kv.Key}' were computed at different precisions ({kv.Value.ReducedShift}/{kv.Value.MeanShift} and {o.ReducedShift}/{o.MeanShift} low bits dropped) because the batches differ in size; give the total row count (Query.AggregateBatches(batches, totalRows, …)).");
            return kv.Value with
            {
                Sum = kv.Value.Sum is null || o.Sum is null ? null : e.Add(kv.Value.Sum, o.Sum),
                SumSquares = kv.Value.SumSquares is null || o.SumSquares is null ? null : e.Add(kv.Value.SumSquares, o.SumSquares),
                ReducedSum = kv.Value.ReducedSum is null || o.ReducedSum is null ? null : e.Add(kv.Value.ReducedSum, o.ReducedSum),
                MeanSum = kv.Value.MeanSum is null || o.MeanSum is null ? null : e.Add(kv.Value.MeanSum, o.MeanSum),
            };
        });
        return new CellTotals(Layout, Rows + other.Rows, e.Add(Count, other.Count),
            WeightTotal is null ? null : e.Add(WeightTotal, other.WeightTotal!), WeightScale, columns, Weight) { Engine = e, WeightKind = WeightKind };
    }

    /// <summary>What the weights mean (null: unweighted); frequency weights make the variance Σw(x − μ)²/(Σw − 1).</summary>
    public WeightKind? WeightKind { get; init; }

    /// <summary>The engine that holds the totals (set by the aggregator).</summary>
    public IComputeEngine Engine { get; init; } = null!;
}

/// <summary>
/// Secret totals of one numeric column per cell, of y = x − <see cref="Center"/> (encoded): Σ w·y at scale
/// 2^(f + fw) (w ≡ 1 and fw = 0 when unweighted; null when only the variance was asked for and its values were
/// reduced, see below). Centring at the midpoint of the declared bounds keeps the magnitudes — and so the fixed-point
/// range needed — as small as the bounds allow.
/// For variances: y' = floor(y / 2^d) with d = <see cref="ReducedShift"/> low bits dropped (0 when the exact values
/// fit the ring, ColumnBounds.SquareShift), <see cref="ReducedSum"/> = Σ w·y' and <see cref="SumSquares"/> = Σ w·y'²,
/// at scales 2^(f − d + fw) and 2^(2(f − d) + fw). With d = 0, ReducedSum is Sum. A mean whose exact sum would leave
/// the ring has <see cref="MeanSum"/> instead of Sum, of values rounded by its own (usually fewer) <see cref="MeanShift"/> bits.
/// </summary>
public sealed record ColumnTotals(ColumnSpec Spec, long Center, SecretVector? Sum, SecretVector? SumSquares)
{
    /// <summary>Largest |y| (encoded units).</summary>
    public double HalfRange => ColumnBounds.HalfRange(Spec);

    /// <summary>Low bits dropped from y before the sums of squares (0: exact).</summary>
    public int ReducedShift { get; init; }

    /// <summary>Σ w·y' (y' = floor(y / 2^ReducedShift)) per cell; null unless squares were aggregated.</summary>
    public SecretVector? ReducedSum { get; init; }

    /// <summary>Low bits dropped from y for a mean whose exact sum would leave the ring (ColumnBounds.MeanShift).</summary>
    public int MeanShift { get; init; }

    /// <summary>Σ w·floor(y / 2^MeanShift) per cell, for a mean whose exact sum would leave the ring (then Sum is null).</summary>
    public SecretVector? MeanSum { get; init; }

    /// <summary>Largest |y'| (encoded units of 2^ReducedShift).</summary>
    public double ReducedHalfRange => ColumnBounds.ReducedHalfRange(Spec, ReducedShift);
}
