// Per-cell counts, weight totals, sums and sums of squares of a table query, on shares.
//
// What: for cells defined by 0–2 grouping dimensions (one-hot indicators from the contributor, or histogram
// bins), a row mask (filter × presence of the used columns) and an optional weight, computes per cell
//   count = Σ m·I,  W = Σ m·w·I,  S = Σ m·w·I·y,  Q = Σ m·w·I·y'²   with y = x − centre,
// y' = floor(y / 2^d) (d = 0 when the exact squares fit; see ColumnBounds.SquareShift), and the margins as sums of
// cells (local). Group totals are dot products of the row vectors with the cell
// indicators (ABY3 §5.1: one ring element per cell whatever the row count), so group sizes stay hidden.
// Two dimensions: first u = I_a ⊙ v (one product round), then dot(u, I_b). Products are never truncated: sums
// of products stay at scale 2^(2f) (exact), and every range is checked from declared bounds before computing. When
// the squares of a wide column over many rows would leave the ring (a balance bounded ±10^7 at 16 fraction bits
// over 10^7 rows reaches 2^102), its centred values first drop their d low bits by exact floor truncation
// (Protocols/Truncation.cs), and the variance's error bound adds the rounding (Statistics/Moments.cs).
// Faster mode (GroupSizeDisclosure.RevealToComputeParties): shuffle the rows with their cell code, open the
// codes to the compute parties (which reveals each group's size and nothing else, since the order is random),
// and sum shares per group locally.
// Security: semi-honest, honest majority. Leakage: none by default; group sizes to the compute parties in the
// faster mode. Cost (default): 1–3 product rounds (n elements per product vector) + 1 dot-product round
// (one element per cell and quantity); a column whose values are rounded first adds one exact truncation (8 rounds
// for d = 16) and, when its exact sum is also asked for, one product vector.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class CellAggregator
{
    /// <summary>What to aggregate: columns needing sums, columns also needing sums of squares.</summary>
    /// <remarks><paramref name="MeanOnlyColumns"/>: sum columns whose sums serve means only; when their exact sums would
    /// leave the ring they are summed from values rounded down (ColumnBounds.MeanShift) instead of being refused.
    /// <paramref name="PlanRows"/>: the rows the totals will be added up over when the table is one of several row
    /// batches (CellTotals.Add); range checks and precisions are then chosen for that many rows, so that every batch
    /// rounds alike and the sum of the batches stays in range.</remarks>
    public sealed record Request(IReadOnlyList<string> SumColumns, IReadOnlyList<string> SquareColumns, string? Weight, RowFilter? Filter,
                                 GroupSizeDisclosure GroupSizes = GroupSizeDisclosure.Hidden, IReadOnlyList<string>? MeanOnlyColumns = null,
                                 long? PlanRows = null, WeightKind? WeightKind = null);

    public static CellTotals Compute(SecretTable table, IReadOnlyList<Dimension> dimensions, Request request)
    {
        var e = table.Engine;
        int n = table.RowCount;
        var layout = new CellLayout(dimensions.Select(d => d.Name).ToArray(), dimensions.Select(d => d.Labels).ToArray());
        var sumColumns = request.SumColumns.Distinct().ToArray();
        var squareColumns = request.SquareColumns.Distinct().ToArray();
        var columns = sumColumns.Concat(squareColumns).Distinct().ToArray();
        var specs = columns.ToDictionary(c => c, c => table[c].Spec);
        foreach (var (name, spec) in specs) ColumnBounds.Of(spec, $"Sum of '{name}'");
        ColumnSpec? weightSpec = null;
        if (request.Weight is { } wname)
        {
            weightSpec = table[wname].Spec;
            var (wlo, _) = ColumnBounds.Of(weightSpec, $"Weighting by '{wname}'");
            if (wlo < 0) throw new QueryException($"Weight column '{wname}' declares a negative minimum ({wlo}); survey weights must be non-negative.");
        }
        if (request.Filter is { } f) FilterEvaluator.Validate(table.Schema, f);
        double wmax = weightSpec is null ? 1 : ColumnBounds.Magnitude(weightSpec);
        long planRows = Math.Max(n, request.PlanRows ?? 0);
        string by = weightSpec is null ? "" : $" weighted by '{weightSpec.Name}'";
        // Means whose exact sums would leave the ring are computed from rounded values instead (like variances).
        var roundedMeans = sumColumns.Where(c => request.MeanOnlyColumns?.Contains(c) == true && !ColumnBounds.ExactMeanFits(planRows, wmax, specs[c])).ToHashSet();
        var exactColumns = sumColumns.Where(c => !roundedMeans.Contains(c)).ToArray();
        CheckRanges(planRows, specs, exactColumns, weightSpec);
        // Variances: the centred values lose their low bits before squaring when the exact squares would not fit.
        var shifts = squareColumns.ToDictionary(c => c, c => ColumnBounds.SquareShift(planRows, wmax, specs[c], $"Variance of '{c}'{by}"));
        var meanShifts = roundedMeans.ToDictionary(c => c, c => ColumnBounds.MeanShift(planRows, wmax, specs[c], $"Mean of '{c}'{by}"));

        var (mask, weighted) = RowMask(table, columns, request.Filter, request.Weight);
        var rowBase = weighted ?? mask;  // null: every row counts once

        // Row vectors whose per-cell totals we need; null stands for "all ones".
        var rowVectors = new List<SecretVector?> { mask };
        if (weighted is not null) rowVectors.Add(weighted);
        var sumIndex = new Dictionary<string, int>();
        var squareSumIndex = new Dictionary<string, int>();
        var squareIndex = new Dictionary<string, int>();
        var centered = columns.ToDictionary(c => c, c => e.AddPublic(table[c].Values!, unchecked((ulong)-ColumnBounds.Center(specs[c]))));
        SecretVector Weighted(SecretVector y) => rowBase is null ? y : e.Multiply(rowBase, y);
        var firstProducts = exactColumns.ToDictionary(c => c, c => Weighted(centered[c]));
        foreach (var c in exactColumns) { sumIndex[c] = rowVectors.Count; rowVectors.Add(firstProducts[c]); }
        foreach (var c in squareColumns)
        {
            var reduced = shifts[c] == 0 ? centered[c] : e.Truncate(centered[c], shifts[c]);   // floor(y / 2^d), exact
            SecretVector first;
            if (shifts[c] == 0 && sumIndex.TryGetValue(c, out int at)) { first = firstProducts[c]; squareSumIndex[c] = at; }
            else { first = Weighted(reduced); squareSumIndex[c] = rowVectors.Count; rowVectors.Add(first); }
            squareIndex[c] = rowVectors.Count;
            rowVectors.Add(e.Multiply(first, reduced));
        }
        var meanSumIndex = new Dictionary<string, int>();
        foreach (var (c, d) in meanShifts)
        {
            if (shifts.TryGetValue(c, out int dv) && dv == d) { meanSumIndex[c] = squareSumIndex[c]; continue; }
            meanSumIndex[c] = rowVectors.Count;
            rowVectors.Add(Weighted(d == 0 ? centered[c] : e.Truncate(centered[c], d)));
        }

        var perVector = request.GroupSizes == GroupSizeDisclosure.RevealToComputeParties && dimensions.Count > 0
            ? ByRevealedGroups(e, n, dimensions, rowVectors)
            : ByDotProducts(e, n, dimensions, rowVectors);
        var full = perVector.Select(v => WithMargins(e, layout, v)).ToArray();

        var totals = columns.ToDictionary(c => c, c => new ColumnTotals(specs[c], ColumnBounds.Center(specs[c]),
            sumIndex.TryGetValue(c, out int s) ? full[s] : null, squareIndex.TryGetValue(c, out int q) ? full[q] : null)
        {
            ReducedShift = shifts.GetValueOrDefault(c),
            ReducedSum = squareSumIndex.TryGetValue(c, out int ss) ? full[ss] : null,
            MeanShift = meanShifts.GetValueOrDefault(c),
            MeanSum = meanSumIndex.TryGetValue(c, out int ms) ? full[ms] : null,
        });
        return new CellTotals(layout, n, full[0], weighted is null ? null : full[1], weightSpec?.Scale ?? 0, totals, weightSpec) { Engine = e, WeightKind = request.WeightKind };
    }

    /// <summary>
    /// The row mask m = filter × presence of every column used (complete cases; null when every row counts) × [weight &gt; 0]
    /// when weighted, and m ⊙ weight (null when unweighted). Rows with weight 0 are not in the mask: they contribute
    /// nothing to a weighted statistic, so the cell-size rule, which counts the mask, counts only people who do
    /// (one comparison batch over the rows).
    /// </summary>
    public static (SecretVector? Mask, SecretVector? Weighted) RowMask(SecretTable table, IEnumerable<string> columns, RowFilter? filter, string? weight)
    {
        var e = table.Engine;
        SecretVector? mask = filter is null ? null : FilterEvaluator.Evaluate(table, filter);
        foreach (var c in columns.Append(weight).OfType<string>().Distinct())
            if (table[c].Present is { } present) mask = mask is null ? present : e.Multiply(mask, present);
        SecretVector? weighted = null;
        if (weight is not null)
        {
            var positive = e.ToArithmetic(e.GreaterThan(table[weight].Values!, 0));
            mask = mask is null ? positive : e.Multiply(mask, positive);
            weighted = e.Multiply(mask, table[weight].Values!);
        }
        return (mask, weighted);
    }

    /// <summary>Range checks of the exact sums Σw·y (centred) and Σw·x (the released sum) from declared bounds; the sums
    /// of squares are checked, and their precision chosen, by ColumnBounds.SquareShift.</summary>
    static void CheckRanges(long n, Dictionary<string, ColumnSpec> specs, IReadOnlyList<string> exactColumns, ColumnSpec? weight)
    {
        double w = weight is null ? 1 : ColumnBounds.Magnitude(weight);
        if (weight is not null) ColumnBounds.Check(n * w, $"Weight total of '{weight.Name}' over {n} rows");
        string by = weight is null ? "" : $" × largest weight of '{weight.Name}'";
        foreach (var name in exactColumns)
        {
            var spec = specs[name];
            ColumnBounds.Check(n * w * ColumnBounds.HalfRange(spec), $"Sum of '{name}' (centred at the midpoint of its bounds) over {n} rows (rows{by} × half range)");
            ColumnBounds.Check(n * w * ColumnBounds.Magnitude(spec), $"Sum of '{name}' over {n} rows (rows{by} × largest |value|)");
        }
    }

    /// <summary>Per row vector, the interior cell totals (length = interior cells).</summary>
    static SecretVector[] ByDotProducts(IComputeEngine e, int n, IReadOnlyList<Dimension> dims, List<SecretVector?> vectors)
    {
        if (dims.Count == 0)
            return vectors.Select(v => v is null ? e.Public([(ulong)n]) : e.Sum(v)).ToArray();
        if (dims.Count == 1)
        {
            var pairs = new List<(SecretVector, SecretVector)>();
            var result = new SecretVector?[vectors.Count];
            var ones = dims[0].Indicators.Select(e.Sum).ToArray();             // counts without a mask: local sums
            for (int k = 0; k < vectors.Count; k++)
                if (vectors[k] is { } v) foreach (var ind in dims[0].Indicators) pairs.Add((ind, v));
            var dots = pairs.Count == 0 ? null : e.Dot(pairs);
            int at = 0, g = dims[0].Indicators.Count;
            for (int k = 0; k < vectors.Count; k++)
            {
                if (vectors[k] is null) { result[k] = e.Concat(ones); continue; }
                result[k] = e.Gather(dots!, Enumerable.Range(at, g).ToArray());
                at += g;
            }
            return result.Select(r => r!).ToArray();
        }
        // Two dimensions: u_{a,v} = I_a ⊙ v in one product round, then dot(u_{a,v}, I_b).
        var a = dims[0].Indicators; var b = dims[1].Indicators;
        var present = vectors.Where(v => v is not null).Select(v => v!).ToArray();
        SecretVector? products = null;
        if (present.Length > 0)
        {
            var left = e.Concat(present.SelectMany(v => a).ToArray());
            var right = e.Concat(present.SelectMany(v => Enumerable.Repeat(v, a.Count)).ToArray());
            products = e.Multiply(left, right);
        }
        var pairs2 = new List<(SecretVector, SecretVector)>();
        int block = 0;
        foreach (var v in vectors)
        {
            for (int i = 0; i < a.Count; i++)
            {
                var u = v is null ? a[i] : e.Gather(products!, Enumerable.Range((block * a.Count + i) * n, n).ToArray());
                foreach (var ind in b) pairs2.Add((u, ind));
            }
            if (v is not null) block++;
        }
        var all = e.Dot(pairs2);
        int cells = a.Count * b.Count;
        return Enumerable.Range(0, vectors.Count).Select(k => e.Gather(all, Enumerable.Range(k * cells, cells).ToArray())).ToArray();
    }

    /// <summary>The faster mode: shuffle, open cell codes to the compute parties, sum per group locally.</summary>
    static SecretVector[] ByRevealedGroups(IComputeEngine e, int n, IReadOnlyList<Dimension> dims, List<SecretVector?> vectors)
    {
        // Cell code of each row: Σ_cell index·I_cell (one-hot, so at most one term is non-zero); rows outside every
        // cell (missing group value) get code "cells" — computed as cells·(1 − Σ I).
        int cells = dims.Aggregate(1, (p, d) => p * d.Labels.Count);
        SecretVector code;
        SecretVector inAny;
        if (dims.Count == 1)
        {
            code = dims[0].Indicators.Select((ind, i) => e.MultiplyPublic(ind, (ulong)i)).Aggregate(e.Add);
            inAny = dims[0].Indicators.Aggregate(e.Add);
        }
        else
        {
            var codeA = dims[0].Indicators.Select((ind, i) => e.MultiplyPublic(ind, (ulong)(i * dims[1].Labels.Count))).Aggregate(e.Add);
            var codeB = dims[1].Indicators.Select((ind, j) => e.MultiplyPublic(ind, (ulong)j)).Aggregate(e.Add);
            var inA = dims[0].Indicators.Aggregate(e.Add);
            var inB = dims[1].Indicators.Aggregate(e.Add);
            inAny = e.Multiply(inA, inB);
            code = e.Add(e.Multiply(codeA, inB), e.Multiply(codeB, inA));   // zero unless both present
        }
        code = e.Add(code, e.MultiplyPublic(FilterEvaluator.OneMinus(e, inAny), (ulong)cells));
        var shuffled = e.Shuffle(vectors.Where(v => v is not null).Select(v => v!).Prepend(code).ToArray());
        var codes = e.RevealToParties(shuffled[0], "cell code of each shuffled row (group sizes, faster group-by)");
        var rowsOf = new List<int>[cells];
        for (int c = 0; c < cells; c++) rowsOf[c] = [];
        for (int i = 0; i < codes.Length; i++) if (codes[i] < (ulong)cells) rowsOf[codes[i]].Add(i);
        var result = new SecretVector[vectors.Count];
        int k = 1;
        for (int v = 0; v < vectors.Count; v++)
        {
            if (vectors[v] is null) { result[v] = e.Public(rowsOf.Select(r => (ulong)r.Count).ToArray()); continue; }
            var col = shuffled[k++];
            result[v] = e.Concat(rowsOf.Select(r => e.Sum(e.Gather(col, r.ToArray()))).ToArray());
        }
        return result;
    }

    /// <summary>Appends the margin cells (sums of interior cells, local).</summary>
    public static SecretVector WithMargins(IComputeEngine e, CellLayout layout, SecretVector interior)
    {
        if (layout.Count == layout.InteriorCount) return interior;
        var margins = Enumerable.Range(layout.InteriorCount, layout.Count - layout.InteriorCount)
            .Select(m => e.Sum(e.Gather(interior, layout.InteriorOf(m)))).ToArray();
        return e.Concat(margins.Prepend(interior).ToArray());
    }
}

/// <summary>Whether a group-by may reveal group sizes to the compute parties to run faster.</summary>
public enum GroupSizeDisclosure
{
    /// <summary>Default: group totals are dot products with one-hot indicators; nobody learns any group size.</summary>
    Hidden,

    /// <summary>
    /// Faster: rows are shuffled and their group labels opened to the three compute parties, which then learn
    /// every group's size (never the analyst). Allowed only when the data-use terms set AllowRevealGroupSizes.
    /// </summary>
    RevealToComputeParties,
}
