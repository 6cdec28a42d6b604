using CsCheck;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Engine;

/// <summary>
/// One suite, run against every engine: each operation must equal the plaintext definition computed
/// here with ordinary C# on random and edge values (0, −1, ends of the fixed-point range, ties).
/// </summary>
public abstract class EngineConformance : IDisposable
{
    protected abstract IComputeEngine CreateEngine();
    readonly IComputeEngine _engine;
    protected EngineConformance() => _engine = CreateEngine();
    public void Dispose() => _engine.Dispose();

    static readonly long FixedMax = (1L << 62) - 1;

    // Values whose pairwise differences stay below 2^63 (the comparison precondition), edge values included.
    static readonly Gen<long> Value = Gen.Frequency(
        (1, Gen.OneOf(Gen.Const(0L), Gen.Const(-1L), Gen.Const(1L), Gen.Const(FixedMax), Gen.Const(-FixedMax), Gen.Const(1L << 16), Gen.Const(-(1L << 16)))),
        (4, Gen.Long[-FixedMax, FixedMax]),
        (2, Gen.Long[-1000, 1000]));

    static readonly Gen<long[]> Vector = Value.Array[1, 200];
    static readonly Gen<(long[], long[])> Pair = Gen.Int[1, 200].SelectMany(n => Gen.Select(Value.Array[n], Value.Array[n]))
        .Select((a, b) => { for (int i = 0; i < a.Length; i += 3) b[i] = a[i]; return (a, b); }); // every third pair ties

    SecretVector Share(long[] v) => _engine.Share(v.Select(x => (ulong)x).ToArray());
    long[] Reveal(SecretVector v) => _engine.Reveal(v).Select(x => (long)x).ToArray();

    [Fact]
    public void Share_then_reveal_is_identity() =>
        Vector.Sample(v => Assert.Equal(v, Reveal(Share(v))), iter: 30);

    [Fact]
    public void Add_subtract_and_public_constants_wrap_mod_2_64() =>
        Pair.Sample(p =>
        {
            var (a, b) = p;
            var x = Share(a); var y = Share(b);
            Assert.Equal(a.Zip(b, (u, v) => unchecked(u + v)), Reveal(_engine.Add(x, y)));
            Assert.Equal(a.Zip(b, (u, v) => unchecked(u - v)), Reveal(_engine.Subtract(x, y)));
            Assert.Equal(a.Select(u => unchecked(u + 12345)), Reveal(_engine.AddPublic(x, 12345)));
            Assert.Equal(a.Select(u => unchecked(u * -7)), Reveal(_engine.MultiplyPublic(x, unchecked((ulong)-7L))));
        }, iter: 20);

    [Fact]
    public void Multiply_sum_and_dot_equal_plaintext() =>
        Pair.Sample(p =>
        {
            var (a, b) = p;
            var x = Share(a); var y = Share(b);
            Assert.Equal(a.Zip(b, (u, v) => unchecked(u * v)), Reveal(_engine.Multiply(x, y)));
            Assert.Equal(a.Aggregate(0L, (s, u) => unchecked(s + u)), Reveal(_engine.Sum(x))[0]);
            var dots = Reveal(_engine.Dot([(x, y), (x, x)]));
            Assert.Equal(a.Zip(b).Aggregate(0L, (s, t) => unchecked(s + t.First * t.Second)), dots[0]);
            Assert.Equal(a.Aggregate(0L, (s, u) => unchecked(s + u * u)), dots[1]);
        }, iter: 20);

    [Fact]
    public void Fixed_point_multiply_is_the_exact_floor_of_the_encoded_product()
    {
        var fp = new FixedPoint(16);
        double bound = Math.Sqrt(fp.MaxProductMagnitude) * 0.999;
        var gen = Gen.Double[-bound, bound].Array[1, 100];
        Gen.Select(gen, gen).Sample((a0, b0) =>
        {
            int n = Math.Min(a0.Length, b0.Length);
            var a = fp.Encode(a0[..n].Concat([0.0, -1.0, bound, -bound, -1.5e-5]).ToArray());
            var b = fp.Encode(b0[..n].Concat([-1.0, 0.0, bound, bound, 3.0]).ToArray());
            var got = _engine.Reveal(_engine.Truncate(_engine.Multiply(_engine.Share(a), _engine.Share(b)), 16));
            for (int i = 0; i < a.Length; i++)
            {
                // floor(a·b / 2^16) of the encodings, computed without wrap-around: the documented result, bit for bit.
                long expected = (long)(((Int128)(long)a[i] * (long)b[i]) >> 16);
                Assert.Equal(expected, (long)got[i]);
            }
        }, iter: 15);
    }

    [Fact]
    public void Fixed_point_encoding_rejects_values_out_of_range()
    {
        var fp = new FixedPoint(16);
        var ex = Assert.Throws<RangeException>(() => fp.Encode([1.0, fp.MaxMagnitude], "balance"));
        Assert.Contains("'balance' at row 1", ex.Message);
        Assert.Throws<RangeException>(() => fp.Encode(double.NaN));
        Assert.Throws<RangeException>(() => fp.CheckProduct(1e6, 1e6, "balance × balance"));
    }

    [Fact]
    public void Comparisons_equal_plaintext() =>
        Pair.Sample(p =>
        {
            var (a, b) = p;
            var x = Share(a); var y = Share(b);
            Assert.Equal(a.Zip(b, (u, v) => u < v), _engine.Reveal(_engine.LessThan(x, y)));
            Assert.Equal(a.Zip(b, (u, v) => u == v), _engine.Reveal(_engine.Equal(x, y)));
            Assert.Equal(a.Select(u => u < 5), _engine.Reveal(_engine.LessThan(x, 5)));
            Assert.Equal(a.Select(u => u > -1), _engine.Reveal(_engine.GreaterThan(x, unchecked((ulong)-1L))));
            Assert.Equal(a.Select(u => u == a[0]), _engine.Reveal(_engine.Equal(x, (ulong)a[0])));
        }, iter: 10);

    [Fact]
    public void Bit_logic_and_bit_injection_equal_plaintext() =>
        Pair.Sample(p =>
        {
            var (a, b) = p;
            var lt = _engine.LessThan(Share(a), Share(b));
            var neg = _engine.LessThan(Share(a), 0);
            bool[] l = a.Zip(b, (u, v) => u < v).ToArray(), n = a.Select(u => u < 0).ToArray();
            Assert.Equal(l.Zip(n, (u, v) => u & v), _engine.Reveal(_engine.And(lt, neg)));
            Assert.Equal(l.Zip(n, (u, v) => u | v), _engine.Reveal(_engine.Or(lt, neg)));
            Assert.Equal(l.Zip(n, (u, v) => u ^ v), _engine.Reveal(_engine.Xor(lt, neg)));
            Assert.Equal(l.Select(u => !u), _engine.Reveal(_engine.Not(lt)));
            Assert.Equal(l.Select(u => u ? 1L : 0L), Reveal(_engine.ToArithmetic(lt)));
        }, iter: 10);

    [Fact]
    public void BitsOf_gives_the_64_bits_of_every_word_in_order() =>
        Gen.Long.Array[1, 100].Sample(v =>
        {
            var bits = _engine.Reveal(_engine.BitsOf(Share(v)));
            Assert.Equal(64 * v.Length, bits.Length);
            for (int i = 0; i < bits.Length; i++) Assert.Equal(((ulong)v[i / 64] >> (i % 64) & 1) == 1, bits[i]);
            Assert.Equal(v.Select(w => (long)ulong.PopCount((ulong)w)), Reveal(_engine.Dot([.. Enumerable.Range(0, v.Length).Select(i =>
                (_engine.Gather(_engine.ToArithmetic(_engine.BitsOf(Share(v))), [.. Enumerable.Range(64 * i, 64)]), _engine.Public(Enumerable.Repeat(1UL, 64).ToArray())))])));
        }, iter: 10);

    [Fact]
    public void Shuffle_is_a_permutation_of_aligned_rows() =>
        Vector.Sample(v =>
        {
            var tag = v.Select((_, i) => (long)i).ToArray();
            var cols = _engine.Shuffle([Share(v), Share(tag)]);
            var values = Reveal(cols[0]); var tags = Reveal(cols[1]);
            Assert.Equal(tag, tags.OrderBy(t => t));
            for (int i = 0; i < v.Length; i++) Assert.Equal(v[tags[i]], values[i]);
        }, iter: 10);

    [Fact]
    public void Reveals_are_logged_with_audience_and_purpose()
    {
        var x = Share([1, 2, 3]);
        Assert.Equal([1UL, 2, 3], _engine.RevealToParties(x, "shuffled pseudonyms"));
        Assert.Equal([true, false, false], _engine.RevealToParties(_engine.LessThan(x, 2), "sort outcome"));
        _engine.Reveal(_engine.Sum(x), "total");
        var log = _engine.Reveals;
        Assert.Equal(3, log.Count);
        Assert.Equal((RevealAudience.ComputeParties, "shuffled pseudonyms", 3), (log[0].Audience, log[0].Purpose, log[0].Elements));
        Assert.Equal((RevealAudience.Analyst, "total", 1), (log[2].Audience, log[2].Purpose, log[2].Elements));
    }

    [Fact]
    public void Gather_and_concat_select_rows()
    {
        var x = Share([10, 20, 30, 40]);
        Assert.Equal([40, 10, 10], Reveal(_engine.Gather(x, [3, 0, 0])));
        Assert.Equal([10, 20, 30, 40, 10, 20, 30, 40], Reveal(_engine.Concat([x, x])));
        Assert.Throws<ArgumentOutOfRangeException>(() => _engine.Gather(x, [4]));
    }

    [Fact]
    public void Vectors_of_different_lengths_are_refused_with_a_clear_error()
    {
        var ex = Assert.ThrowsAny<SmpcException>(() => _engine.Multiply(Share([1, 2, 3]), Share([1, 2])));
        Assert.Contains("different lengths (2 and 3)", ex.Message.Replace("(3 and 2)", "(2 and 3)"));
    }
}

public sealed class SecureEngineConformance : EngineConformance
{
    protected override IComputeEngine CreateEngine() => new SecureEngine();
}

public sealed class PlaintextEngineConformance : EngineConformance
{
    protected override IComputeEngine CreateEngine() => new PlaintextEngine();
}
