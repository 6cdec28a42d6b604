using Smpc.Analytics.Columnar;
using Smpc.Analytics.Interactive.Api;

namespace Smpc.Analytics.Interactive.Interim;

/// <summary>
/// The checked form of an aggregate request: resolved columns, bins and encodings. Every problem (unknown
/// column, wrong kind, bad bins, possible overflow) is reported here, naming it, before anything is computed.
/// </summary>
internal sealed record AggregatePlan(SecretColumn[] GroupColumns, SecretColumn? Value, SecretColumn? Predictor, double[] Edges)
{
    public static AggregatePlan Validate(SecretTable table, AggregateRequest q, IReadOnlySet<Statistic> supports)
    {
        if (!supports.Contains(q.Statistic)) throw new QueryException($"'{q.Statistic.Name()}' is not available yet in this aggregator.");
        if (q.GroupBy.Count > 2) throw new QueryException($"At most two group-by columns are supported; got {q.GroupBy.Count} ({string.Join(", ", q.GroupBy)}).");
        if (q.GroupBy.Distinct().Count() != q.GroupBy.Count) throw new QueryException($"A group-by column is listed twice ({string.Join(", ", q.GroupBy)}).");
        var groups = q.GroupBy.Select(g => Column(table, g)).ToArray();
        foreach (var g in groups)
            if (g.Spec.Kind != ColumnKind.Categorical)
                throw new QueryException($"Cannot group by '{g.Name}': it is {Kind(g)}; group-by needs a categorical column with a declared domain.");

        bool needsValue = q.Statistic is not Statistic.Count;
        if (needsValue && q.Column is null) throw new QueryException($"'{q.Statistic.Name()}' needs a value column (--column).");
        var value = q.Column is null ? null : Numeric(table, q.Column, q.Statistic);
        SecretColumn? predictor = null;
        if (q.Statistic == Statistic.Regression)
        {
            if (q.Predictor is null) throw new QueryException("'regression' needs a predictor column (--predictor).");
            predictor = Numeric(table, q.Predictor, q.Statistic);
            if (value!.Present is not null || predictor.Present is not null)
                throw new QueryException($"Regression of '{value.Name}' on '{predictor.Name}': columns with missing values are not supported yet.");
        }
        else if (q.Predictor is not null) throw new QueryException($"--predictor only applies to 'regression', not '{q.Statistic.Name()}'.");

        double[] edges = [];
        if (q.Statistic == Statistic.Histogram)
        {
            edges = q.Bins.ToArray();
            if (edges.Length < 2) throw new QueryException("'histogram' needs at least two bin edges (--bins 0,500,1000).");
            for (int k = 1; k < edges.Length; k++)
                if (!(edges[k] > edges[k - 1])) throw new QueryException($"Bin edges must increase: {ReleaseTable.Format(edges[k - 1])} is followed by {ReleaseTable.Format(edges[k])}.");
            if (edges.Any(x => double.IsNaN(x) || Math.Abs(x) >= Math.ScaleB(1.0, 61 - value!.Spec.Scale)))
                throw new QueryException($"A bin edge is outside the range of column '{value!.Name}'.");
        }
        else if (q.Bins.Count > 0) throw new QueryException($"--bins only applies to 'histogram', not '{q.Statistic.Name()}'.");

        var plan = new AggregatePlan(groups, value, predictor, edges);
        plan.CheckRange(table.RowCount, q);
        return plan;
    }

    /// <summary>Fraction bits of the s-th statistic column (stat-major order: n, then the statistic's sums).</summary>
    public int Scale(int s) => s switch
    {
        0 => 0,
        1 when Predictor is null => Value!.Spec.Scale,
        1 => Predictor!.Spec.Scale,
        2 => Value!.Spec.Scale,
        3 => 2 * Predictor!.Spec.Scale,
        _ => Predictor!.Spec.Scale + Value!.Spec.Scale,
    };

    public string[] ValueColumns(AggregateRequest q) => q.Statistic switch
    {
        Statistic.Sum => ["n", $"sum({q.Column})"],
        Statistic.Mean => ["n", $"mean({q.Column})"],
        Statistic.Regression => ["n", "intercept", "slope"],
        _ => ["n"],
    };

    /// <summary>Turns a released cell's sums into the statistic's values.</summary>
    public double[] Decode(Statistic statistic, Func<int, double> stat)
    {
        double n = stat(0);
        switch (statistic)
        {
            case Statistic.Sum: return [n, stat(1)];
            case Statistic.Mean: return [n, stat(1) / n];
            case Statistic.Regression:
            {
                double sx = stat(1), sy = stat(2), sxx = stat(3), sxy = stat(4);
                double denominator = n * sxx - sx * sx;
                double slope = denominator == 0 ? double.NaN : (n * sxy - sx * sy) / denominator;
                return [n, (sy - slope * sx) / n, slope];
            }
            default: return [n];
        }
    }

    void CheckRange(int rows, AggregateRequest q)
    {
        double limit = Math.ScaleB(1.0, 62);
        void Check(double bound, string what)
        {
            if (bound >= limit)
                throw new RangeException($"{q.Describe()}: {what} over {rows:N0} rows could reach {bound:G3} in the ring, beyond 2^62; " +
                                         "declare tighter bounds or fewer fraction bits for the column.");
        }
        if (q.Statistic is Statistic.Sum or Statistic.Mean)
            Check(rows * Value!.Spec.Magnitude * Math.ScaleB(1.0, Value.Spec.Scale), $"the sum of '{Value.Name}'");
        if (q.Statistic == Statistic.Regression)
        {
            Check(rows * Predictor!.Spec.Magnitude * Predictor.Spec.Magnitude * Math.ScaleB(1.0, 2 * Predictor.Spec.Scale), $"the sum of '{Predictor.Name}'²");
            Check(rows * Predictor.Spec.Magnitude * Value!.Spec.Magnitude * Math.ScaleB(1.0, Predictor.Spec.Scale + Value.Spec.Scale), $"the sum of '{Predictor.Name}'·'{Value.Name}'");
        }
    }

    static SecretColumn Column(SecretTable table, string name) => table.Has(name) ? table[name]
        : throw new QueryException($"Unknown column '{name}' in dataset '{table.Name}'. Columns: {string.Join(", ", table.Columns.Select(c => c.Name))}.");

    static SecretColumn Numeric(SecretTable table, string name, Statistic statistic)
    {
        var c = Column(table, name);
        if (!c.Spec.IsNumeric) throw new QueryException($"'{statistic.Name()}' needs a numeric column; '{name}' is {Kind(c)}.");
        return c;
    }

    static string Kind(SecretColumn c) => c.Spec.Kind.ToString().ToLowerInvariant();
}
