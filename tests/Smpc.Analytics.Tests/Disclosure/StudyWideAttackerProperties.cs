using Smpc.Analytics.Columnar;
using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Queries;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Tests.Disclosure;

/// <summary>
/// A plaintext attacker against random tables and random sequences of queries. The attacker knows every query and every
/// released value and the declared domains (not the rows). Its unknowns are the count and the sum of every point of the
/// domain (g1 × g2 × x); each released cell is an equation over the points it covers. It solves the system (Gauss–Jordan)
/// and, for every 0/1 combination of points it can determine, checks the truth: no suppressed cell may be determined, and
/// no determined group of points may hold between 1 and k − 1 rows (nor 0 rows when it covers a suppressed cell).
/// Written independently of the model's own atoms and span (Disclosure/Audit).
/// </summary>
public class StudyWideAttackerProperties
{
    const int K = 5;
    static readonly string[] G1 = ["a", "b", "c"];
    static readonly string[] G2 = ["u", "v"];
    const int XMax = 7;

    static readonly TableSchema Schema = new()
    {
        Name = "t",
        Columns =
        [
            new ColumnSpec { Name = "g1", Kind = ColumnKind.Categorical, Domain = G1 },
            new ColumnSpec { Name = "g2", Kind = ColumnKind.Categorical, Domain = G2 },
            new ColumnSpec { Name = "x", Kind = ColumnKind.Integer, Min = 0, Max = XMax },
            new ColumnSpec { Name = "v", Kind = ColumnKind.Integer, Min = 0, Max = 100 },
        ],
    };

    sealed record Point(string G1, string G2, int X);
    static readonly Point[] Points = G1.SelectMany(a => G2.SelectMany(b => Enumerable.Range(0, XMax + 1).Select(x => new Point(a, b, x)))).ToArray();

    sealed record Q(RowFilter? Filter, string[] Groups);

    [Fact]
    public void No_protected_value_is_ever_determined_by_the_released_values()
    {
        int violationsWithoutModel = 0, refused = 0, released = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            var rng = new Random(1000 + trial);
            var rows = Enumerable.Range(0, rng.Next(25, 70)).Select(_ =>
                (P: Points[Skewed(rng)], V: rng.Next(0, 101))).ToArray();
            var queries = Enumerable.Range(0, rng.Next(2, 5)).Select(_ => RandomQuery(rng)).ToArray();

            var withModel = Attack(rows, queries, ledger: true, ref refused, ref released);
            Assert.True(withModel is null, $"trial {trial}: {withModel}");
            int ignore = 0, ignore2 = 0;
            if (Attack(rows, queries, ledger: false, ref ignore, ref ignore2) is not null) violationsWithoutModel++;
        }
        // The attacker is strong enough to matter: per-query control alone leaks in some of the same trials.
        Assert.True(violationsWithoutModel > 0, "the attacker found nothing even without the study-wide model");
        Assert.True(released > 0);
    }

    /// <summary>Points drawn unevenly, so that small groups and empty points occur.</summary>
    static int Skewed(Random rng) => rng.NextDouble() < 0.6 ? rng.Next(0, Points.Length / 3) : rng.Next(0, Points.Length);

    static Q RandomQuery(Random rng)
    {
        var leaves = new List<RowFilter>();
        if (rng.NextDouble() < 0.5) leaves.Add(RowFilter.Compare("x", CompareOp.GreaterOrEqual, rng.Next(0, XMax + 1)));
        if (rng.NextDouble() < 0.3) leaves.Add(RowFilter.Compare("x", CompareOp.Less, rng.Next(1, XMax + 2)));
        if (rng.NextDouble() < 0.3) leaves.Add(RowFilter.In("g1", G1.Where(_ => rng.NextDouble() < 0.6).DefaultIfEmpty("a").ToArray()));
        RowFilter? filter = leaves.Count == 0 ? null : leaves.Aggregate((l, r) => l & r);
        string[][] groupings = [[], ["g1"], ["g2"], ["g1", "g2"]];
        return new Q(filter, groupings[rng.Next(groupings.Length)]);
    }

    /// <summary>Runs the queries (count and sum of v per cell) and attacks the releases; returns a description of a breach, or null.</summary>
    static string? Attack((Point P, int V)[] rows, Q[] queries, bool ledger, ref int refused, ref int releasedCells)
    {
        using var engine = new PlaintextEngine();
        var plain = new PlainTable("t").Add("g1", rows.Select(r => r.P.G1).ToArray()).Add("g2", rows.Select(r => r.P.G2).ToArray())
            .Add("x", rows.Select(r => (long)r.P.X).ToArray()).Add("v", rows.Select(r => (long)r.V).ToArray());
        var table = ContributorEncoder.Share(engine, Schema, plain);
        var terms = new DataUseTerms
        {
            Dataset = "t", Steward = "test", Purpose = "tests", Redisclosure = new RedisclosureTerms(), MinCellSize = K,
            AllowedOperations = ["count", "sum", "groupby", "crosstab"],
        };
        var analysis = new SecureAnalysis(table, terms) { Disclosure = ledger ? new DisclosureLedger() : null };
        var equations = new List<bool[]>();
        var protectedCells = new List<bool[]>();
        foreach (var q in queries)
        {
            var query = analysis.GroupBy(q.Groups);
            if (q.Filter is not null) query = query.Where(q.Filter);
            QueryResult r;
            try { r = query.Aggregate(Measure.Count(), Measure.Sum("v")); }
            catch (PolicyException) { refused++; continue; }
            var cells = r.Cells!;
            for (int c = 0; c < cells.Layout.Count; c++)
            {
                var key = cells.Layout.Keys[c];
                var members = Points.Select(p => In(p, q, key)).ToArray();
                if (cells.Status[c] == SuppressionReason.Released)
                {
                    equations.Add(members);
                    releasedCells++;
                    // The released values are the truth (so the attacker's equations are right).
                    Assert.Equal(rows.Count(row => members[Array.IndexOf(Points, row.P)]), cells.Measures[0].Values[c]);
                }
                else protectedCells.Add(members);
            }
        }
        return Breach(rows, equations, protectedCells);
    }

    static bool In(Point p, Q q, string?[] key)
    {
        if (q.Filter is not null && !Holds(q.Filter, p)) return false;
        for (int d = 0; d < q.Groups.Length; d++)
        {
            if (key[d] is null) continue;
            if ((q.Groups[d] == "g1" ? p.G1 : p.G2) != key[d]) return false;
        }
        return true;
    }

    static bool Holds(RowFilter f, Point p) => f switch
    {
        RowFilter.Comparison c => c.Op switch
        {
            CompareOp.GreaterOrEqual => p.X >= c.Value,
            CompareOp.Less => p.X < c.Value,
            _ => throw new InvalidOperationException(),
        },
        RowFilter.Membership m => m.Values.Contains(p.G1),
        RowFilter.All a => Holds(a.Left, p) && Holds(a.Right, p),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>The attacker: row-reduce the equations over points, enumerate determinable 0/1 combinations, check each.</summary>
    static string? Breach((Point P, int V)[] rows, List<bool[]> equations, List<bool[]> protectedCells)
    {
        int width = Points.Length;
        var counts = Points.Select(p => rows.Count(r => r.P == p)).ToArray();
        var basis = new List<double[]>();
        var pivots = new List<int>();
        foreach (var eq in equations)
        {
            var v = eq.Select(b => b ? 1.0 : 0.0).ToArray();
            for (int i = 0; i < basis.Count; i++) if (v[pivots[i]] != 0) { double f = v[pivots[i]]; for (int j = 0; j < width; j++) v[j] -= f * basis[i][j]; }
            int piv = Array.FindIndex(v, x => Math.Abs(x) > 1e-9);
            if (piv < 0) continue;
            double s = v[piv];
            for (int j = 0; j < width; j++) v[j] /= s;
            for (int i = 0; i < basis.Count; i++) if (Math.Abs(basis[i][piv]) > 1e-9) { double f = basis[i][piv]; for (int j = 0; j < width; j++) basis[i][j] -= f * v[j]; }
            basis.Add(v); pivots.Add(piv);
        }
        bool InSpan(double[] target)
        {
            var r = (double[])target.Clone();
            for (int i = 0; i < basis.Count; i++) { double f = r[pivots[i]]; if (f != 0) for (int j = 0; j < width; j++) r[j] -= f * basis[i][j]; }
            return r.All(x => Math.Abs(x) < 1e-7);
        }
        foreach (var p in protectedCells.Where(p => p.Any(b => b)))   // a cell no point can fall in is empty by its definition
            if (InSpan(p.Select(b => b ? 1.0 : 0.0).ToArray()))
                return $"a suppressed cell ({p.Count(b => b)} points) is determined by the released cells";
        if (basis.Count > LinearSpanLimit) return null;      // the exhaustive attack is the model's stated completeness bound
        for (int mask = 1; mask < 1 << basis.Count; mask++)
        {
            var u = new double[width];
            for (int i = 0; i < basis.Count; i++) if ((mask >> i & 1) == 1) for (int j = 0; j < width; j++) u[j] += basis[i][j];
            if (!u.All(x => Math.Abs(x) < 1e-9 || Math.Abs(x - 1) < 1e-9)) continue;
            int n = Enumerable.Range(0, width).Where(j => u[j] > 0.5).Sum(j => counts[j]);
            bool coversProtected = protectedCells.Any(p => Enumerable.Range(0, width).Any(j => p[j] && u[j] > 0.5));
            if ((n > 0 && n < K) || (n == 0 && coversProtected))
                return $"a determined group of {n} rows (points {string.Join(" ", Enumerable.Range(0, width).Where(j => u[j] > 0.5).Select(j => Points[j]))})";
        }
        return null;
    }

    const int LinearSpanLimit = 16;
}
