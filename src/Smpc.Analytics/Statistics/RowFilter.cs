using System.Globalization;

namespace Smpc.Analytics.Statistics;

/// <summary>Comparison operators of a row filter.</summary>
public enum CompareOp { Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual }

/// <summary>
/// A condition on rows, such as <c>age &gt;= 65</c> or <c>state in (CA, TX)</c>, combined with and / or / not.
/// It is evaluated on shares (see <see cref="FilterEvaluator"/>): nobody learns which rows pass.
/// Build with the static helpers or <see cref="Parse"/>.
/// </summary>
public abstract record RowFilter
{
    public static RowFilter Compare(string column, CompareOp op, double value) => new Comparison(column, op, value);
    public static RowFilter In(string column, params string[] values) => new Membership(column, values);
    public static RowFilter operator &(RowFilter a, RowFilter b) => new All(a, b);
    public static RowFilter operator |(RowFilter a, RowFilter b) => new Any(a, b);
    public static RowFilter operator !(RowFilter a) => new Negation(a);

    /// <summary>Columns the filter reads.</summary>
    public abstract IEnumerable<string> Columns();

    /// <summary>numeric column compared with a public constant.</summary>
    public sealed record Comparison(string Column, CompareOp Op, double Value) : RowFilter
    {
        public override IEnumerable<string> Columns() => [Column];
        public override string ToString() => $"{Column} {Symbol(Op)} {Value.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Categorical column in a set of domain values.</summary>
    public sealed record Membership(string Column, IReadOnlyList<string> Values) : RowFilter
    {
        public override IEnumerable<string> Columns() => [Column];
        public override string ToString() => $"{Column} in ({string.Join(", ", Values)})";
    }

    public sealed record All(RowFilter Left, RowFilter Right) : RowFilter
    {
        public override IEnumerable<string> Columns() => Left.Columns().Concat(Right.Columns());
        public override string ToString() => $"({Left} and {Right})";
    }

    public sealed record Any(RowFilter Left, RowFilter Right) : RowFilter
    {
        public override IEnumerable<string> Columns() => Left.Columns().Concat(Right.Columns());
        public override string ToString() => $"({Left} or {Right})";
    }

    public sealed record Negation(RowFilter Inner) : RowFilter
    {
        public override IEnumerable<string> Columns() => Inner.Columns();
        public override string ToString() => $"not {Inner}";
    }

    internal static string Symbol(CompareOp op) => op switch
    {
        CompareOp.Less => "<", CompareOp.LessOrEqual => "<=", CompareOp.Greater => ">",
        CompareOp.GreaterOrEqual => ">=", CompareOp.Equal => "==", _ => "!=",
    };

    /// <summary>
    /// Parses a filter: <c>age &gt;= 65</c>, <c>state in (CA, TX)</c>, <c>not (a &lt; 3 or b == 1) and c in ('x y', z)</c>.
    /// Operators: &lt; &lt;= &gt; &gt;= == = != ; keywords and, or, not, in (any case); "and" binds tighter than "or".
    /// </summary>
    public static RowFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var p = new FilterParser(text);
        var f = p.ParseOr();
        p.ExpectEnd();
        return f;
    }
}

/// <summary>A filter could not be parsed; the message shows where.</summary>
public sealed class FilterSyntaxException(string message) : SmpcException(message);
