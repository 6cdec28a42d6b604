using System.Globalization;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Columnar.Encoding;

/// <summary>
/// Validates and encodes one column's plaintext values into Z_2^64, row by row, against its
/// <see cref="ColumnSpec"/>: integers as themselves (two's complement), fixed point as round(v·2^f),
/// categorical values as their code (CategoryCode: the domain index, +1 in a nullable column), booleans as 0/1, pseudonyms as their 64 bits,
/// a missing value as 0 with presence 0. Declared bounds, domains and nullability are enforced here; every
/// refusal names the place (the caller's <c>where</c>) and the rule.
/// Shared by <see cref="ContributorEncoder"/> (in-memory tables) and the streaming contributor (CSV and
/// Arrow files), so both encode identically.
/// </summary>
internal sealed class ColumnEncoder
{
    readonly Dictionary<string, int>? _domain;
    readonly FixedPoint _fp;
    readonly int _first;
    ulong[]? _values;
    ulong[]? _code;
    ulong[] _present = [];

    public ColumnEncoder(ColumnSpec spec)
    {
        Spec = spec;
        _first = spec.Kind == ColumnKind.Categorical ? CategoryCode.First(spec) : 0;
        _fp = new FixedPoint(spec.Scale);
        if (spec.Kind == ColumnKind.Categorical)
            _domain = spec.Domain!.Select((v, i) => (v, i)).ToDictionary(t => t.v, t => t.i, StringComparer.Ordinal);
    }

    public ColumnSpec Spec { get; }

    /// <summary>Starts a batch of up to <paramref name="capacity"/> rows (fresh arrays: earlier batches keep theirs).</summary>
    public void Begin(int capacity)
    {
        _present = new ulong[capacity];
        if (Spec.Kind == ColumnKind.Categorical) { _code = new ulong[capacity]; _values = null; }
        else { _values = new ulong[capacity]; _code = null; }
    }

    /// <summary>The batch's encoding. A nullable column always carries its presence vector, so whether any value
    /// is missing is not revealed by the shape of the shares (a non-nullable column with a missing value was refused).</summary>
    public ContributorEncoder.EncodedColumn Finish(int rows)
    {
        ulong[] Trim(ulong[] a) => a.Length == rows ? a : a.AsSpan(0, rows).ToArray();
        bool withPresent = Spec.Nullable;
        return new ContributorEncoder.EncodedColumn(Spec,
            _values is null ? null : Trim(_values),
            _code is null ? null : Trim(_code),
            withPresent ? Trim(_present) : null);
    }

    // ---- typed values ------------------------------------------------------------------------------------

    public void Missing(int row, Func<int, string> where)
    {
        if (!Spec.Nullable)
            throw new SchemaException($"{where(row)}: the value is missing, but the schema does not declare it nullable.");
    }

    public void Integer(int row, long x, Func<int, string> where)
    {
        switch (Spec.Kind)
        {
            case ColumnKind.Integer:
                CheckRange(x, row, where);
                Set(row, (ulong)x);
                break;
            case ColumnKind.FixedPoint:
                Real(row, x, where);
                break;
            case ColumnKind.Pseudonym:
                Set(row, (ulong)x);
                break;
            default:
                throw WrongType(row, where, "an integer", x.ToString(CultureInfo.InvariantCulture));
        }
    }

    public void Unsigned(int row, ulong x, Func<int, string> where)
    {
        if (Spec.Kind == ColumnKind.Pseudonym) { Set(row, x); return; }
        if (x <= long.MaxValue) { Integer(row, (long)x, where); return; }
        if (Spec.Kind is ColumnKind.Integer or ColumnKind.FixedPoint)
            throw new RangeException($"{where(row)}: {x} is outside the declared range [{Spec.Min}, {Spec.Max}].");
        throw WrongType(row, where, "an unsigned integer", x.ToString(CultureInfo.InvariantCulture));
    }

    public void Real(int row, double x, Func<int, string> where)
    {
        if (double.IsNaN(x)) { Missing(row, where); return; }
        switch (Spec.Kind)
        {
            case ColumnKind.Integer:
                if (x != Math.Floor(x)) throw new SchemaException($"{where(row)}: {x.ToString(CultureInfo.InvariantCulture)} is not an integer.");
                CheckRange(x, row, where);
                Set(row, (ulong)(long)x);
                break;
            case ColumnKind.FixedPoint:
                CheckRange(x, row, where);
                Set(row, _fp.Encode(x, Math.Abs(x) < _fp.MaxMagnitude ? null : where(row)));   // names the place only on error
                break;
            default:
                throw WrongType(row, where, "a number", x.ToString(CultureInfo.InvariantCulture));
        }
    }

    public void Bool(int row, bool b, Func<int, string> where)
    {
        if (Spec.Kind != ColumnKind.Boolean) throw WrongType(row, where, "true/false", b ? "true" : "false");
        Set(row, b ? 1UL : 0UL);
    }

    /// <summary>A category of a categorical column (exact, case-sensitive match against the domain).</summary>
    public void Category(int row, string s, Func<int, string> where)
    {
        if (_domain is null) throw WrongType(row, where, "text", $"'{s}'");
        if (!_domain.TryGetValue(s, out int k))
            throw new SchemaException($"{where(row)}: '{s}' is not in the declared domain ({string.Join(", ", Spec.Domain!)}).");
        _code![row] = (ulong)(k + _first);
        _present[row] = 1;
    }

    /// <summary>A value given as text (CSV): parsed by the column's kind, then checked as a typed value.
    /// Empty text is a missing value. Numbers use the invariant culture ('.' decimal point).</summary>
    public void Text(int row, string text, Func<int, string> where)
    {
        if (text.Length == 0) { Missing(row, where); return; }
        var inv = CultureInfo.InvariantCulture;
        switch (Spec.Kind)
        {
            case ColumnKind.Categorical:
                Category(row, text, where);
                break;
            case ColumnKind.Integer:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, inv, out long l)) Integer(row, l, where);
                else if (double.TryParse(text, NumberStyles.Float, inv, out double d) && double.IsFinite(d)) Real(row, d, where);
                else throw Malformed(row, where, text, "an integer");
                break;
            case ColumnKind.FixedPoint:
                if (double.TryParse(text, NumberStyles.Float, inv, out double x) && double.IsFinite(x)) Real(row, x, where);
                else throw Malformed(row, where, text, "a number");
                break;
            case ColumnKind.Boolean:
                switch (text.Trim().ToLowerInvariant())
                {
                    case "true" or "1": Bool(row, true, where); break;
                    case "false" or "0": Bool(row, false, where); break;
                    default: throw Malformed(row, where, text, "true/false (or 1/0)");
                }
                break;
            case ColumnKind.Pseudonym:
                var t = text.Trim();
                if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && ulong.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, inv, out ulong h)) Set(row, h);
                else if (ulong.TryParse(t, NumberStyles.None, inv, out ulong u)) Set(row, u);
                else throw Malformed(row, where, text, "a 64-bit pseudonym (decimal, or hex with 0x)");
                break;
        }
    }

    /// <summary>A boxed value from an in-memory table (null, or long/int/double/float/decimal/bool/string/ulong).</summary>
    public void Object(int row, object? v, Func<int, string> where)
    {
        switch (v)
        {
            case null: Missing(row, where); break;
            case string s when Spec.Kind == ColumnKind.Categorical: Category(row, s, where); break;
            case bool b when Spec.Kind == ColumnKind.Boolean: Bool(row, b, where); break;
            case ulong u when Spec.Kind == ColumnKind.Pseudonym: Set(row, u); break;
            case long l when Spec.Kind == ColumnKind.Pseudonym: Set(row, (ulong)l); break;
            case long l when Spec.Kind is ColumnKind.Integer or ColumnKind.FixedPoint: Integer(row, l, where); break;
            case int i when Spec.Kind is ColumnKind.Integer or ColumnKind.FixedPoint: Integer(row, i, where); break;
            case double d when Spec.Kind is ColumnKind.Integer or ColumnKind.FixedPoint: Real(row, d, where); break;
            case double d when double.IsNaN(d) && Spec.Kind != ColumnKind.Categorical: Missing(row, where); break;
            case float f when Spec.Kind is ColumnKind.Integer or ColumnKind.FixedPoint: Real(row, f, where); break;
            case decimal m when Spec.Kind is ColumnKind.Integer or ColumnKind.FixedPoint: Real(row, (double)m, where); break;
            default:
                throw Spec.Kind switch
                {
                    ColumnKind.Categorical => new SchemaException($"{where(row)}: expected text for a categorical column, got {v.GetType().Name}."),
                    ColumnKind.Boolean => new SchemaException($"{where(row)}: expected true/false, got {v}."),
                    ColumnKind.Pseudonym => new SchemaException($"{where(row)}: expected a 64-bit pseudonym, got {v.GetType().Name}."),
                    _ => new SchemaException($"{where(row)}: expected a number, got {v.GetType().Name} '{v}'."),
                };
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    void Set(int row, ulong encoded)
    {
        _values![row] = encoded;
        _present[row] = 1;
    }

    void CheckRange(double x, int row, Func<int, string> where)
    {
        if (x < Spec.Min || x > Spec.Max)
            throw new RangeException($"{where(row)}: {x.ToString(CultureInfo.InvariantCulture)} is outside the declared range [{Spec.Min}, {Spec.Max}].");
    }

    SchemaException WrongType(int row, Func<int, string> where, string got, string value) =>
        new($"{where(row)}: got {got} ({value}), but column '{Spec.Name}' is {KindWords(Spec)}.");

    SchemaException Malformed(int row, Func<int, string> where, string text, string expected) =>
        new($"{where(row)}: '{text}' is not {expected}; column '{Spec.Name}' is {KindWords(Spec)}.");

    internal static string KindWords(ColumnSpec spec) => spec.Kind switch
    {
        ColumnKind.Integer => $"an integer in [{spec.Min}, {spec.Max}]",
        ColumnKind.FixedPoint => $"a number in [{spec.Min}, {spec.Max}]",
        ColumnKind.Categorical => $"categorical over ({string.Join(", ", spec.Domain!)})",
        ColumnKind.Boolean => "boolean",
        _ => "a 64-bit pseudonym",
    };
}
