namespace Smpc.Analytics.Synthetic;

/// <summary>
/// A counter-based pseudo-random stream: SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014) seeded from (seed, stream, index). Every person, every record and every dataset
/// shuffle has its own stream, so a value never depends on the order things are generated in, and the same
/// seed gives the same bits on every platform (no System.Random, no C-library maths; see <see cref="DetMath"/>).
/// Not cryptographic: it only has to look random to a statistician.
/// </summary>
internal sealed class Prng
{
    ulong _state;
    double? _spareNormal;

    public Prng(ulong seed, Stream stream, long index)
    {
        ulong h = Mix(seed + 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ ((ulong)stream * 0xD1B54A32D192ED03UL));
        _state = Mix(h ^ ((ulong)index * 0xAEF17502108EF2D9UL + 0x2545F4914F6CDD1DUL));
    }

    /// <summary>Independent streams of one generation run.</summary>
    public enum Stream : ulong
    {
        Person = 1, Veteran, Bank, Survey, VeteranRecord, BankRecord, SurveyRecord, Layout, Shuffle, Duplicates,
    }

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong() => Mix(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire's multiply-shift with rejection).</summary>
    public int Next(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive.");
        ulong bound = (ulong)n, threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong x = NextULong();
            UInt128 product = (UInt128)x * bound;
            if ((ulong)product >= threshold) return (int)(product >> 64);
        }
    }

    /// <summary>Uniform integer in [lo, hi] (inclusive).</summary>
    public int Between(int lo, int hi) => lo + Next(hi - lo + 1);

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Marsaglia's polar method, with <see cref="DetMath.Log"/>).</summary>
    public double Normal()
    {
        if (_spareNormal is { } spare) { _spareNormal = null; return spare; }
        while (true)
        {
            double u = 2 * NextDouble() - 1, v = 2 * NextDouble() - 1, s = u * u + v * v;
            if (s is >= 1 or < 1e-300) continue;
            double f = Math.Sqrt(-2 * DetMath.Log(s) / s);
            _spareNormal = v * f;
            return u * f;
        }
    }

    public double Normal(double mean, double sd) => mean + sd * Normal();

    /// <summary>exp(N(μ, σ²)): median e^μ.</summary>
    public double LogNormal(double mu, double sigma) => DetMath.Exp(mu + sigma * Normal());

    public static double Logistic(double x) => 1 / (1 + DetMath.Exp(-Math.Clamp(x, -700, 700)));
}
