// Integer division and square root of shared values by long division in radix 2^k (several quotient bits per step).
//
// What: floor(N / D) for shared N ≥ 0 and shared D ≥ 1 (with its remainder); floor(sqrt(N)) for shared N ≥ 0; a signed
// variant (truncation toward zero); floor(N / d) for a public d. Statistics use them for means, variances, correlations
// and the regression solve, so that only the final statistic is ever opened.
// Method: the quotient is found digit by digit from the top, each digit k ≤ 16 bits wide. For the digit at position s
// with partial remainder R (= N − D·(quotient so far)) every candidate m = 1 … 2^k − 1 is tested at once — one batched
// comparison [R < m·D·2^s] of (2^k − 1) elements per element — and, since the tests are monotone in m, the digit is the
// number of candidates passed: q_s = (2^k − 1) − Σ_m [R < m·D·2^s]. Then R ← R − q_s·D·2^s (one product; none for a
// public D). The result is the same greedy quotient as bit-by-bit restoring division (Knuth, TAOCP vol. 2, §4.3.1,
// Algorithm D without normalisation, here with all digit candidates compared in parallel — a "radix-2^k SRT-free"
// long division; on shares: Bunn & Ostrovsky, CCS 2007, §4.2 for the bit-serial form), so it is exact by construction:
// no approximation and no correction step; the result is a function of the values only, bit for bit the plaintext
// engine's. The square root does the same for the digit-by-digit method (Wilkes, Wheeler & Gill 1951; TAOCP vol. 2,
// §4.6.4): with root so far P and remainder R = N − P², candidate m passes when R ≥ (P + m·2^s)² − P² =
// m·2^(s+1)·P + m²·2^(2s), linear in P; then R ← R − q_s·(2^(s+1)·P + q_s·2^(2s)) (one product).
// Signed: with B = D·2^bits, floor((N + B)/D) − 2^bits = floor(N/D) and floor((B − N)/D) − 2^bits = floor(−N/D), both
// from one division of twice the elements (one more quotient bit); the sign [N < 0] is compared in the first digit's
// batch, and trunc(N/D) = N ≥ 0 ? floor(N/D) : −floor(−N/D) takes one product.
//
// Worked example (N = 13, D = 4, 3 quotient bits in one digit of width 3): compare 13 < 4m for m = 1..7: true for
// m = 4..7, so q = 7 − 4 = 3 and R = 13 − 3·4 = 1: floor(13/4) = 3, remainder 1.
//
// Security: semi-honest, honest majority (whatever the engine's protocols give). Leakage: none — every comparison bit
// stays shared (bit injection, then linear sums and a product). The digit widths depend on the public bit count only.
// Cost per digit: one comparison batch (8 rounds), one bit injection (2 rounds), one product (1 round; none for a
// public divisor, none after the last digit unless the remainder is wanted). Digits are 8 to 16 bits wide: the fewest
// digits whose candidate comparisons (elements × digits × (2^width − 1)) stay within 2^18, never more than ⌈bits/8⌉
// (DigitWidths; public facts only). So a quotient takes 11·D − 1 rounds with D between ⌈bits/16⌉ and ⌈bits/8⌉, 11·D
// with the remainder, 10·D for a public divisor, 11·D signed (one more bit), 11·D − 1 for a square root. E.g. a
// mean's 48-bit quotient over 5 cells: 4 digits of 12 bits, 43 rounds (528 bit by bit), its 41-bit quotient 3 digits
// of ≤ 14 bits, 32 rounds; a 31-bit root or reciprocal of one value: 2 digits of ≤ 16 bits, 21 rounds (341). Sent per job: at most about 2^18 comparisons' worth (~8 MiB per party), or
// 255 per element per digit when there are many elements. Range: requires D·2^bits < 2^62 and N < D·2^bits
// (checked by the callers from declared bounds, see Statistics/ColumnBounds.cs); the result is then exact. Beyond it
// the quotient saturates at 2^bits − 1, as bit-by-bit restoring division does.
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Statistics;

public static class SecureDivision
{
    /// <summary>Digits are at most this wide (65,535 candidates per element per digit: only a vector of one to three
    /// elements takes such a digit within <see cref="CandidateBudget"/>)…</summary>
    public const int MaxDigitBits = 16;

    /// <summary>…and never narrower than needed for ⌈bits/8⌉ digits, whatever the element count.</summary>
    public const int MinDigitBits = 8;

    /// <summary>Candidate comparisons one job may spend over all its digits (elements × digits × (2^width − 1)) before
    /// it takes narrower digits: about 8 MiB sent per party at most. Against the rounds it saves this pays on the WAN
    /// profiles of issue 14 (11 rounds are 0.22 s at 20 ms and 0.66 s at 60 ms; 8 MiB at 100 Mbit/s ≈ 0.67 s).</summary>
    public const long CandidateBudget = 1 << 18;

    /// <summary>floor(n / d) element-wise for 0 ≤ n &lt; d·2^<paramref name="quotientBits"/> and 1 ≤ d, d·2^quotientBits &lt; 2^62.</summary>
    public static SecretVector Divide(IComputeEngine e, SecretVector n, SecretVector d, int quotientBits) => One(e, b => b.Divide(n, d, quotientBits)).Quotient;

    /// <summary>floor(n / d) and the remainder n − d·floor(n / d) ∈ [0, d), under the conditions of <see cref="Divide"/>.</summary>
    public static (SecretVector Quotient, SecretVector Remainder) DivideWithRemainder(IComputeEngine e, SecretVector n, SecretVector d, int quotientBits)
    {
        var r = One(e, b => b.DivideWithRemainder(n, d, quotientBits));
        return (r.Quotient, r.Remainder!);
    }

    /// <summary>n / d truncated toward zero for signed n (|n| &lt; d·2^bits) and d ≥ 1, d·2^bits &lt; 2^62: floor((n + d·2^bits)/d)
    /// and floor((d·2^bits − n)/d) from one division of twice the elements, the sign of n compared alongside the first digit,
    /// and one product to pick.</summary>
    public static SecretVector DivideSigned(IComputeEngine e, SecretVector n, SecretVector d, int quotientBits) => One(e, b => b.DivideSigned(n, d, quotientBits)).Quotient;

    /// <summary>floor(sqrt(n)) element-wise for 0 ≤ n &lt; 2^(2·<paramref name="rootBits"/>) ≤ 2^62; negative n give 0.</summary>
    public static SecretVector Sqrt(IComputeEngine e, SecretVector n, int rootBits) => One(e, b => b.Sqrt(n, rootBits)).Quotient;

    /// <summary>floor(n / d) for a public divisor d ≥ 1 and 0 ≤ n &lt; d·2^bits &lt; 2^62: per digit one comparison batch and
    /// one bit injection, no product (the subtrahend is a public multiple of the shared digit).</summary>
    public static SecretVector DividePublic(IComputeEngine e, SecretVector n, ulong d, int quotientBits) => One(e, b => b.DividePublic(n, d, quotientBits)).Quotient;

    static Batch.Result One(IComputeEngine e, Func<Batch, Batch.Result> add)
    {
        var batch = new Batch(e);
        var result = add(batch);
        batch.Run();
        return result;
    }

    /// <summary>Bits needed to represent <paramref name="value"/> (≥ 1).</summary>
    public static int BitsFor(double value) => value < 1 ? 1 : (int)Math.Floor(Math.Log2(value)) + 1;

    /// <summary>
    /// Digit widths, most significant first, for <paramref name="bits"/> result bits over <paramref name="elements"/>
    /// elements: the fewest digits (widths ≤ 16, balanced, the wider on top) whose candidate comparisons,
    /// elements × digits × (2^width − 1), fit <see cref="CandidateBudget"/>, but never more than ⌈bits/8⌉ digits. Public
    /// facts only (the bit count and the vector length), so the rounds are too.
    /// </summary>
    public static int[] DigitWidths(int bits, int elements = 1)
    {
        int fewest = (bits + MaxDigitBits - 1) / MaxDigitBits, most = (bits + MinDigitBits - 1) / MinDigitBits;
        int digits = fewest;
        while (digits < most && (long)Math.Max(1, elements) * digits * ((1L << ((bits + digits - 1) / digits)) - 1) > CandidateBudget) digits++;
        return Enumerable.Range(0, digits).Select(k => bits / digits + (k < bits % digits ? 1 : 0)).ToArray();
    }

    /// <summary>Rounds of <see cref="Divide"/> (and of <see cref="DivideWithRemainder"/> one more) on the secure engine:
    /// 11 per digit less the last product; at most 11·⌈bits/8⌉ − 1.</summary>
    public static int DivideRounds(int quotientBits, int elements = 1) => 11 * DigitWidths(quotientBits, elements).Length - 1;

    /// <summary>Rounds of <see cref="Sqrt"/> on the secure engine; at most 11·⌈rootBits/8⌉ − 1.</summary>
    public static int SqrtRounds(int rootBits, int elements = 1) => 11 * DigitWidths(rootBits, elements).Length - 1;

    /// <summary>
    /// Independent divisions and square roots run in lockstep: at every step one comparison batch and one bit injection
    /// for all of them, and one product round when any needs one. Jobs with fewer digits start later, so all finish at
    /// the last step: a batch takes the rounds of its longest job (e.g. a 36-bit signed division, a 22-bit one and two
    /// 31-bit roots together: 55 rounds instead of 55 + 33 + 43 + 43). Add the jobs, call <see cref="Run"/> once, then
    /// read each <see cref="Result"/>.
    /// </summary>
    public sealed class Batch(IComputeEngine e)
    {
        readonly List<Job> _jobs = [];
        bool _ran;

        /// <summary>The outcome of one job, filled in by <see cref="Run"/>.</summary>
        public sealed class Result
        {
            SecretVector? _quotient, _remainder;
            public SecretVector Quotient => _quotient ?? throw new InvalidOperationException("Run the batch first.");
            public SecretVector? Remainder => _remainder;
            internal void Set(SecretVector q, SecretVector? r) { _quotient = q; _remainder = r; }
        }

        /// <summary>floor(n / d) (see <see cref="SecureDivision.Divide"/>).</summary>
        public Result Divide(SecretVector n, SecretVector d, int quotientBits) => Add(new LongDivision(e, n, d, quotientBits, remainder: false, signed: false));

        /// <summary>floor(n / d) and its remainder (see <see cref="SecureDivision.DivideWithRemainder"/>).</summary>
        public Result DivideWithRemainder(SecretVector n, SecretVector d, int quotientBits) => Add(new LongDivision(e, n, d, quotientBits, remainder: true, signed: false));

        /// <summary>n / d truncated toward zero (see <see cref="SecureDivision.DivideSigned"/>).</summary>
        public Result DivideSigned(SecretVector n, SecretVector d, int quotientBits) => Add(new LongDivision(e, n, d, quotientBits, remainder: false, signed: true));

        /// <summary>floor(sqrt(n)) (see <see cref="SecureDivision.Sqrt"/>).</summary>
        public Result Sqrt(SecretVector n, int rootBits) => Add(new SquareRoot(e, n, rootBits));

        /// <summary>floor(n / d) for a public d (see <see cref="SecureDivision.DividePublic"/>).</summary>
        public Result DividePublic(SecretVector n, ulong d, int quotientBits)
        {
            if (d == 0) throw new ArgumentOutOfRangeException(nameof(d), "Division by zero.");
            if (quotientBits is < 1 or > 62 || (double)d * Math.ScaleB(1.0, quotientBits) >= Math.ScaleB(1.0, 62))
                throw new RangeException($"Division by {d} with {quotientBits} quotient bits exceeds the exact range 2^62.");
            return Add(new PublicDivision(e, n, d, quotientBits));
        }

        /// <summary>[x &lt; y] as 0/1 ring elements: a one-step job, so it rides in the batch's last comparison round.</summary>
        public Result LessThan(SecretVector x, SecretVector y)
        {
            if (x.Length != y.Length) throw new ShapeException($"Comparison: {x.Length} left but {y.Length} right elements.");
            return Add(new Compare(x, y));
        }

        Result Add(Job job)
        {
            if (_ran) throw new InvalidOperationException("This batch has already run.");
            _jobs.Add(job);
            return job.Output;
        }

        /// <summary>Runs every job added so far.</summary>
        public void Run()
        {
            if (_ran) throw new InvalidOperationException("This batch has already run.");
            _ran = true;
            if (_jobs.Count == 0) return;
            int steps = _jobs.Max(j => j.Digits);
            for (int step = 0; step < steps; step++)
            {
                var active = _jobs.Where(j => step >= steps - j.Digits).ToArray();
                var comparisons = active.Select(j => j.Comparisons(step - (steps - j.Digits))).ToArray();
                var bits = e.ToArithmetic(e.LessThan(e.Concat(comparisons.Select(c => c.Left).ToArray()), e.Concat(comparisons.Select(c => c.Right).ToArray())));
                var products = new List<(Job Job, SecretVector X, SecretVector Y)>();
                int offset = 0;
                for (int t = 0; t < active.Length; t++)
                {
                    int len = comparisons[t].Left.Length;
                    var mine = active.Length == 1 ? bits : e.Gather(bits, Enumerable.Range(offset, len).ToArray());
                    offset += len;
                    if (active[t].Consume(mine) is { } product) products.Add((active[t], product.X, product.Y));
                }
                if (products.Count == 0) continue;
                var all = e.Multiply(e.Concat(products.Select(p => p.X).ToArray()), e.Concat(products.Select(p => p.Y).ToArray()));
                offset = 0;
                foreach (var (job, x, _) in products)
                {
                    job.Product(products.Count == 1 ? all : e.Gather(all, Enumerable.Range(offset, x.Length).ToArray()));
                    offset += x.Length;
                }
            }
        }
    }

    /// <summary>A digit-serial job: per digit, comparisons to make; then, from their 0/1 results, at most one product to ask for.</summary>
    abstract class Job
    {
        public readonly Batch.Result Output = new();
        public abstract int Digits { get; }
        public abstract (SecretVector Left, SecretVector Right) Comparisons(int digit);
        /// <summary>Takes this job's comparison results ([Left &lt; Right] as 0/1); returns a product to compute, if any.</summary>
        public abstract (SecretVector X, SecretVector Y)? Consume(SecretVector bits);
        public virtual void Product(SecretVector xy) { }
    }

    /// <summary>One comparison, as 0/1.</summary>
    sealed class Compare(SecretVector x, SecretVector y) : Job
    {
        public override int Digits => 1;
        public override (SecretVector Left, SecretVector Right) Comparisons(int digit) => (x, y);
        public override (SecretVector X, SecretVector Y)? Consume(SecretVector bits)
        {
            Output.Set(bits, null);
            return null;
        }
    }

    /// <summary>Long division of shared n by shared d; signed: of (n + B, B − n) by (d, d), B = d·2^bits, with [n &lt; 0].</summary>
    sealed class LongDivision : Job
    {
        readonly IComputeEngine _e;
        readonly SecretVector _d, _sign = null!;
        readonly int[] _widths;
        readonly int _len, _bits;
        readonly bool _remainder, _signed;
        SecretVector _r, _t = null!, _negative = null!;
        SecretVector? _q;
        int _digit = -1, _position, _count;

        public LongDivision(IComputeEngine e, SecretVector n, SecretVector d, int quotientBits, bool remainder, bool signed)
        {
            if (n.Length != d.Length) throw new ShapeException($"Division: {n.Length} numerators but {d.Length} denominators.");
            int max = signed ? 61 : 62;
            if (quotientBits < 1 || quotientBits > max) throw new ArgumentOutOfRangeException(nameof(quotientBits), quotientBits, $"Quotient bits must be 1..{max}.");
            _e = e; _remainder = remainder; _signed = signed; _bits = quotientBits;
            if (signed)
            {
                var big = e.MultiplyPublic(d, 1UL << quotientBits);                   // B = d·2^bits
                _sign = n;
                n = e.Concat([e.Add(big, n), e.Subtract(big, n)]);                    // in (0, 2B)
                d = e.Concat([d, d]);
                quotientBits++;
            }
            _r = n; _d = d; _len = n.Length;
            _widths = DigitWidths(quotientBits, _len);
            _position = quotientBits;
        }

        public override int Digits => _widths.Length;

        public override (SecretVector Left, SecretVector Right) Comparisons(int digit)
        {
            _digit = digit;
            int width = _widths[digit];
            _count = (1 << width) - 1;
            _position -= width;
            _t = _e.MultiplyPublic(_d, 1UL << _position);
            var left = Repeat(_e, _r, _count);
            var right = Multiples(_e, _t, _count);
            if (digit == 0 && _signed)
            {
                left = _e.Concat([left, _sign]);
                right = _e.Concat([right, _e.Public(new ulong[_sign.Length])]);
            }
            return (left, right);
        }

        public override (SecretVector X, SecretVector Y)? Consume(SecretVector bits)
        {
            if (_digit == 0 && _signed)
            {
                _negative = _e.Gather(bits, Enumerable.Range(_count * _len, _sign.Length).ToArray());
                bits = _e.Gather(bits, Enumerable.Range(0, _count * _len).ToArray());
            }
            var digit = _e.AddPublic(_e.MultiplyPublic(SumBlocks(_e, bits, _count, _len), ulong.MaxValue), (ulong)_count);
            var term = _e.MultiplyPublic(digit, 1UL << _position);
            _q = _q is null ? term : _e.Add(_q, term);
            bool last = _digit == _widths.Length - 1;
            if (!last || _remainder) return (digit, _t);
            if (!_signed) { Output.Set(_q, null); return null; }
            // n ≥ 0: floor(n/d); n < 0: −floor(−n/d) = floor(n/d) + neg·(−floor(−n/d) − floor(n/d)).
            int half = _len / 2;
            ulong offset = 0UL - (1UL << _bits);
            var up = _e.AddPublic(_e.Gather(_q, Enumerable.Range(0, half).ToArray()), offset);           // floor(n/d)
            var down = _e.AddPublic(_e.Gather(_q, Enumerable.Range(half, half).ToArray()), offset);      // floor(−n/d)
            _q = up;
            return (_negative, _e.Subtract(_e.MultiplyPublic(down, ulong.MaxValue), up));
        }

        public override void Product(SecretVector xy)
        {
            bool last = _digit == _widths.Length - 1;
            if (last && _signed) { Output.Set(_e.Add(_q!, xy), null); return; }
            _r = _e.Subtract(_r, xy);
            if (last) Output.Set(_q!, _r);
        }
    }

    /// <summary>Long division by a public divisor: the subtrahend q_s·d·2^s is a public multiple of the digit (no product).</summary>
    sealed class PublicDivision(IComputeEngine e, SecretVector n, ulong d, int quotientBits) : Job
    {
        readonly int[] _widths = DigitWidths(quotientBits, n.Length);
        readonly int _len = n.Length;
        SecretVector _r = n;
        SecretVector? _q;
        int _digit, _position = quotientBits, _count;
        ulong _t;

        public override int Digits => _widths.Length;

        public override (SecretVector Left, SecretVector Right) Comparisons(int digit)
        {
            _digit = digit;
            _count = (1 << _widths[digit]) - 1;
            _position -= _widths[digit];
            _t = d << _position;
            int len = _len;
            var thresholds = new ulong[_count * len];
            for (int m = 1; m <= _count; m++) thresholds.AsSpan((m - 1) * len, len).Fill((ulong)m * _t);
            return (Repeat(e, _r, _count), e.Public(thresholds));
        }

        public override (SecretVector X, SecretVector Y)? Consume(SecretVector bits)
        {
            var digit = e.AddPublic(e.MultiplyPublic(SumBlocks(e, bits, _count, _len), ulong.MaxValue), (ulong)_count);
            _r = e.Subtract(_r, e.MultiplyPublic(digit, _t));
            var term = e.MultiplyPublic(digit, 1UL << _position);
            _q = _q is null ? term : e.Add(_q, term);
            if (_digit == _widths.Length - 1) Output.Set(_q, null);
            return null;
        }
    }

    /// <summary>Digit-by-digit square root: candidate m passes when rem ≥ m·2^(s+1)·root + m²·2^(2s).</summary>
    sealed class SquareRoot : Job
    {
        readonly IComputeEngine _e;
        readonly int[] _widths;
        readonly int _len;
        SecretVector _rem, _root, _rootStep = null!, _digitValue = null!;
        int _digit, _position, _count;

        public SquareRoot(IComputeEngine e, SecretVector n, int rootBits)
        {
            if (rootBits is < 1 or > 31) throw new ArgumentOutOfRangeException(nameof(rootBits), rootBits, "Root bits must be 1..31.");
            _e = e; _len = n.Length; _rem = n;
            _root = e.Public(new ulong[n.Length]);
            _widths = DigitWidths(rootBits, n.Length);
            _position = rootBits;
        }

        public override int Digits => _widths.Length;

        public override (SecretVector Left, SecretVector Right) Comparisons(int digit)
        {
            _digit = digit;
            _count = (1 << _widths[digit]) - 1;
            _position -= _widths[digit];
            int s = _position;
            // (root + m·2^s)² − root² = m·2^(s+1)·root + m²·2^(2s).
            _rootStep = _e.MultiplyPublic(_root, 1UL << (s + 1));
            var squares = new ulong[_count * _len];
            for (int m = 1; m <= _count; m++) squares.AsSpan((m - 1) * _len, _len).Fill((ulong)m * (ulong)m << (2 * s));
            return (Repeat(_e, _rem, _count), _e.Add(Multiples(_e, _rootStep, _count), _e.Public(squares)));
        }

        public override (SecretVector X, SecretVector Y)? Consume(SecretVector bits)
        {
            int s = _position;
            _digitValue = _e.AddPublic(_e.MultiplyPublic(SumBlocks(_e, bits, _count, _len), ulong.MaxValue), (ulong)_count);
            _root = _e.Add(_root, _e.MultiplyPublic(_digitValue, 1UL << s));
            if (_digit == _widths.Length - 1) { Output.Set(_root, null); return null; }
            return (_digitValue, _e.Add(_rootStep, _e.MultiplyPublic(_digitValue, 1UL << (2 * s))));
        }

        public override void Product(SecretVector xy) => _rem = _e.Subtract(_rem, xy);
    }

    /// <summary><paramref name="count"/> copies of x, one after the other (local).</summary>
    static SecretVector Repeat(IComputeEngine e, SecretVector x, int count) =>
        count == 1 ? x : e.Concat(Enumerable.Repeat(x, count).ToArray());

    /// <summary>[1·t, 2·t, …, count·t], block after block (local; by doubling, so a few engine calls per bit of count).</summary>
    static SecretVector Multiples(IComputeEngine e, SecretVector t, int count)
    {
        int len = t.Length, have = 1;
        var v = t;
        while (have < count)
        {
            int add = Math.Min(have, count - have);
            var next = e.Add(add == have ? v : e.Gather(v, Enumerable.Range(0, add * len).ToArray()), e.MultiplyPublic(Repeat(e, t, add), (ulong)have));
            v = e.Concat([v, next]);
            have += add;
        }
        return v;
    }

    /// <summary>Σ of <paramref name="blocks"/> consecutive blocks of <paramref name="len"/> elements (local: a halving tree of additions).</summary>
    static SecretVector SumBlocks(IComputeEngine e, SecretVector v, int blocks, int len)
    {
        while (blocks > 1)
        {
            int half = blocks / 2;
            var sum = e.Add(e.Gather(v, Enumerable.Range(0, half * len).ToArray()), e.Gather(v, Enumerable.Range(half * len, half * len).ToArray()));
            v = blocks % 2 == 0 ? sum : e.Concat([sum, e.Gather(v, Enumerable.Range(2 * half * len, len).ToArray())]);
            blocks = half + blocks % 2;
        }
        return v;
    }
}
