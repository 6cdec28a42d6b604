namespace Smpc.Analytics.Synthetic;

/// <summary>
/// The 50 states and DC with 2020 Census resident population (millions) as weights, and a tilt for where
/// veterans live relative to everyone (states with large bases and retiree destinations hold more veterans
/// per head; the large coastal metros fewer).
/// </summary>
internal static class States
{
    static readonly (string Code, double Population)[] Table =
    [
        ("AK", 0.73), ("AL", 5.02), ("AR", 3.01), ("AZ", 7.15), ("CA", 39.54), ("CO", 5.77), ("CT", 3.61), ("DC", 0.69),
        ("DE", 0.99), ("FL", 21.54), ("GA", 10.71), ("HI", 1.46), ("IA", 3.19), ("ID", 1.84), ("IL", 12.81), ("IN", 6.79),
        ("KS", 2.94), ("KY", 4.51), ("LA", 4.66), ("MA", 7.03), ("MD", 6.18), ("ME", 1.36), ("MI", 10.08), ("MN", 5.71),
        ("MO", 6.15), ("MS", 2.96), ("MT", 1.08), ("NC", 10.44), ("ND", 0.78), ("NE", 1.96), ("NH", 1.38), ("NJ", 9.29),
        ("NM", 2.12), ("NV", 3.10), ("NY", 20.20), ("OH", 11.80), ("OK", 3.96), ("OR", 4.24), ("PA", 13.00), ("RI", 1.10),
        ("SC", 5.12), ("SD", 0.89), ("TN", 6.91), ("TX", 29.15), ("UT", 3.27), ("VA", 8.63), ("VT", 0.64), ("WA", 7.71),
        ("WI", 5.89), ("WV", 1.79), ("WY", 0.58),
    ];

    static readonly Dictionary<string, double> VeteranTilt = new(StringComparer.Ordinal)
    {
        ["VA"] = 1.8, ["AK"] = 1.7, ["MT"] = 1.5, ["WY"] = 1.5, ["ME"] = 1.4, ["SC"] = 1.3, ["NV"] = 1.3, ["FL"] = 1.2,
        ["HI"] = 1.2, ["ID"] = 1.2, ["AL"] = 1.2, ["NY"] = 0.65, ["CA"] = 0.75, ["NJ"] = 0.7, ["MA"] = 0.8, ["IL"] = 0.8,
    };

    /// <summary>State codes in alphabetical order (the categorical domain).</summary>
    public static readonly IReadOnlyList<string> Codes = Table.Select(t => t.Code).ToArray();

    public static readonly Weighted<string> Everyone = new(Table.Select(t => (t.Code, t.Population)));

    public static readonly Weighted<string> Veterans = new(Table.Select(t => (t.Code, t.Population * VeteranTilt.GetValueOrDefault(t.Code, 1.0))));
}
