// Evaluates a RowFilter on a secret table into a shared 0/1 row indicator.
//
// What: comparisons of a numeric column with a public constant become shared comparison bits (ABY3 §5.3),
// bit injection turns them into 0/1 ring elements (ABY3 §5.4), and "and / or / not" become a·b, a + b − a·b and
// 1 − a. "column in (v1, v2)" is the sum of the one-hot indicators of those values (local, no communication).
// Rows with a missing value in any column the filter reads are excluded (multiplied by the presence indicator).
// Security: semi-honest, honest majority. Leakage: none — nobody learns which rows pass.
// Cost: per comparison leaf one comparison (8 rounds) and one bit injection (2 rounds); per and/or one product.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class FilterEvaluator
{
    /// <summary>Shared 0/1 indicator of the rows that satisfy <paramref name="filter"/>.</summary>
    public static SecretVector Evaluate(SecretTable table, RowFilter filter)
    {
        Validate(table.Schema, filter);
        var e = table.Engine;
        var indicator = Eval(table, filter);
        foreach (var column in filter.Columns().Distinct())
            if (table[column].Present is { } present) indicator = e.Multiply(indicator, present);
        return indicator;
    }

    /// <summary>Checks columns, kinds and domain values without computing anything.</summary>
    public static void Validate(TableSchema schema, RowFilter filter)
    {
        switch (filter)
        {
            case RowFilter.Comparison c:
            {
                var spec = schema.Column(c.Column);
                if (!spec.IsNumeric) throw new QueryException($"Filter '{c}': column '{c.Column}' is {spec.Kind.ToString().ToLowerInvariant()}; only numeric and boolean columns can be compared with a number (use 'in (...)' for categorical columns).");
                if (double.IsNaN(c.Value) || double.IsInfinity(c.Value)) throw new QueryException($"Filter '{c}': the constant must be a finite number.");
                break;
            }
            case RowFilter.Membership m:
            {
                var spec = schema.Column(m.Column);
                if (spec.Kind != ColumnKind.Categorical) throw new QueryException($"Filter '{m}': 'in (...)' needs a categorical column; '{m.Column}' is {spec.Kind.ToString().ToLowerInvariant()}.");
                if (m.Values.Count == 0) throw new QueryException($"Filter '{m}': the value list is empty.");
                foreach (var v in m.Values)
                    if (!spec.Domain!.Contains(v)) throw new QueryException($"Filter '{m}': '{v}' is not in the declared domain of '{m.Column}' ({string.Join(", ", spec.Domain!)}).");
                break;
            }
            case RowFilter.All a: Validate(schema, a.Left); Validate(schema, a.Right); break;
            case RowFilter.Any o: Validate(schema, o.Left); Validate(schema, o.Right); break;
            case RowFilter.Negation n: Validate(schema, n.Inner); break;
        }
    }

    static SecretVector Eval(SecretTable table, RowFilter filter)
    {
        var e = table.Engine;
        switch (filter)
        {
            case RowFilter.Comparison c: return Compare(table, c);
            case RowFilter.Membership m:
            {
                var column = table[m.Column];
                SecretVector? sum = null;
                foreach (var v in m.Values.Distinct())
                {
                    var ind = column.Indicator(v);
                    sum = sum is null ? ind : e.Add(sum, ind);
                }
                return sum!;
            }
            case RowFilter.All a: return e.Multiply(Eval(table, a.Left), Eval(table, a.Right));
            case RowFilter.Any o:
            {
                var x = Eval(table, o.Left); var y = Eval(table, o.Right);
                return e.Subtract(e.Add(x, y), e.Multiply(x, y));
            }
            case RowFilter.Negation n: return OneMinus(e, Eval(table, n.Inner));
            default: throw new QueryException($"Unknown filter {filter}.");
        }
    }

    internal static SecretVector OneMinus(IComputeEngine e, SecretVector x) => e.AddPublic(e.MultiplyPublic(x, ulong.MaxValue), 1);

    static SecretVector Compare(SecretTable table, RowFilter.Comparison c)
    {
        var e = table.Engine;
        var column = table[c.Column];
        var x = column.RequireValues($"Filter '{c}'");
        double scaled = c.Value * Math.ScaleB(1.0, column.Spec.Scale);
        double limit = Math.ScaleB(1.0, 62);
        if (Math.Abs(scaled) >= limit) throw new RangeException($"Filter '{c}': the constant is outside the range of '{c.Column}' (f = {column.Spec.Scale}).");
        // Encoded values are integers, so x < t ⇔ x < ceil(t) and x ≤ t ⇔ x < floor(t) + 1.
        ulong Const(double v) => (ulong)(long)v;
        SecretVector LessThan(double bound) => e.ToArithmetic(e.LessThan(x, Const(bound)));
        switch (c.Op)
        {
            case CompareOp.Less: return LessThan(Math.Ceiling(scaled));
            case CompareOp.LessOrEqual: return LessThan(Math.Floor(scaled) + 1);
            case CompareOp.GreaterOrEqual: return OneMinus(e, LessThan(Math.Ceiling(scaled)));
            case CompareOp.Greater: return OneMinus(e, LessThan(Math.Floor(scaled) + 1));
            case CompareOp.Equal or CompareOp.NotEqual:
            {
                SecretVector eq = scaled == Math.Floor(scaled)
                    ? e.ToArithmetic(e.Equal(x, Const(scaled)))
                    : e.Public(new ulong[x.Length]);           // an encoded integer never equals a non-grid constant
                return c.Op == CompareOp.Equal ? eq : OneMinus(e, eq);
            }
            default: throw new QueryException($"Unknown comparison {c.Op}.");
        }
    }
}
