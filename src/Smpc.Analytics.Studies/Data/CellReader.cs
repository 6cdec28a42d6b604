using System.Globalization;
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Studies;

/// <summary>
/// One column of a contributor's file read against its spec into the typed array the contributor holds
/// (<see cref="ColumnKind.Integer"/> → long?[], fixed point → double?[], boolean → bool?[], categorical and identifiers
/// → string?[]). The rules are the encoder's (Columnar/Encoding/ColumnEncoder): numbers in the invariant culture,
/// booleans true/false/1/0, categories matched exactly against the domain, values inside [min, max]. A value that
/// breaks a rule becomes a <see cref="DataProblem"/> and the reading goes on, so one pass finds every problem.
/// </summary>
internal abstract class CellReader(string column)
{
    public string Column { get; } = column;
    public abstract void Add(object? cell, Action<DataProblemKind, string> problem);
    public abstract Array ToArray();

    public static CellReader For(ColumnSpec spec) => spec.Kind switch
    {
        ColumnKind.Integer => new Numbers<long>(spec, IntegerOf),
        ColumnKind.FixedPoint => new Numbers<double>(spec, RealOf),
        ColumnKind.Boolean => new Values<bool>(spec.Name, spec.Nullable, BoolOf),
        ColumnKind.Categorical => new Texts(spec.Name, spec.Nullable, CategoryOf(spec)),
        _ => throw new SchemaException($"Column '{spec.Name}' is declared {spec.Kind}; pseudonym columns are made by the study from identifiers, not read from files."),
    };

    public static CellReader For(IdentifierSpec spec) => new Texts(spec.Name, spec.Nullable, v => (TextOf(v), null));

    static bool Missing(object? cell) => cell is null || cell is string { Length: 0 };

    static string TextOf(object v) => v switch
    {
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    static string Show(object v) => v is string s ? $"'{s}'" : TextOf(v);

    static (long?, string?) IntegerOf(object v)
    {
        switch (v)
        {
            case long l: return (l, null);
            case double d when double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18: return ((long)d, null);
            case double d: return (null, $"{Show(d)} is not a whole number");
            case string s:
                if (long.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out long x)) return (x, null);
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && double.IsFinite(f))
                    return f == Math.Floor(f) && Math.Abs(f) < 9.2e18 ? ((long)f, null) : (null, $"'{s}' is not a whole number");
                return (null, $"'{s}' is not an integer");
            default: return (null, $"{Show(v)} ({v.GetType().Name}) is not an integer");
        }
    }

    static (double?, string?) RealOf(object v) => v switch
    {
        long l => (l, null),
        ulong u => (u, null),
        double d => (d, null),
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) => (x, null),
        string s => (null, $"'{s}' is not a number (use '.' as the decimal point, no thousands separators)"),
        _ => (null, $"{Show(v)} ({v.GetType().Name}) is not a number"),
    };

    static (bool?, string?, DataProblemKind) BoolOf(object v) => v switch
    {
        bool b => (b, null, default),
        long l when l is 0 or 1 => (l == 1, null, default),
        string s => s.Trim().ToLowerInvariant() switch
        {
            "true" or "1" => (true, null, default),
            "false" or "0" => (false, null, default),
            _ => (null, $"'{s}' is not true/false (or 1/0)", DataProblemKind.NotNumeric),
        },
        _ => (null, $"{Show(v)} is not true/false (or 1/0)", DataProblemKind.NotNumeric),
    };

    static Func<object, (string?, (DataProblemKind, string)?)> CategoryOf(ColumnSpec spec)
    {
        var domain = spec.Domain!.ToHashSet(StringComparer.Ordinal);
        string listed = spec.Domain!.Count <= 20 ? string.Join(", ", spec.Domain!) : string.Join(", ", spec.Domain!.Take(20)) + $", … ({spec.Domain!.Count} values)";
        return v =>
        {
            var s = TextOf(v);
            return domain.Contains(s) ? (s, null) : (null, (DataProblemKind.UnknownCategory, $"'{s}' is not in the declared domain ({listed})"));
        };
    }

    /// <summary>Integers and fixed point: parsed, then checked against the declared bounds.</summary>
    sealed class Numbers<T>(ColumnSpec spec, Func<object, (T?, string?)> parse) : CellReader(spec.Name) where T : struct, IConvertible
    {
        readonly List<T?> _values = [];

        public override void Add(object? cell, Action<DataProblemKind, string> problem)
        {
            if (Missing(cell))
            {
                if (!spec.Nullable) problem(DataProblemKind.MissingValue, "the value is missing, but the column is not declared nullable");
                _values.Add(null);
                return;
            }
            var (value, error) = parse(cell!);
            if (value is not { } v)
            {
                problem(DataProblemKind.NotNumeric, error!);
                _values.Add(null);
                return;
            }
            double x = v.ToDouble(CultureInfo.InvariantCulture);
            if (x < spec.Min || x > spec.Max)
                problem(DataProblemKind.OutOfRange, $"{x.ToString("R", CultureInfo.InvariantCulture)} is outside the declared range [{Bound(spec.Min)}, {Bound(spec.Max)}]");
            _values.Add(v);
        }

        public override Array ToArray() => _values.ToArray();

        static string Bound(double? b) => b?.ToString("R", CultureInfo.InvariantCulture) ?? "?";
    }

    sealed class Values<T>(string column, bool nullable, Func<object, (T?, string?, DataProblemKind)> parse) : CellReader(column) where T : struct
    {
        readonly List<T?> _values = [];

        public override void Add(object? cell, Action<DataProblemKind, string> problem)
        {
            if (Missing(cell))
            {
                if (!nullable) problem(DataProblemKind.MissingValue, "the value is missing, but the column is not declared nullable");
                _values.Add(null);
                return;
            }
            var (value, error, kind) = parse(cell!);
            if (error is not null) problem(kind, error);
            _values.Add(value);
        }

        public override Array ToArray() => _values.ToArray();
    }

    sealed class Texts(string column, bool nullable, Func<object, (string?, (DataProblemKind, string)?)> parse) : CellReader(column)
    {
        readonly List<string?> _values = [];

        public override void Add(object? cell, Action<DataProblemKind, string> problem)
        {
            if (Missing(cell))
            {
                if (!nullable) problem(DataProblemKind.MissingValue, "the value is missing, but the column is not declared nullable");
                _values.Add(null);
                return;
            }
            var (value, error) = parse(cell!);
            if (error is { } e) problem(e.Item1, e.Item2);
            _values.Add(value);
        }

        public override Array ToArray() => _values.ToArray();
    }
}
