// The three-party demonstration program run by `smpc party` (one OS process per party over TLS) and, unchanged,
// on LocalCluster (three threads in memory) — the same SPMD code, so the two runs can be compared.
// Party 0 and party 1 each input a deterministic seeded integer column and a fixed-point column
// (Input.Share); the parties compute a dot product, element-wise fixed-point products (with FixedPoint's range
// checked before multiplying) and a comparison, and open the three results to all parties.
// Security: semi-honest, honest majority. Leakage: the three opened results (to the three parties) and the
// row count; see LEAKAGE.md. Cost: 2 + 2 input rounds, 1 + 3 + 8 compute rounds, 3 opening rounds.
using Smpc.Analytics.Protocols;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Session;

/// <summary>What one party learned from the demo program, plus what it cost this party.</summary>
public sealed record PartyDemoResult(
    int Party, int Rows, int Seed, int FractionBits,
    long DotProduct, long[] FixedProductsRaw, double[] FixedProducts, bool[] LessThan,
    TrafficSnapshot Traffic);

public static class PartyDemo
{
    /// <summary>Integer inputs lie in [−IntegerBound, IntegerBound] (small, so the comparison sees ties).</summary>
    public const int IntegerBound = 100;

    /// <summary>Fixed-point inputs lie in [−FixedBound, FixedBound]; products stay far inside the f = 16 range.</summary>
    public const double FixedBound = 1000;

    /// <summary>Party <paramref name="owner"/>'s integer input column (owners are parties 0 and 1).</summary>
    public static long[] IntegerColumn(int owner, int rows, int seed)
    {
        var rng = new Random(unchecked(seed * 31 + owner * 2 + 1));
        return [.. Enumerable.Range(0, rows).Select(_ => (long)rng.Next(-IntegerBound, IntegerBound + 1))];
    }

    /// <summary>Party <paramref name="owner"/>'s fixed-point input column (three decimals).</summary>
    public static double[] FixedColumn(int owner, int rows, int seed)
    {
        var rng = new Random(unchecked(seed * 31 + owner * 2 + 2));
        return [.. Enumerable.Range(0, rows).Select(_ => Math.Round((rng.NextDouble() * 2 - 1) * FixedBound, 3))];
    }

    /// <summary>Runs the program at party <c>s.PartyId</c>; all three parties call it with the same arguments.</summary>
    public static PartyDemoResult Run(MpcSession s, int rows, int seed)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "The demo needs at least one row.");
        int f = s.Options.FractionBits;
        var fp = new FixedPoint(f);
        fp.CheckProduct(FixedBound, FixedBound, "demo fixed-point product x × y");
        var before = s.Traffic;

        // Inputs: only the owner generates (and knows) its columns.
        ulong[] Ints(int owner) => s.PartyId == owner ? [.. IntegerColumn(owner, rows, seed).Select(v => (ulong)v)] : [];
        ulong[] Fixed(int owner) => s.PartyId == owner ? fp.Encode(FixedColumn(owner, rows, seed), $"party {owner}'s fixed-point column") : [];
        var a = Input.Share(s, 0, Ints(0), rows);
        var b = Input.Share(s, 1, Ints(1), rows);
        var x = Input.Share(s, 0, Fixed(0), rows);
        var y = Input.Share(s, 1, Fixed(1), rows);

        long dot = (long)Open.RevealToAll(s, Multiplication.Dot(s, a, b))[0];
        var products = Open.RevealToAll(s, FixedPointArithmetic.Multiply(s, x, y, f));
        var lessThan = Open.RevealToAll(s, Comparison.LessThan(s, a, b));

        var raw = products.Select(v => (long)v).ToArray();
        return new PartyDemoResult(s.PartyId, rows, seed, f, dot, raw, fp.Decode(products), lessThan, s.Traffic - before);
    }
}
