namespace Smpc.Analytics.Synthetic.Tests;

public class RandomnessTests
{
    static long Ulps(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    [Fact]
    public void DetMath_agrees_with_the_C_library_to_a_few_ulp()
    {
        long worstExp = 0, worstLog = 0;
        for (double x = -700; x <= 700; x += 0.0371) worstExp = Math.Max(worstExp, Ulps(Math.Exp(x), DetMath.Exp(x)));
        for (double x = 1e-300; x < 1e300; x *= 1.0137)
            worstLog = Math.Max(worstLog, Ulps(Math.Log(x), DetMath.Log(x)));
        for (double x = 0.01; x < 3; x += 0.000731)
            worstLog = Math.Max(worstLog, Ulps(Math.Log(x), DetMath.Log(x)));
        Assert.True(worstExp <= 2, $"exp differs from the C library by up to {worstExp} ulp");
        Assert.True(worstLog <= 2, $"log differs from the C library by up to {worstLog} ulp");
        Assert.Equal(0.0, DetMath.Log(1));
        Assert.Equal(1.0, DetMath.Exp(0));
        Assert.True(Math.Abs(DetMath.Log(1 + 1e-9) - Math.Log(1 + 1e-9)) < 1e-24);
        Assert.Throws<ArgumentOutOfRangeException>(() => DetMath.Log(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DetMath.Exp(1000));
    }

    [Fact]
    public void Streams_are_reproducible_and_independent()
    {
        ulong[] Draw(ulong seed, Prng.Stream s, long i) { var r = new Prng(seed, s, i); return Enumerable.Range(0, 8).Select(_ => r.NextULong()).ToArray(); }
        Assert.Equal(Draw(5, Prng.Stream.Person, 17), Draw(5, Prng.Stream.Person, 17));
        Assert.NotEqual(Draw(5, Prng.Stream.Person, 17), Draw(5, Prng.Stream.Person, 18));
        Assert.NotEqual(Draw(5, Prng.Stream.Person, 17), Draw(5, Prng.Stream.Bank, 17));
        Assert.NotEqual(Draw(5, Prng.Stream.Person, 17), Draw(6, Prng.Stream.Person, 17));

        var rng = new Prng(1, Prng.Stream.Layout, 0);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[rng.Next(7)]++;
        Assert.All(counts, c => Check.Proportion(1.0 / 7, c, 70_000, "Next(7) bucket"));
        double sum = 0, squares = 0;
        for (int i = 0; i < 100_000; i++) { double z = rng.Normal(); sum += z; squares += z * z; }
        Check.Close(0, sum / 100_000, 0.02, "mean of N(0,1) draws");
        Check.Close(1, squares / 100_000, 0.02, "variance of N(0,1) draws");
    }

    [Fact]
    public void Every_person_gets_a_distinct_valid_ssn()
    {
        var space = new SsnSpace(2026);
        var seen = new HashSet<int>();
        for (int i = 0; i < 300_000; i++)
        {
            int ssn = space.ForPerson(i);
            Assert.True(SsnSpace.IsValid(ssn), $"person {i}: {ssn:D9} is not a valid SSN");
            Assert.True(seen.Add(ssn), $"person {i}: {ssn:D9} issued twice");
        }
        var rng = new Prng(9, Prng.Stream.Layout, 3);
        for (int i = 0; i < 2_000; i++) Assert.False(SsnSpace.IsValid(SsnSpace.Invalid(rng)));
        for (int i = 0; i < 2_000; i++) Assert.NotEqual(123_456_789, SsnSpace.Typo(123_456_789, rng));
        Assert.Equal("012-34-5678", SsnSpace.Format(12_345_678, SsnLayout.Dashes));
        Assert.Equal("12345678", SsnSpace.Format(12_345_678, SsnLayout.Numeric));
    }
}
