using Microsoft.Data.Analysis;
using Smpc.Analytics.Queries;

namespace Smpc.Analytics.Tests.Statistics;

/// <summary>Reads cells of a result DataFrame by their group labels.</summary>
public static class Frames
{
    /// <summary>The value of <paramref name="measure"/> in the row whose grouping columns equal <paramref name="keys"/> ("(all)" for margins).</summary>
    public static double? Cell(this QueryResult r, string measure, params string[] keys)
    {
        var t = r.Table;
        var dims = r.Cells!.Layout.DimensionNames;
        for (long row = 0; row < t.Rows.Count; row++)
        {
            bool match = true;
            for (int d = 0; d < dims.Count; d++) if ((string)t[dims[d]][row] != keys[d]) match = false;
            if (match) return (double?)t[measure][row];
        }
        throw new KeyNotFoundException($"No row {string.Join(", ", keys)}");
    }

    public static string Text(this DataFrame t, string column, long row) => (string)t[column][row];
    public static double? Value(this DataFrame t, string column, long row) => (double?)t[column][row];
}
