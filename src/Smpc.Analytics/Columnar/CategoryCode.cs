// The compact form of a categorical column: one code per row instead of one indicator vector per domain value.
// Code of domain value k: k, or k+1 when the column is nullable (0 then means missing, so no presence vector is
// stored: the presence is the sum of the indicators). Codes are xor-shared (boolean replicated sharing) in the low
// Bits(spec) bits of a word and stored in Width(spec) bytes per component (ShareFormat part "code"), so a 50-level
// column costs a party 2 bytes per row instead of 50 × 16. Why boolean and not arithmetic: see
// Protocols/CategoryExpansion.cs (no bit decomposition before the equality tree, and narrow storage).
// Leakage: none; the bit width is a public function of the declared domain.
using Smpc.Analytics.Engine;
using Smpc.Analytics.Protocols;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Columnar;

/// <summary>The code layout of a categorical column and its expansion to one-hot at the compute parties.</summary>
public static class CategoryCode
{
    /// <summary>Number of distinct codes: the domain values, plus 0 for "missing" in a nullable column.</summary>
    public static int Codes(ColumnSpec spec) => Domain(spec).Count + (spec.Nullable ? 1 : 0);

    /// <summary>The code of the first domain value (1 for a nullable column, whose code 0 is "missing").</summary>
    public static int First(ColumnSpec spec) => spec.Nullable ? 1 : 0;

    /// <summary>Bits of a code.</summary>
    public static int Bits(ColumnSpec spec) => CategoryExpansion.BitsFor(Codes(spec));

    /// <summary>Bytes of one stored code component: 1, 2 or 4.</summary>
    public static int Width(ColumnSpec spec) => Bits(spec) switch { <= 8 => 1, <= 16 => 2, _ => 4 };

    /// <summary>Codes from one-hot plaintext (0/1 rows; a row with no 1 is missing): the contributor's encoding.</summary>
    public static ulong[] FromOneHot(ColumnSpec spec, IReadOnlyList<ulong[]> oneHot, int rows)
    {
        var code = new ulong[rows];
        int first = First(spec);
        for (int k = 0; k < oneHot.Count; k++)
        {
            var v = oneHot[k];
            for (int r = 0; r < rows; r++) if (v[r] != 0) code[r] = (ulong)(k + first);
        }
        return code;
    }

    /// <summary>One-hot plaintext from codes (all zero for a missing value).</summary>
    public static ulong[][] ToOneHot(ColumnSpec spec, ReadOnlySpan<ulong> code)
    {
        int levels = Domain(spec).Count, first = First(spec);
        var oneHot = new ulong[levels][];
        for (int k = 0; k < levels; k++) oneHot[k] = new ulong[code.Length];
        for (int r = 0; r < code.Length; r++)
        {
            long k = (long)code[r] - first;
            if (k >= 0 && k < levels) oneHot[k][r] = 1;
        }
        return oneHot;
    }

    /// <summary>
    /// The engine column of a coded categorical column whose one-hot indicators <paramref name="expand"/> computes,
    /// run on first use of the column and kept for the column's life (the per-column cache). The presence vector of
    /// a nullable column is the sum of the indicators (local).
    /// </summary>
    /// <param name="stored">Optionally the stored codes the expansion starts from (SecretColumn.PendingStoredCode).</param>
    public static SecretColumn Lazy(IComputeEngine engine, ColumnSpec spec, int rows, Func<IReadOnlyList<SecretVector>> expand, StoredCode? stored = null) =>
        new(spec, rows, () =>
        {
            var oneHot = expand();
            SecretVector? present = null;
            if (spec.Nullable)
            {
                present = oneHot[0];
                for (int k = 1; k < oneHot.Count; k++) present = engine.Add(present, oneHot[k]);
            }
            return (oneHot, present);
        }, stored);

    /// <summary>Expands a coded column held by a <see cref="SecureEngine"/> (the three parties' views) or, for a
    /// plaintext engine, reconstructs the codes and shares one-hot. Eager: runs now.</summary>
    public static SecretColumn Expand(IComputeEngine engine, ColumnSpec spec, BooleanShare[] views)
    {
        int rows = views[0].Length;
        return Lazy(engine, spec, rows, () => engine switch
        {
            SecureEngine secure => secure.ExpandCategory(views, Bits(spec), Domain(spec).Count, First(spec)),
            { IsSecure: false } => [.. ToOneHot(spec, ReplicatedSharing.ReconstructBoolean(views)).Select(v => engine.Share(v))],
            _ => throw new ShapeException($"The {engine.Name} engine cannot adopt per-party shares."),
        }).Expanded();
    }

    static IReadOnlyList<string> Domain(ColumnSpec spec) =>
        spec.Kind == ColumnKind.Categorical ? spec.Domain! : throw new ShapeException($"Column '{spec.Name}' is {spec.Kind}, not categorical.");
}

/// <summary>A party's view of a stored categorical column's xor-shared codes; <see cref="First"/> is the code of the
/// domain's first level (1 in a nullable column, whose code 0 means missing; else 0).</summary>
public sealed record StoredCode(BooleanShare Code, int First);
