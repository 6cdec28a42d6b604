// Complementary (secondary) suppression for tables with margins.
//
// What: given the table's linear relations (margin = Σ cells) and the public pattern of primary suppressions,
// adds suppressions until no suppressed cell can be recomputed exactly from the published cells. A suppressed
// cell j is exactly recoverable iff the unit vector e_j lies in the row space of the relation matrix restricted
// to the suppressed cells — equivalently, iff every null vector of that matrix has a zero in coordinate j. We
// bring the restricted matrix to reduced row echelon form: j is recoverable iff it is a pivot column whose
// pivot row has no entry in a free column.
// Reference: Cox, "Linear sensitivity measures in statistical disclosure control" (J. Stat. Planning and
// Inference 1981) and Willenborg & de Waal, "Elements of Statistical Disclosure Control" (Springer 2001), §6.3
// (secondary suppression; for two-way tables a suppressed cell is recoverable iff it is a bridge of the
// row–column graph of suppressed cells, which this linear test decides in general).
// Choice of complements: greedy and value-independent — among the cells related to an exposed cell, the one that
// leaves the fewest suppressed cells recoverable (then: protects the first exposed cell, interior before margins,
// shares the most relations with suppressed cells, table order) — so the choice reveals nothing beyond the primary
// pattern, which is already released. In a two-way table one small cell costs a rectangle of four interior cells. Not covered: interval (bounds) attacks using non-negativity — the
// protection is against exact recovery.
// Security / leakage: runs on public information (the opened suppression bits) only; reveals nothing new.
// Cost: local; O(cells³) arithmetic per test, tables have at most a few thousand cells.
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Disclosure;

public static class ComplementarySuppression
{
    /// <summary>Returns the full suppression set (primary ∪ complementary) for the layout's relations.</summary>
    public static bool[] Apply(CellLayout layout, IReadOnlyList<bool> primary) => Apply(layout.Count, layout.Relations, primary);

    public static bool[] Apply(int cells, IReadOnlyList<(int Margin, int[] Parts)> relations, IReadOnlyList<bool> primary)
    {
        var suppressed = primary.ToArray();
        if (suppressed.Length != cells) throw new ShapeException($"Suppression pattern has {suppressed.Length} cells, the table {cells}.");
        var margins = relations.Select(r => r.Margin).ToHashSet();
        var related = Enumerable.Range(0, cells).Select(_ => new List<int>()).ToArray();
        for (int r = 0; r < relations.Count; r++)
            foreach (var c in relations[r].Parts.Append(relations[r].Margin)) related[c].Add(r);

        for (int guard = 0; guard <= cells; guard++)
        {
            var exposed = Recoverable(cells, relations, suppressed);
            if (exposed.Count == 0) return suppressed;
            int target = exposed[0];
            // Candidates: unsuppressed cells sharing a relation with any exposed cell (a rectangle in a two-way table
            // needs cells that touch the target only through another suppressed cell), else any unsuppressed cell.
            var candidates = exposed.SelectMany(x => related[x]).SelectMany(r => relations[r].Parts.Append(relations[r].Margin)).Distinct()
                .Where(c => !suppressed[c]).ToList();
            if (candidates.Count == 0) candidates = Enumerable.Range(0, cells).Where(c => !suppressed[c]).ToList();
            if (candidates.Count == 0) return suppressed;          // everything is suppressed already
            int SharedSuppressed(int c) => related[c].Count(r => relations[r].Parts.Append(relations[r].Margin).Any(x => suppressed[x]));
            // Greedy: fewest cells left exposed, then the target protected, interior cells before margins, then
            // cells that share the most relations with suppressed cells, then table order.
            int best = -1;
            (int Exposed, int Target, int Margin, int Shared, int Cell) bestKey = (int.MaxValue, 1, 1, 0, int.MaxValue);
            foreach (var c in candidates)
            {
                suppressed[c] = true;
                var after = Recoverable(cells, relations, suppressed);
                suppressed[c] = false;
                var key = (after.Count, after.Contains(target) ? 1 : 0, margins.Contains(c) ? 1 : 0, -SharedSuppressed(c), c);
                if (key.CompareTo(bestKey) < 0) { best = c; bestKey = key; }
            }
            suppressed[best] = true;
        }
        throw new InvalidOperationException("Complementary suppression did not converge.");
    }

    /// <summary>Suppressed cells whose value follows exactly from the published cells and the relations.</summary>
    public static List<int> Recoverable(int cells, IReadOnlyList<(int Margin, int[] Parts)> relations, IReadOnlyList<bool> suppressed)
    {
        var columns = Enumerable.Range(0, cells).Where(c => suppressed[c]).ToArray();
        var result = new List<int>();
        if (columns.Length == 0) return result;
        var position = new Dictionary<int, int>();
        for (int k = 0; k < columns.Length; k++) position[columns[k]] = k;
        // Relation matrix restricted to suppressed cells (coefficients +1 for parts, −1 for the margin).
        var m = new List<double[]>();
        foreach (var (margin, parts) in relations)
        {
            var row = new double[columns.Length];
            bool any = false;
            foreach (var p in parts) if (position.TryGetValue(p, out int k)) { row[k] += 1; any = true; }
            if (position.TryGetValue(margin, out int km)) { row[km] -= 1; any = true; }
            if (any) m.Add(row);
        }
        var pivotOf = Rref(m, columns.Length);
        var isPivot = new bool[columns.Length];
        foreach (var (_, col) in pivotOf) isPivot[col] = true;
        foreach (var (row, col) in pivotOf)
        {
            bool touchesFree = false;
            for (int k = 0; k < columns.Length && !touchesFree; k++)
                if (!isPivot[k] && Math.Abs(m[row][k]) > 1e-9) touchesFree = true;
            if (!touchesFree) result.Add(columns[col]);
        }
        result.Sort();
        return result;
    }

    /// <summary>In-place reduced row echelon form with partial pivoting; returns (row, pivot column) pairs.</summary>
    static List<(int Row, int Col)> Rref(List<double[]> m, int width)
    {
        var pivots = new List<(int, int)>();
        int r = 0;
        for (int col = 0; col < width && r < m.Count; col++)
        {
            int best = -1; double bestAbs = 1e-9;
            for (int i = r; i < m.Count; i++) if (Math.Abs(m[i][col]) > bestAbs) { best = i; bestAbs = Math.Abs(m[i][col]); }
            if (best < 0) continue;
            (m[r], m[best]) = (m[best], m[r]);
            double inv = 1 / m[r][col];
            for (int k = 0; k < width; k++) m[r][k] *= inv;
            for (int i = 0; i < m.Count; i++)
            {
                if (i == r || Math.Abs(m[i][col]) < 1e-12) continue;
                double f = m[i][col];
                for (int k = 0; k < width; k++) m[i][k] -= f * m[r][k];
            }
            pivots.Add((r, col));
            r++;
        }
        return pivots;
    }
}
