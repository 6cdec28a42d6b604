using Smpc.Analytics.Protocols;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Bench.Harness;

namespace Smpc.Bench.Cases;

/// <summary>
/// The engine's core protocols over one transport (issue 2, point 9): share+reconstruct, add, multiply,
/// dot product, fixed-point multiply with truncation, comparison, shuffle of 1 and 10 columns.
/// Inputs are dealt by <see cref="ReplicatedSharing"/> outside the timer, as a contributor would, and each
/// party gets its own copy of its components (<see cref="BenchData.Deal"/>).
/// </summary>
public abstract class CoreProtocolSuite(BenchTransport transport) : IBenchSuite
{
    const int M = 1_000_000;
    static readonly int[] Full = [M, 10 * M];
    const int FractionBits = 16;

    public virtual int Order => 100;

    public virtual IEnumerable<IBenchCase> Cases()
    {
        var t = transport;
        yield return new ProtocolCase<Plain, ulong[]>("share", t,
            "party 0 inputs n values (Input.Share), then all parties open them (Open.RevealToAll)", 10 * M, Full,
            n => new Plain(BenchData.Words(n, 1)),
            (s, d) => Open.RevealToAll(s, Input.Share(s, 0, s.PartyId == 0 ? d.X : default, d.X.Length)),
            (d, outs) => { foreach (var o in outs) BenchData.Check("share+reveal", o, i => d.X[i]); });

        yield return Binary("add", t, "Linear.Add (local)", 10 * M, bits: 63,
            (s, x, y) => Linear.Add(x, y), (a, b) => a + b);

        yield return Binary("mul", t, "Multiplication.Multiply (1 round)", 10 * M, bits: 63,
            (s, x, y) => Multiplication.Multiply(s, x, y), (a, b) => a * b);

        yield return new ProtocolCase<Pair, ArithmeticShare>("dot", t,
            "Multiplication.Dot: Σ x·y of two n-vectors, one reshared element", 10 * M, Full,
            n => Pair.Make(n, 63),
            (s, d) => Multiplication.Dot(s, d.Xs[s.PartyId], d.Ys[s.PartyId]),
            (d, outs) =>
            {
                ulong expected = 0;
                for (int i = 0; i < d.X.Length; i++) expected += d.X[i] * d.Y[i];
                BenchData.Check(ReplicatedSharing.Reconstruct(outs)[0] == expected, "dot: wrong sum");
            });

        // |x|,|y| < 2^29 raw (±8192.0 at f = 16): products stay below 2^58, inside the truncation range.
        yield return Binary("fixmul", t, $"FixedPointArithmetic.Multiply, f = {FractionBits} (multiply + truncation)", M, bits: 29,
            (s, x, y) => FixedPointArithmetic.Multiply(s, x, y, FractionBits), (a, b) => 0, verify: (a, b, got) =>
            {
                long diff = ((long)a * (long)b >> FractionBits) - (long)got;
                return diff is 0 or 1;
            });

        yield return CompareCase("compare", t, "Comparison.LessThan of two shared columns (sign bit by a carry tree on bit planes)",
            (s, x, y) => Comparison.LessThan(s, x, y));

        // A stored 50-level categorical column (6-bit xor-shared codes) expanded to one-hot, as a party service does the
        // first time a request uses it. 1M rows: 50M indicator elements out, 800 MB per party.
        yield return new ProtocolCase<Codes, ArithmeticShare[]>("onehot50", t,
            "CategoryExpansion: 50-level xor-shared codes to 50 arithmetic one-hot vectors (AND tree + bit injection, per block)", M / 10, [M],
            n => Codes.Make(n, 50),
            (s, d) => CategoryExpansion.Expand(s, d.Views[s.PartyId], CategoryExpansion.BitsFor(50), 50, 0),
            (d, outs) =>
            {
                for (int k = 0; k < 50; k += 7)
                    BenchData.Check($"one-hot level {k}", ReplicatedSharing.Reconstruct(outs.Select(o => o[k]).ToArray()), i => d.Code[i] == (ulong)k ? 1UL : 0UL);
            });

        yield return ShuffleCase("shuffle1", t, 1, Shuffle.Apply);
        yield return ShuffleCase("shuffle10", t, 10, Shuffle.Apply);
    }

    protected static ProtocolCase<Pair, BitShare> CompareCase(string op, BenchTransport t, string description,
                                                              Func<MpcSession, ArithmeticShare, ArithmeticShare, BitShare> program) =>
        new(op, t, description, M, Full,
            n => Pair.Make(n, 61),
            (s, d) => program(s, d.Xs[s.PartyId], d.Ys[s.PartyId]),
            (d, outs) =>
            {
                var bits = ReplicatedSharing.ReconstructBits(outs);
                for (int i = 0; i < bits.Length; i++)
                    if (bits[i] != ((long)d.X[i] < (long)d.Y[i]))
                        throw new BenchVerificationException($"{op}: row {i} is {bits[i]} for inputs {(long)d.X[i]}, {(long)d.Y[i]}");
            });

    protected static ProtocolCase<Pair, ArithmeticShare> Binary(string op, BenchTransport t, string description, int quickRows, int bits,
                             Func<MpcSession, ArithmeticShare, ArithmeticShare, ArithmeticShare> program, Func<ulong, ulong, ulong> plain,
                             Func<ulong, ulong, ulong, bool>? verify = null) =>
        new(op, t, description, quickRows, Full,
            n => Pair.Make(n, bits),
            (s, d) => program(s, d.Xs[s.PartyId], d.Ys[s.PartyId]),
            (d, outs) =>
            {
                var got = ReplicatedSharing.Reconstruct(outs);
                verify ??= (a, b, z) => z == plain(a, b);
                for (int i = 0; i < got.Length; i++)
                    if (!verify(d.X[i], d.Y[i], got[i]))
                        throw new BenchVerificationException($"{op}: row {i} is {got[i]:x} for inputs {d.X[i]:x}, {d.Y[i]:x}");
            });

    protected static ProtocolCase<Table, ArithmeticShare[]> ShuffleCase(string op, BenchTransport t, int columns,
                                                                        Func<MpcSession, IReadOnlyList<ArithmeticShare>, ArithmeticShare[]> program) =>
        new(op, t, $"Shuffle.Apply of n rows × {columns} column(s) (3 resharing passes)", M, Full,
            n => Table.Make(n, columns),
            (s, d) => program(s, d.Shares[s.PartyId]),
            (d, outs) =>
            {
                var key = ReplicatedSharing.Reconstruct(outs.Select(o => o[0]).ToArray());
                for (int k = 1; k < d.ColumnCount; k++)
                    BenchData.Check("shuffle row alignment", ReplicatedSharing.Reconstruct(outs.Select(o => o[k]).ToArray()), i => Table.Derived(key[i], k));
                var sortedIn = d.Key.Order().ToArray();
                BenchData.Check(sortedIn.AsSpan().SequenceEqual(key.Order().ToArray()), "shuffle: output is not a permutation of the input");
                int fixedRows = 0;
                for (int i = 0; i < key.Length; i++) if (key[i] == d.Key[i]) fixedRows++;
                BenchData.Check(fixedRows < 20 + key.Length / 1000, $"shuffle: {fixedRows} rows did not move");
            });

    protected sealed record Plain(ulong[] X);

    protected sealed record Codes(ulong[] Code, BooleanShare[] Views)
    {
        public static Codes Make(int n, int levels)
        {
            var code = BenchData.Words(n, 5).Select(w => w % (ulong)levels).ToArray();
            var views = ReplicatedSharing.ShareBoolean(code);
            ulong mask = (1UL << CategoryExpansion.BitsFor(levels)) - 1;
            foreach (var v in views)
                for (int i = 0; i < n; i++) { v.First[i] &= mask; v.Second[i] &= mask; }
            return new(code, views);
        }
    }

    protected sealed record Pair(ulong[] X, ulong[] Y, ArithmeticShare[] Xs, ArithmeticShare[] Ys)
    {
        public static Pair Make(int n, int bits)
        {
            var x = bits >= 63 ? BenchData.Words(n, 2) : BenchData.Signed(n, 2, bits);
            var y = bits >= 63 ? BenchData.Words(n, 3) : BenchData.Signed(n, 3, bits);
            return new(x, y, BenchData.Deal(x), BenchData.Deal(y));
        }
    }

    protected sealed record Table(ulong[] Key, int ColumnCount, ArithmeticShare[][] Shares)
    {
        /// <summary>Column k of row i is derived from the key, so the check needs only the key column in plaintext.</summary>
        public static ulong Derived(ulong key, int column) => key * (2UL * (ulong)column + 1) + (ulong)column;

        public static Table Make(int n, int columns)
        {
            var key = BenchData.Words(n, 4);
            var perColumn = new ArithmeticShare[columns][];
            perColumn[0] = BenchData.Deal(key);
            var c = columns > 1 ? GC.AllocateUninitializedArray<ulong>(n) : null;
            for (int k = 1; k < columns; k++)
            {
                for (int i = 0; i < n; i++) c![i] = Derived(key[i], k);
                perColumn[k] = BenchData.Deal(c);
            }
            var perParty = Enumerable.Range(0, 3).Select(p => perColumn.Select(v => v[p]).ToArray()).ToArray();
            return new(key, columns, perParty);
        }
    }
}

/// <summary>The core protocols on <see cref="Smpc.Analytics.Session.LocalCluster"/> (in-memory links).</summary>
public sealed class InProcessCoreSuite() : CoreProtocolSuite(BenchTransport.InProcess)
{
    public override int Order => 0;
}

/// <summary>The core protocols over TLS 1.3 on loopback (<see cref="Smpc.Analytics.Session.LoopbackTlsCluster"/>).</summary>
public sealed class TlsCoreSuite() : CoreProtocolSuite(BenchTransport.Tls)
{
    public override int Order => 1;
}
