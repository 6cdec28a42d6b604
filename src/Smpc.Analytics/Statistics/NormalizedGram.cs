// The Gram matrix of a design, computed exactly by dot products and normalised inside the computation.
//
// What: for columns z_0 = 1, z_1 … z_p (encoded, optionally centred at the midpoint of their declared bounds),
// a row mask m and weights w, computes G_jk = Σ m·w·z_j·z_k exactly (dot products, no truncation; ranges
// checked from declared bounds), then Ā_jk = G_jk / (2^(l_j + l_k) · G_00) at scale 2^20 with 2^l_j ≥ max|z_j|,
// so every |Ā_jk| ≤ 1 whatever the units. A column too wide for exact products over n rows is first truncated by
// d_j bits (so n·w·|z_j|·|z_k| < 2^62) and its shift reported as l_j + d_j. The shift by 2^(fs − l_j − l_k) is exact (or a truncation when
// negative) and the division by the (secret) weighted count G_00 is one batched secure division.
// Reference: normal equations by secure dot products — Hall, Fienberg & Nardi, "Secure multiple linear
// regression based on homomorphic encryption" (J. Official Statistics 2011), §3; dot products ABY3 §5.1.
// Security: semi-honest, honest majority. Leakage: none (everything stays shared).
// Cost: one product round for m·w·z_j (skipped without mask and weights), one dot-product round
// ((p+1)(p+2)/2 elements), one batch of divisions (fs + 2 bits) of the (p+1)(p+2)/2 distinct entries: the diagonal
// unsigned, the others signed.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public sealed class NormalizedGram
{
    /// <summary>Fraction bits of the normalised entries.</summary>
    public const int Fs = 20;

    public required IComputeEngine Engine { get; init; }
    public required int Size { get; init; }             // p + 1 (intercept first)

    /// <summary>Ā at scale 2^Fs, row-major, Size × Size.</summary>
    public required SecretVector Matrix { get; init; }

    /// <summary>Unweighted number of rows used (mask sum), and the weighted count G_00 (scale 2^fw).</summary>
    public required SecretVector Rows { get; init; }
    public required SecretVector WeightedCount { get; init; }
    public required int WeightScale { get; init; }

    /// <summary>log2 of the power-of-two normaliser of each column in its encoded units (0 for the intercept),
    /// including the low bits dropped from wide columns.</summary>
    public required int[] Shift { get; init; }

    /// <summary>Low bits dropped from each column before the products (values rounded down to multiples of 2^d
    /// encoded units; 0 for the intercept and for columns whose exact products fit).</summary>
    public int[] Dropped { get; init; } = [];

    /// <summary>Encoded centre of each column (0 for the intercept or when not centred).</summary>
    public required long[] Center { get; init; }

    public required ColumnSpec[] Specs { get; init; }

    /// <summary>Fraction bits of <see cref="PreciseLastColumn"/>.</summary>
    public const int FsPrecise = 30;

    /// <summary>The last column of Ā (entries (j, last), j = 0 … Size − 1) at scale 2^30, for residual sums of squares
    /// that would otherwise lose their precision to cancellation (null unless asked for).</summary>
    public SecretVector? PreciseLastColumn { get; init; }

    /// <summary>Ā at scale 2^30 (row-major), when asked for.</summary>
    public SecretVector? PreciseMatrix { get; init; }

    /// <summary>Largest possible weighted count in encoded units (rows × largest weight × 2^fw), for range checks.</summary>
    public required double MaxCount { get; init; }

    public SecretVector Entry(int j, int k) => Engine.Gather(Matrix, [j * Size + k]);

    /// <summary>Per-row inputs of the design, for statistics that need residuals row by row (survey standard errors):
    /// the columns z_1 … z_p as entered into G (centred, low bits dropped; index 0 unused), the power of two that
    /// normalises each (x̄_j = z_j / 2^ColumnShift[j]), the row weights m·w at scale 2^WeightScale (null when unweighted)
    /// and the largest declared weight.</summary>
    public required SecretVector?[] Columns { get; init; }
    public required int[] ColumnShift { get; init; }
    public SecretVector? RowWeights { get; init; }
    public double WeightMax { get; init; } = 1;


    /// <summary>
    /// The range plan of a Gram matrix from public facts only (rows, weight bound (encoded), declared bounds): the low
    /// bits each column drops (index 0 is the intercept) so that every exact entry n·w·|z_j|·|z_k| stays below 2^62,
    /// and the checks of the normalising divisions (at 20 bits, and 30 when <paramref name="precise"/>). Fills
    /// <paramref name="magnitudes"/> (length specs + 1) with the largest |z_j| after dropping. Throws a RangeException
    /// naming the entry or division that would leave the ring.
    /// </summary>
    public static int[] PlanRanges(long n, double wmax, IReadOnlyList<ColumnSpec> specs, bool center, bool precise, double[]? magnitudes = null)
    {
        int k = specs.Count + 1;
        var mags = magnitudes ?? new double[k];
        mags[0] = 1;
        for (int j = 1; j < k; j++)
            mags[j] = center ? ColumnBounds.HalfRange(specs[j - 1]) : Math.Max(1, ColumnBounds.Magnitude(specs[j - 1]));
        // Wide columns (a balance up to 10^7 at 8 fraction bits) would overflow the exact Gram entries: drop low bits
        // first (exact truncation: the floor at the kept precision) so that every entry fits;
        // the dropped bits are folded into Shift, so Ā and everything built on it keep their meaning.
        var dropped = new int[k];
        double cap = 0.5 * Math.Sqrt(Math.ScaleB(1.0, 62) / (n * wmax));
        for (int j = 1; j < k; j++)
            if (mags[j] > cap)
            {
                dropped[j] = (int)Math.Ceiling(Math.Log2(mags[j] / cap));
                mags[j] = mags[j] / Math.ScaleB(1.0, dropped[j]) + 1;
            }
        string Name(int j) => j == 0 ? "1" : specs[j - 1].Name;
        for (int j = 0; j < k; j++)
            for (int l = j; l < k; l++)
                ColumnBounds.Check(n * wmax * mags[j] * mags[l], $"Gram matrix entry ({Name(j)}, {Name(l)}) over {n} rows");
        // The divisions by G_00 ≤ n·w (w encoded, so already at scale 2^fw): |numerator| ≤ G_00·2^Fs, quotient bits Fs + 2.
        ColumnBounds.Check(n * wmax * Math.ScaleB(1.0, Fs + 2), "Normalised Gram matrix division (rows × largest weight × 2^22)");
        if (precise) ColumnBounds.Check(n * wmax * Math.ScaleB(1.0, FsPrecise + 2), "Normalised Gram matrix division at 30 bits (rows × largest weight × 2^32)");
        return dropped;
    }

    public static NormalizedGram Compute(SecretTable table, IReadOnlyList<string> columns, RowFilter? filter, string? weight, bool center, bool preciseLastColumn = false)
    {
        var e = table.Engine;
        int n = table.RowCount;
        var specs = columns.Select(c => table[c].Spec).ToArray();
        for (int j = 0; j < specs.Length; j++) ColumnBounds.Of(specs[j], $"Regression on '{columns[j]}'");
        var (mask, weighted) = CellAggregator.RowMask(table, columns, filter, weight);
        var rowBase = weighted ?? mask;
        double wmax = weight is null ? 1 : ColumnBounds.Magnitude(table[weight].Spec);
        int fw = weight is null ? 0 : table[weight].Spec.Scale;
        int k = columns.Count + 1;
        var centers = new long[k];
        var mags = new double[k];
        mags[0] = 1;
        var z = new SecretVector[k];
        for (int j = 1; j < k; j++)
        {
            var x = table[columns[j - 1]].Values!;
            centers[j] = center ? ColumnBounds.Center(specs[j - 1]) : 0;
            z[j] = centers[j] == 0 ? x : e.AddPublic(x, unchecked((ulong)-centers[j]));
        }
        // Wide columns drop low bits first (exact truncation), see PlanRanges.
        var dropped = PlanRanges(n, wmax, specs, center, preciseLastColumn, mags);
        // (one truncation per distinct number of dropped bits, not one per column)
        var wide = Enumerable.Range(1, k - 1).Where(j => dropped[j] > 0).ToArray();
        var narrowed = Regression.Rescale(e, wide.Select(j => z[j]).ToArray(), wide.Select(j => dropped[j]).ToArray());
        for (int t = 0; t < wide.Length; t++) z[wide[t]] = narrowed[t];

        // Left factors m·w·z_j (one product round), right factors z_k; the intercept column is the row base itself.
        var left = new SecretVector[k];
        left[0] = rowBase ?? e.Public(Enumerable.Repeat(1UL, n).ToArray());
        if (rowBase is null) for (int j = 1; j < k; j++) left[j] = z[j];
        else
        {
            var prod = e.Multiply(e.Concat(Enumerable.Repeat(rowBase, k - 1).ToArray()), e.Concat(z.Skip(1).ToArray()));
            for (int j = 1; j < k; j++) left[j] = e.Gather(prod, Enumerable.Range((j - 1) * n, n).ToArray());
        }
        var pairs = new List<(SecretVector, SecretVector)>();
        var index = new int[k, k];
        for (int j = 0; j < k; j++)
            for (int l = j; l < k; l++)
            {
                index[j, l] = index[l, j] = pairs.Count;
                pairs.Add(l == 0 ? (left[0], e.Public(Enumerable.Repeat(1UL, n).ToArray())) : (left[j], z[l]));
            }
        var dots = e.Dot(pairs);
        var rows = mask is null ? e.Public([(ulong)n]) : e.Sum(mask);
        var g00 = e.Gather(dots, [index[0, 0]]);

        var shift = mags.Select(m => (int)Math.Ceiling(Math.Log2(Math.Max(1, m)))).ToArray();
        // Numerators G_jl·2^(F − l_j − l_l) at F fraction bits: public multiplications, or exact truncations batched by
        // their number of bits (one truncation per distinct shift, not one per entry).
        SecretVector Numerators(int fraction) => e.Concat(Regression.Rescale(e,
            Enumerable.Range(0, k * k).Select(t => e.Gather(dots, [index[t / k, t % k]])).ToArray(),
            Enumerable.Range(0, k * k).Select(t => shift[t / k] + shift[t % k] - fraction).ToArray()));
        // The matrix is symmetric: only the entries j ≤ l are divided, the diagonal (G_jj ≥ 0) by an unsigned division
        // in the same batch, so the signed one has fewer elements and may take wider digits; then mirrored (local).
        var diagonal = Enumerable.Range(0, k).Select(j => j * k + j).ToArray();
        var offDiagonal = Enumerable.Range(0, k * k).Where(t => t / k < t % k).ToArray();
        var position = new int[k * k];
        for (int t = 0; t < k * k; t++)
        {
            int j = Math.Min(t / k, t % k), l = Math.Max(t / k, t % k);
            position[t] = j == l ? j : k + Array.IndexOf(offDiagonal, j * k + l);
        }
        SecretVector Normalise(int fraction)
        {
            var numerators = Numerators(fraction);
            var batch = new SecureDivision.Batch(e);
            var onDiagonal = batch.Divide(e.Gather(numerators, diagonal), e.Gather(g00, new int[k]), fraction + 2);
            var off = offDiagonal.Length == 0 ? null : batch.DivideSigned(e.Gather(numerators, offDiagonal), e.Gather(g00, new int[offDiagonal.Length]), fraction + 2);
            batch.Run();
            return e.Gather(off is null ? onDiagonal.Quotient : e.Concat([onDiagonal.Quotient, off.Quotient]), position);
        }
        SecretVector matrix;
        SecretVector? precise = null, preciseMatrix = null;
        if (preciseLastColumn)
        {
            // The whole matrix at 30 fraction bits (for the residual and one step of iterative refinement); the
            // 20-bit matrix is its truncation.
            preciseMatrix = Normalise(FsPrecise);
            matrix = e.Truncate(preciseMatrix, FsPrecise - Fs);
            precise = e.Gather(preciseMatrix, Enumerable.Range(0, k).Select(j => j * k + k - 1).ToArray());
        }
        else matrix = Normalise(Fs);
        return new NormalizedGram
        {
            Engine = e, Size = k, Matrix = matrix, Rows = rows, WeightedCount = g00, WeightScale = fw,
            Shift = shift.Select((x, j) => x + dropped[j]).ToArray(), Dropped = dropped, Center = centers, Specs = specs, MaxCount = n * wmax, PreciseLastColumn = precise, PreciseMatrix = preciseMatrix,
            Columns = z, ColumnShift = shift, RowWeights = weighted, WeightMax = wmax,
        };
    }
}
