// Oblivious shuffle of a shared table by resharing (three passes, one permutation per pair of parties).
// Reference: Laur, Willemson & Zhang, "Round-efficient oblivious database manipulation" (ISC 2011), §4;
// Araki et al., "Secure graph analysis at scale" (CCS 2021), §3 — shuffle by 2-out-of-3 resharing.
//
// Pass j (j = 0,1,2): parties A = j and B = j+1 share PRG key k_{j+1}, from which both derive the
// uniform permutation π_j (drawn and applied bucket by bucket, see BucketPermutation.cs); party C = j+2
// does not know it. A holds s_A = x_j + x_{j+1}, B holds s_B = x_{j+2} (a two-out-of-two sharing of x). Both permute their value; then with ρ, ζ also from k_{j+1}:
//   y_{j+1} = ρ (A and B),  y_j = π(s_A) − ρ − ζ (A sends to C),  y_{j+2} = π(s_B) + ζ (B sends to C).
// C receives two values whose sum is π(x) − ρ: uniform to C. The output permutation π_2∘π_1∘π_0 is
// unknown to every single party, since each misses one of the three.
// Security: semi-honest, honest majority; two colluding parties know the whole permutation.
// Leakage: the number of rows and columns. Cost: 3 rounds; per pass the two senders send one word
// per element per column (each party sends 2 words per element per column over the three passes),
// one message per column so the receiver keeps each column as it arrives.
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Protocols;

public static class Shuffle
{
    /// <summary>Applies one secret random permutation to all columns (rows stay aligned).</summary>
    public static ArithmeticShare[] Apply(MpcSession s, IReadOnlyList<ArithmeticShare> columns)
    {
        if (columns.Count == 0) return [];
        int n = columns[0].Length;
        foreach (var c in columns) if (c.Length != n) throw Errors.LengthMismatch("shuffle", n, c.Length);
        var current = columns.ToArray();
        for (int pass = 0; pass < 3; pass++) current = Pass(s, current, pass, n);   // Pass drops each input column once used
        return current;
    }

    static ArithmeticShare[] Pass(MpcSession s, ArithmeticShare[] columns, int pass, int n)
    {
        ulong nonce = s.NextNonce();
        int a = pass, c = (pass + 2) % 3;
        int me = s.PartyId;
        if (2 * columns.Length + 1 >= (int)MpcSession.SubStreams) throw new ShapeException($"Shuffle of {columns.Length} columns at once is more than one operation supports; shuffle in groups.");
        var result = new ArithmeticShare[columns.Length];
        s.CountRound();
        if (me == c)
        {
            // Per column, y_{j+2} from B (my previous party) and y_j from A (my next party): I hold (y_{j+2}, y_j).
            // My own shares play no part in this pass: drop them (intermediate passes' columns can then be collected).
            Array.Clear(columns);
            for (int k = 0; k < columns.Length; k++)
                result[k] = new ArithmeticShare(s.Prev.ReceiveWords(n), s.Next.ReceiveWords(n));
            return result;
        }
        // A and B: k_{j+1} is A's "shared with next" key and B's "shared with previous" key.
        bool isA = me == a;
        var perm = DrawPermutation(s, isA, nonce, n);
        var zeta = GC.AllocateUninitializedArray<ulong>(n);
        var scratch = GC.AllocateUninitializedArray<ulong>(n);
        for (int k = 0; k < columns.Length; k++)
        {
            var rho = GC.AllocateUninitializedArray<ulong>(n);
            Fill(s, isA, rho, nonce, 1 + 2 * k);
            Fill(s, isA, zeta, nonce, 2 + 2 * k);
            var col = columns[k];
            columns[k] = null!;   // used once: let an intermediate pass's column be collected as the next one is built
            var send = GC.AllocateUninitializedArray<ulong>(n);
            if (isA)
            {
                perm.Scatter(col.First, col.Second, scratch);          // s_A = x_j + x_{j+1}, in bucketed order
                perm.Gather(scratch, rho, zeta, subtract: true, send);  // π(s_A) − ρ − ζ
                result[k] = new ArithmeticShare(send, rho);
                s.Prev.SendWords(send);
            }
            else
            {
                perm.Scatter(col.Second, null, scratch);                // s_B = x_{j+2}
                perm.Gather(scratch, null, zeta, subtract: false, send); // π(s_B) + ζ
                result[k] = new ArithmeticShare(rho, send);
                s.Next.SendWords(send);
            }
        }
        return result;
    }

    /// <summary>π_j from sub-stream 0 of the pass's nonce under k_{j+1} (the words are dropped once drawn).</summary>
    static BucketPermutation DrawPermutation(MpcSession s, bool isA, ulong nonce, int n)
    {
        if (BucketPermutation.WordsNeeded(n) > Array.MaxLength) throw new ShapeException($"Shuffle of {n} rows exceeds what one operation supports; shuffle at most {Array.MaxLength / 2} rows at a time.");
        var words = GC.AllocateUninitializedArray<ulong>((int)BucketPermutation.WordsNeeded(n));
        Fill(s, isA, words, nonce, 0);
        return BucketPermutation.Draw(words, n);
    }

    static void Fill(MpcSession s, bool isA, Span<ulong> dst, ulong nonce, int stream)
    {
        ulong sub = nonce + (ulong)stream; // distinct sub-streams of one operation (stream < MpcSession.SubStreams)
        if (isA) s.FillSharedWithNext(dst, sub); else s.FillSharedWithPrev(dst, sub);
    }
}
