using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

/// <summary>
/// One grouping dimension of a table of cells: public labels and one shared 0/1 row indicator per label.
/// From a categorical column (the contributor's one-hot vectors; a missing value is all zeros, so such rows
/// fall out of every cell) or from histogram bins over a numeric column (computed on shares).
/// </summary>
public sealed record Dimension(string Name, IReadOnlyList<string> Labels, IReadOnlyList<SecretVector> Indicators)
{
    /// <summary>The categorical column's declared domain and one-hot vectors.</summary>
    public static Dimension FromColumn(SecretTable table, string column)
    {
        var c = table[column];
        if (c.Spec.Kind != ColumnKind.Categorical || c.OneHot is null)
            throw new QueryException($"Group-by on '{column}': the column is {c.Spec.Kind.ToString().ToLowerInvariant()}, not categorical with a declared domain; only columns with a declared domain can be grouped (use a histogram for numeric columns).");
        return new Dimension(column, c.Spec.Domain!, c.OneHot);
    }
}
