namespace Smpc.Analytics.Statistics;

/// <summary>
/// The public shape of a table of cells: interior cells of 0, 1 or 2 grouping dimensions followed by their
/// margins, and the linear relations between them (a margin equals the sum of the cells it covers).
/// Disclosure control uses the relations for complementary suppression.
/// </summary>
/// <remarks>
/// Order: interior cells row-major (first dimension slowest); then, for one dimension, the total; for two
/// dimensions, the row margins (one per label of the first dimension), the column margins, then the total.
/// With no dimension there is a single cell, the total.
/// </remarks>
public sealed class CellLayout
{
    public CellLayout(IReadOnlyList<string> dimensionNames, IReadOnlyList<IReadOnlyList<string>> labels)
    {
        if (dimensionNames.Count != labels.Count) throw new ShapeException("Each dimension needs its labels.");
        if (dimensionNames.Count > 2) throw new QueryException($"Tables of at most two grouping columns are supported; got {dimensionNames.Count} ({string.Join(", ", dimensionNames)}).");
        DimensionNames = dimensionNames;
        Labels = labels;
        var keys = new List<string?[]>();
        var relations = new List<(int Margin, int[] Parts)>();
        switch (labels.Count)
        {
            case 0:
                keys.Add([]);
                break;
            case 1:
            {
                int g = labels[0].Count;
                for (int i = 0; i < g; i++) keys.Add([labels[0][i]]);
                keys.Add([null]);
                relations.Add((g, Enumerable.Range(0, g).ToArray()));
                break;
            }
            default:
            {
                int a = labels[0].Count, b = labels[1].Count;
                for (int i = 0; i < a; i++)
                    for (int j = 0; j < b; j++) keys.Add([labels[0][i], labels[1][j]]);
                int rows = a * b, cols = rows + a, total = cols + b;
                for (int i = 0; i < a; i++) { keys.Add([labels[0][i], null]); relations.Add((rows + i, Enumerable.Range(0, b).Select(j => i * b + j).ToArray())); }
                for (int j = 0; j < b; j++) { keys.Add([null, labels[1][j]]); relations.Add((cols + j, Enumerable.Range(0, a).Select(i => i * b + j).ToArray())); }
                keys.Add([null, null]);
                relations.Add((total, Enumerable.Range(rows, a).ToArray()));
                relations.Add((total, Enumerable.Range(cols, b).ToArray()));
                break;
            }
        }
        Keys = keys;
        Relations = relations;
        InteriorCount = labels.Aggregate(1, (p, l) => p * l.Count);
    }

    public IReadOnlyList<string> DimensionNames { get; }
    public IReadOnlyList<IReadOnlyList<string>> Labels { get; }

    /// <summary>Per cell, its label in each dimension (null: margin over that dimension).</summary>
    public IReadOnlyList<string?[]> Keys { get; }

    /// <summary>margin cell = Σ part cells. Every published table satisfies these; suppression must respect them.</summary>
    public IReadOnlyList<(int Margin, int[] Parts)> Relations { get; }

    public int InteriorCount { get; }
    public int Count => Keys.Count;

    public bool IsMargin(int cell) => cell >= InteriorCount;

    /// <summary>Readable name of a cell, e.g. "state=CA, sex=(all)".</summary>
    public string Describe(int cell) => Keys[cell].Length == 0 ? "(all rows)"
        : string.Join(", ", Keys[cell].Select((k, d) => $"{DimensionNames[d]}={k ?? "(all)"}"));

    /// <summary>For each margin cell, the interior cells it sums (margins of margins expanded).</summary>
    public int[] InteriorOf(int cell)
    {
        if (!IsMargin(cell)) return [cell];
        var key = Keys[cell];
        return Enumerable.Range(0, InteriorCount)
            .Where(i => key.Select((k, d) => k is null || k == Keys[i][d]).All(x => x)).ToArray();
    }
}
