// Earlier implementations of three protocols, kept only so the bench can time them next to the current
// engine in the same run (ratios on a shared, noisy machine are only meaningful when measured together).
// Each computes what its engine counterpart computes with the same messages, except the shuffle: one message per
// pass instead of one per column, and a whole-column Fisher–Yates permutation instead of the bucketed one (a
// different, equally uniform permutation). Not for use outside the bench.
using Smpc.Analytics.Protocols;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Bench.Cases.Baselines;

internal static class BaselineProtocols
{
    /// <summary>Multiplication as first written: both zero-share streams materialised as column-length arrays.</summary>
    public static ArithmeticShare MultiplyUnfused(MpcSession s, ArithmeticShare x, ArithmeticShare y)
    {
        var (mine, next) = s.ZeroShareStreams(x.Length, s.NextNonce());
        var z = mine;
        Ring.ProductTerm(x.First, x.Second, y.First, y.Second, mine, next, z);
        return Reshare.Exchange(s, z);
    }

    /// <summary>Sign bit by a full 64-bit Kogge–Stone adder on word-layout shares (8 rounds, ~13 words per element).</summary>
    public static BitShare SignBitFullAdder(MpcSession s, ArithmeticShare d)
    {
        var (a, b) = Conversion.TwoPartyView(s, d);
        var carries = BinaryAdder.Carries(s, a, b);
        var msb = BooleanGates.Xor(BooleanGates.Xor(a, b), BooleanGates.ShiftLeft(carries, 1));
        return BooleanGates.ExtractBit(msb, 63);
    }

    /// <summary>Shuffle as first written: a Fisher–Yates permutation over the whole column applied by a random-access
    /// gather from both of A's components, one message per pass holding every column, copied out per column by the receiver.</summary>
    public static ArithmeticShare[] ShuffleOneMessagePerPass(MpcSession s, IReadOnlyList<ArithmeticShare> columns)
    {
        int n = columns[0].Length;
        var current = columns.ToArray();
        for (int pass = 0; pass < 3; pass++) current = Pass(s, current, pass, n);
        return current;
    }

    static ArithmeticShare[] Pass(MpcSession s, ArithmeticShare[] columns, int pass, int n)
    {
        ulong nonce = s.NextNonce();
        int a = pass, c = (pass + 2) % 3;
        int me = s.PartyId;
        var result = new ArithmeticShare[columns.Length];
        s.CountRound();
        if (me == c)
        {
            var fromB = s.Prev.ReceiveWords(n * columns.Length);
            var fromA = s.Next.ReceiveWords(n * columns.Length);
            for (int k = 0; k < columns.Length; k++)
                result[k] = new ArithmeticShare(fromB.AsSpan(k * n, n).ToArray(), fromA.AsSpan(k * n, n).ToArray());
            return result;
        }
        var stream = new ulong[n];
        Fill(s, me == a, stream, nonce, 0);
        var perm = FisherYates(stream);
        var outgoing = new ulong[n * columns.Length];
        var rho = new ulong[n]; var zeta = new ulong[n];
        for (int k = 0; k < columns.Length; k++)
        {
            Fill(s, me == a, rho, nonce, 1 + 2 * k);
            Fill(s, me == a, zeta, nonce, 2 + 2 * k);
            var col = columns[k];
            var send = outgoing.AsSpan(k * n, n);
            if (me == a)
            {
                for (int i = 0; i < n; i++)
                {
                    int src = perm[i];
                    send[i] = col.First[src] + col.Second[src] - rho[i] - zeta[i];
                }
                result[k] = new ArithmeticShare(send.ToArray(), (ulong[])rho.Clone());
            }
            else
            {
                for (int i = 0; i < n; i++) send[i] = col.Second[perm[i]] + zeta[i];
                result[k] = new ArithmeticShare((ulong[])rho.Clone(), send.ToArray());
            }
        }
        if (me == a) s.Prev.SendWords(outgoing); else s.Next.SendWords(outgoing);
        return result;
    }

    /// <summary>Fisher–Yates over the whole column from a word stream (index draws by multiply-shift).</summary>
    static int[] FisherYates(ReadOnlySpan<ulong> randomWords)
    {
        int n = randomWords.Length;
        var perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)(((UInt128)randomWords[i] * (ulong)(i + 1)) >> 64);
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }
        return perm;
    }

    static void Fill(MpcSession s, bool isA, Span<ulong> dst, ulong nonce, int stream)
    {
        ulong sub = nonce + (ulong)stream;
        if (isA) s.FillSharedWithNext(dst, sub); else s.FillSharedWithPrev(dst, sub);
    }
}
