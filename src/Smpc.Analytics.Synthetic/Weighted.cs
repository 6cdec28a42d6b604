namespace Smpc.Analytics.Synthetic;

/// <summary>A finite distribution: values with relative weights, sampled by binary search on the cumulative sums.</summary>
internal sealed class Weighted<T>
{
    readonly T[] _values;
    readonly double[] _cumulative;

    public Weighted(IEnumerable<(T Value, double Weight)> items)
    {
        var list = items.ToArray();
        if (list.Length == 0 || list.Any(i => !(i.Weight >= 0)) || list.Sum(i => i.Weight) <= 0)
            throw new ArgumentException("A weighted table needs at least one value and non-negative weights with a positive sum.");
        _values = list.Select(i => i.Value).ToArray();
        _cumulative = new double[list.Length];
        double total = 0;
        for (int i = 0; i < list.Length; i++) { total += list[i].Weight; _cumulative[i] = total; }
    }

    public IReadOnlyList<T> Values => _values;

    public T Pick(Prng rng)
    {
        double u = rng.NextDouble() * _cumulative[^1];
        int i = Array.BinarySearch(_cumulative, u);
        i = i < 0 ? ~i : i + 1;                       // first cumulative strictly above u
        return _values[Math.Min(i, _values.Length - 1)];
    }

    /// <summary>Parses "A:1.5,B:2" into a table of strings.</summary>
    public static Weighted<string> Parse(string spec) => new(spec.Split(',').Select(item =>
    {
        int colon = item.LastIndexOf(':');
        return (item[..colon].Trim(), double.Parse(item[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }));
}
