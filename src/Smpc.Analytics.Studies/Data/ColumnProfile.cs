using System.Globalization;
using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Studies;

/// <summary>
/// What one pass over a column shows, for <see cref="SchemaInference"/>: how many values are missing, whether every
/// value is a boolean, an integer or a number (and with how many decimals), the range, the distinct values up to a
/// cap, and how many values look like an SSN or a date.
/// </summary>
internal sealed class ColumnProfile(string name, int maxDistinct)
{
    static readonly string[] DateLayouts = ["yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd", "MM/dd/yyyy", "M/d/yyyy", "dd/MM/yyyy", "d/M/yyyy",
                                            "dd.MM.yyyy", "d.M.yyyy", "dd-MM-yyyy", "MM-dd-yyyy"];

    readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    readonly int[] _layoutHits = new int[DateLayouts.Length];
    readonly Dictionary<string, int> _ssnLayouts = new(StringComparer.Ordinal);

    public string Name { get; } = name;
    public long Rows { get; private set; }
    public long Missing { get; private set; }
    public long Present => Rows - Missing;
    public bool AllBool { get; private set; } = true;
    public bool AllInteger { get; private set; } = true;
    public bool AllNumber { get; private set; } = true;
    public bool AnyText { get; private set; }
    public int MaxDecimals { get; private set; }
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public bool TooManyDistinct { get; private set; }
    public IReadOnlyCollection<string> Distinct => _distinct;
    public long SsnLike { get; private set; }
    public long DateLike { get; private set; }

    public void Add(object? cell)
    {
        Rows++;
        if (cell is null || cell is string { Length: 0 }) { Missing++; return; }
        string text = cell switch
        {
            string s => s,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => cell.ToString() ?? "",
        };
        if (!TooManyDistinct && _distinct.Add(text) && _distinct.Count > maxDistinct) TooManyDistinct = true;

        bool isBool = cell is bool || text.Trim().ToLowerInvariant() is "true" or "false";
        AllBool &= isBool;
        double? number = cell switch
        {
            long l => l,
            double d => d,
            bool => null,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) => x,
            _ => null,
        };
        if (cell is string) AnyText = true;
        if (number is { } v)
        {
            Min = Math.Min(Min, v);
            Max = Math.Max(Max, v);
            bool integral = cell is long || (v == Math.Floor(v) && !text.Contains('.') && !text.Contains('e', StringComparison.OrdinalIgnoreCase)) || (cell is double && v == Math.Floor(v));
            AllInteger &= integral;
            MaxDecimals = Math.Max(MaxDecimals, Decimals(text));
        }
        else
        {
            AllNumber = false;
            AllInteger = false;
        }
        if (cell is string t)
        {
            if (SsnLayout(t) is { } layout) { SsnLike++; _ssnLayouts[layout] = _ssnLayouts.GetValueOrDefault(layout) + 1; }
            if (number is null && Normalize.DateOfBirth(t, DateOnly.MaxValue) is not null) DateLike++;
            for (int k = 0; k < DateLayouts.Length; k++)
                if (DateOnly.TryParseExact(t.Trim(), DateLayouts[k], CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) _layoutHits[k]++;
        }
    }

    /// <summary>The first date layout that reads at least 90% of the present values, if any.</summary>
    public string? DateLayout()
    {
        for (int k = 0; k < DateLayouts.Length; k++)
            if (Present > 0 && _layoutHits[k] >= 0.9 * Present) return DateLayouts[k];
        return null;
    }

    /// <summary>Share of present values that parse in some known date layout.</summary>
    public double DateShare => Present == 0 ? 0 : Math.Max(DateLike, _layoutHits.Max()) / (double)Present;

    /// <summary>The SSN layouts seen, most common first (e.g. "ddd-dd-dddd, nine digits").</summary>
    public string SsnLayouts() => string.Join(", ", _ssnLayouts.OrderByDescending(p => p.Value).Select(p => p.Key));

    /// <summary>"ddd-dd-dddd", "ddd.dd.dddd", "ddd dd dddd" or "nine digits" when the text has an SSN's shape.</summary>
    static string? SsnLayout(string s)
    {
        var t = s.Trim();
        if (t.Length == 9 && t.All(char.IsAsciiDigit)) return "nine digits";
        if (t.Length == 11 && t[3] == t[6] && t[3] is '-' or '.' or ' ' && t.Remove(6, 1).Remove(3, 1).All(char.IsAsciiDigit))
            return $"ddd{t[3]}dd{t[3]}dddd";
        return null;
    }

    static int Decimals(string text)
    {
        text = text.Trim();
        int e = text.IndexOfAny(['e', 'E']);
        var mantissa = e < 0 ? text : text[..e];
        int dot = mantissa.IndexOf('.');
        int decimals = dot < 0 ? 0 : mantissa.Trim().Length - dot - 1;
        if (e >= 0 && int.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int exp)) decimals = Math.Max(0, decimals - exp);
        return decimals;
    }
}
