// The linear span of released cells over atom classes: which combinations of releases an analyst can form.
//
// What: rows are released cells as 0/1 vectors over atom classes (Disclosure/Audit/AtomSpace.cs). Gauss–Jordan
// elimination keeps, with every basis row, its coefficients over the original rows, so a vector in the span comes
// with the combination of releases that yields it. A 0/1 vector u lies in the span iff u = Σ_r u[pivot_r]·basis_r,
// so every determinable union of classes is found by trying each 0/1 choice of basis rows — exhaustive up to
// MaxExhaustiveRank; above it the candidates are the basis rows, pairwise differences of nested rows and the
// caller's own (a table's margin minus its released cells).
// Arithmetic: doubles with a 1e-9 tolerance on matrices of 0/±1 entries and a few hundred rows; coefficients are
// turned into integers with a common denominator before anything is computed on shares.
// Reference: Chin & Özsoyoğlu (IEEE TSE 1982): a sum query's value over a set is determined iff its indicator lies
// in the row space of the answered queries.
namespace Smpc.Analytics.Disclosure;

internal sealed class LinearSpan
{
    public const int MaxExhaustiveRank = 16;
    const double Eps = 1e-9;

    readonly List<double[]> _basis = [];
    readonly List<double[]> _coefficients = [];
    readonly List<int> _pivots = [];
    readonly IReadOnlyList<double[]> _rows;

    public LinearSpan(IReadOnlyList<double[]> rows)
    {
        _rows = rows;
        for (int i = 0; i < rows.Count; i++)
        {
            var v = (double[])rows[i].Clone();
            var lambda = new double[rows.Count];
            lambda[i] = 1;
            Reduce(v, lambda);
            int pivot = Array.FindIndex(v, x => Math.Abs(x) > Eps);
            if (pivot < 0) continue;
            double inv = 1 / v[pivot];
            Scale(v, inv); Scale(lambda, inv);
            // Keep the basis reduced: clear the new pivot column from the older rows.
            for (int b = 0; b < _basis.Count; b++)
            {
                double f = _basis[b][pivot];
                if (Math.Abs(f) <= Eps) continue;
                Axpy(_basis[b], -f, v); Axpy(_coefficients[b], -f, lambda);
            }
            _basis.Add(v); _coefficients.Add(lambda); _pivots.Add(pivot);
        }
    }

    public int Rank => _basis.Count;

    /// <summary>Whether <paramref name="v"/> is a combination of the rows; if so, its coefficients over the rows.</summary>
    public bool Contains(double[] v, out double[] lambda)
    {
        var r = (double[])v.Clone();
        lambda = new double[_rows.Count];
        for (int b = 0; b < _basis.Count; b++)
        {
            double f = r[_pivots[b]];
            if (Math.Abs(f) <= Eps) continue;
            Axpy(r, -f, _basis[b]); Axpy(lambda, f, _coefficients[b]);
        }
        return r.All(x => Math.Abs(x) <= 1e-7);
    }

    /// <summary>Determinable 0/1 vectors (non-zero) with their coefficients over the rows.</summary>
    public IEnumerable<(double[] Vector, double[] Lambda)> ZeroOneVectors(IEnumerable<double[]> extraCandidates)
    {
        int width = _rows.Count == 0 ? 0 : _rows[0].Length;
        if (Rank <= MaxExhaustiveRank)
        {
            for (int mask = 1; mask < 1 << Rank; mask++)
            {
                var u = new double[width];
                var lambda = new double[_rows.Count];
                for (int b = 0; b < Rank; b++)
                    if ((mask >> b & 1) == 1) { Axpy(u, 1, _basis[b]); Axpy(lambda, 1, _coefficients[b]); }
                if (IsZeroOne(u)) yield return (u, lambda);
            }
            yield break;
        }
        var seen = new HashSet<string>();
        var candidates = _basis.Concat(extraCandidates);
        for (int i = 0; i < _rows.Count; i++)
            for (int j = 0; j < _rows.Count; j++)
                if (i != j && _rows[i].Zip(_rows[j]).All(p => p.First >= p.Second))
                    candidates = candidates.Append(_rows[i].Zip(_rows[j], (a, b) => a - b).ToArray());
        foreach (var c in candidates)
        {
            if (!IsZeroOne(c) || !seen.Add(Key(c))) continue;
            if (Contains(c, out var lambda)) yield return (c, lambda);
        }
    }

    static string Key(double[] v) => new(v.Select(x => x > 0.5 ? '1' : '0').ToArray());

    static bool IsZeroOne(double[] u)
    {
        bool any = false;
        foreach (var x in u)
        {
            if (Math.Abs(x - 1) <= Eps) any = true;
            else if (Math.Abs(x) > Eps) return false;
        }
        return any;
    }

    void Reduce(double[] v, double[] lambda)
    {
        for (int b = 0; b < _basis.Count; b++)
        {
            double f = v[_pivots[b]];
            if (Math.Abs(f) <= Eps) continue;
            Axpy(v, -f, _basis[b]); Axpy(lambda, -f, _coefficients[b]);
        }
    }

    static void Axpy(double[] y, double a, double[] x) { for (int i = 0; i < y.Length; i++) y[i] += a * x[i]; }
    static void Scale(double[] y, double a) { for (int i = 0; i < y.Length; i++) y[i] *= a; }

    /// <summary>Integer coefficients D·λ and the common denominator D (λ are rationals with small denominators).</summary>
    public static (long[] Numerators, long Denominator) Integral(double[] lambda)
    {
        for (long d = 1; d <= 720; d++)
        {
            var n = lambda.Select(x => x * d).ToArray();
            if (n.All(x => Math.Abs(x - Math.Round(x)) < 1e-6)) return (n.Select(x => (long)Math.Round(x)).ToArray(), d);
        }
        throw new InvalidOperationException("The combination of releases has coefficients without a small common denominator.");
    }
}
