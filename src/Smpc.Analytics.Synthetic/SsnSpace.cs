namespace Smpc.Analytics.Synthetic;

/// <summary>
/// Issues every synthetic person a distinct, valid-looking Social Security number and renders the defects
/// agencies see. Valid: area 001–899 except 666, group 01–99, serial 0001–9999, and not all one digit
/// (area 666 is excluded already; the rules of SSA's randomised assignment since 2011; 9xx areas are ITINs). Person i gets the
/// ((a·i + b) mod M)-th valid number, a bijection (gcd(a, M) = 1), so no two people ever share one.
/// </summary>
internal sealed class SsnSpace
{
    const long Areas = 898, Groups = 99, Serials = 9999;
    static readonly long[] AllSameRanks = Enumerable.Range(1, 8).Where(d => d != 6).Select(d => RankOf(d * 111, d * 11, d * 1111)).Order().ToArray();
    static readonly long Count = Areas * Groups * Serials - AllSameRanks.Length;

    readonly long _a, _b;

    public SsnSpace(ulong seed)
    {
        var rng = new Prng(seed, Prng.Stream.Layout, 17);
        long a = (long)(rng.NextULong() % (ulong)(Count - 2)) + 2;
        while (Gcd(a, Count) != 1) a++;
        _a = a;
        _b = (long)(rng.NextULong() % (ulong)Count);
    }

    /// <summary>Person index → SSN as a 9-digit number (area·10^6 + group·10^4 + serial).</summary>
    public int ForPerson(int index)
    {
        long k = (long)(((UInt128)(ulong)_a * (ulong)index + (ulong)_b) % (ulong)Count);
        foreach (long skip in AllSameRanks) if (k >= skip) k++;       // step over the all-same-digit numbers
        long serial = k % Serials + 1, group = k / Serials % Groups + 1, areaIndex = k / (Serials * Groups);
        long area = areaIndex + 1 >= 666 ? areaIndex + 2 : areaIndex + 1;
        return (int)(area * 1_000_000 + group * 10_000 + serial);
    }

    static long RankOf(int area, int group, int serial) =>
        ((area > 666 ? area - 2 : area - 1) * Groups + (group - 1)) * Serials + (serial - 1);

    static long Gcd(long x, long y) { while (y != 0) (x, y) = (y, x % y); return x; }

    public static bool IsValid(int ssn)
    {
        int area = ssn / 1_000_000, group = ssn / 10_000 % 100, serial = ssn % 10_000;
        string d = ssn.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
        return area is >= 1 and <= 899 && area != 666 && group != 0 && serial != 0 && d.Distinct().Count() > 1;
    }

    /// <summary>A never-issued number of one of the kinds agencies actually find in their files.</summary>
    public static int Invalid(Prng rng) => rng.Next(6) switch
    {
        0 => rng.Between(1, 99) * 10_000 + rng.Between(1, 9999),                          // area 000
        1 => 666_000_000 + rng.Between(1, 99) * 10_000 + rng.Between(1, 9999),            // area 666
        2 => rng.Between(900, 999) * 1_000_000 + rng.Between(1, 99) * 10_000 + rng.Between(1, 9999), // 9xx (ITIN range)
        3 => rng.Between(1, 665) * 1_000_000 + rng.Between(1, 9999),                       // group 00
        4 => rng.Between(1, 665) * 1_000_000 + rng.Between(1, 99) * 10_000,                // serial 0000
        _ => rng.Between(1, 9) * 111_111_111,                                               // all one digit
    };

    /// <summary>One digit changed, or two adjacent different digits swapped; always a different number.</summary>
    public static int Typo(int ssn, Prng rng)
    {
        var d = ssn.ToString("D9", System.Globalization.CultureInfo.InvariantCulture).ToCharArray();
        int i = rng.Next(8);
        if (rng.Chance(0.3) && d[i] != d[i + 1]) (d[i], d[i + 1]) = (d[i + 1], d[i]);
        else { int j = rng.Next(9); d[j] = (char)('0' + (d[j] - '0' + rng.Between(1, 9)) % 10); }
        return int.Parse(d, provider: System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string Format(int ssn, SsnLayout layout)
    {
        string d = ssn.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
        return layout switch
        {
            SsnLayout.Dashes => $"{d[..3]}-{d[3..5]}-{d[5..]}",
            SsnLayout.Spaces => $"{d[..3]} {d[3..5]} {d[5..]}",
            SsnLayout.Digits => d,
            SsnLayout.Numeric => ssn.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(layout)),
        };
    }
}

internal enum SsnLayout { Dashes, Spaces, Digits, Numeric }
