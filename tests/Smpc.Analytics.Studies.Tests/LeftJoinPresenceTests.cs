using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Queries;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>The synthetic agencies with veterans ⋈ bank linked twice — inner ("vb") and left ("vbl") — on the secure
/// engine and on the plaintext reference engine.</summary>
public sealed class LeftJoinFixture : IDisposable
{
    public SecureStudy Secure { get; } = SecureStudy.OpenSynthetic(name: "secure-left", engine: new SecureEngine());   // the engine path: the tests read what the parties hold
    public SecureStudy Plain { get; } = SecureStudy.OpenSynthetic(name: "plain-left", engine: new PlaintextEngine());
    public JoinRelease Inner { get; }
    public JoinRelease Left { get; }
    public JoinRelease PlainLeft { get; }

    /// <summary>The left join's rows in plaintext (revealed from the plaintext engine, which ran the same linkage).</summary>
    public IReadOnlyList<LeftJoinPresenceTests.Row> Rows { get; }

    public LeftJoinFixture()
    {
        Inner = Secure.Join("veterans", "bank", "vb");
        Left = Secure.Join(new JoinRequest { Datasets = ["veterans", "bank"], Kind = JoinKind.Left, Name = "vbl" });
        Plain.Join("veterans", "bank", "vb");
        PlainLeft = Plain.Join(new JoinRequest { Datasets = ["veterans", "bank"], Kind = JoinKind.Left, Name = "vbl" });
        Rows = LeftJoinPresenceTests.Reveal(Plain, "vbl");
    }

    public void Dispose()
    {
        Secure.Dispose();
        Plain.Dispose();
    }
}

/// <summary>
/// Issue 10, points 1 and 2: a left join's unlinked rows used to count as zeros in every statistic over the other table's
/// columns (mean 892 instead of 1,767 on the data), and the cell-size rule counted rows, not rows holding the
/// value, so a cell of 17 veterans with 8 bank customers released the exact sum over those 8. Each test computes the
/// wrong (zero-filled) number in plaintext first, then checks the release against the plaintext complete-case value.
/// </summary>
public sealed class LeftJoinPresenceTests(LeftJoinFixture f) : IClassFixture<LeftJoinFixture>
{
    static readonly double MeanTolerance = Math.ScaleB(1.0, -9) + 1e-3;   // as StudyConformance
    const int MinCell = 20, Base = 5;                                      // the bank's terms (the strictest of the two)

    public sealed record Row(bool Linked, bool Matched, double Balance, double Benefit, double Age, string Band, string State);

    static double Round(double n) => Math.Floor((n + Base / 2) / Base) * Base;

    [Fact]
    public void Presence_of_the_bank_columns_is_the_matched_flag()
    {
        Assert.All(f.Rows, r => Assert.Equal(r.Matched, r.Linked));
        Assert.All(f.Rows.Where(r => !r.Linked), r => Assert.Equal(0, r.Balance));
        var vbl = f.Secure.Dataset("vbl").Table;
        Assert.True(vbl["balance"].Spec.Nullable && vbl["balance"].Present is not null);
        Assert.True(vbl["bank.state"].Present is not null);
        Assert.Null(vbl["monthly_benefit"].Present);                       // the base table's columns are as contributed
    }

    [Fact]
    public void A_left_join_mean_counts_only_the_linked_customers()
    {
        var linked = f.Rows.Where(r => r.Linked).Select(r => r.Balance).ToList();
        double zeroFilled = f.Rows.Sum(r => r.Balance) / f.Rows.Count;      // what was released before: unlinked rows as zeros
        double truth = linked.Average();
        Assert.True(truth - zeroFilled > 0.3 * Math.Abs(truth), $"the bug's number {zeroFilled} should be far from {truth}");

        var left = f.Secure.Mean("vbl", "balance");
        var inner = f.Secure.Mean("vb", "balance");
        double mean = left.Cell("mean(balance)", Release.AllLabel)!.Value;
        Assert.True(Math.Abs(mean - truth) <= MeanTolerance, $"{mean} vs {truth}");
        Assert.Equal(inner.Cell("mean(balance)", Release.AllLabel), mean);
        // The sum is exact (in encoded units); it comes from the plaintext-engine study, because in this study the sum after
        // the mean of the same cell would give the unrounded count (the study-wide model refuses it).
        Assert.Equal(linked.Sum(), f.Plain.Sum("vbl", "balance").Cell("sum(balance)", Release.AllLabel)!.Value, 6);
        Assert.Equal("StudyDisclosure", Assert.Throws<PolicyException>(() => f.Secure.Sum("vbl", "balance")).Rule);
        // Both counts are shown: the complete cases the statistics ran over, and the cell's rows — each rounded to 5.
        Assert.Equal(Round(linked.Count), left.Cell("count", Release.AllLabel));
        Assert.Equal(Round(f.Rows.Count), left.Cell(QueryResult.RowsColumn, Release.AllLabel));
        Assert.Equal(inner.Cell("count", Release.AllLabel), left.Cell("count", Release.AllLabel));
        Assert.Contains(QueryResult.RowsColumn, left.ValueColumns);
        Assert.DoesNotContain(QueryResult.RowsColumn, inner.ValueColumns);  // no missing values: one count
    }

    [Fact]
    public void Left_join_means_by_group_equal_the_plaintext_means_over_the_linked_rows()
    {
        var release = f.Secure.Mean("vbl", "balance", "disability_band");
        var inner = f.Secure.Mean("vb", "balance", "disability_band");
        int released = 0;
        foreach (var band in f.Rows.Select(r => r.Band).Distinct())
        {
            var linked = f.Rows.Where(r => r.Band == band && r.Linked).Select(r => r.Balance).ToList();
            int row = release.RowOf(band);
            Assert.Equal(inner.IsSuppressed(inner.RowOf(band)), release.IsSuppressed(row));
            if (release.IsSuppressed(row)) continue;
            released++;
            double mean = release.Value(row, "mean(balance)")!.Value;
            Assert.True(Math.Abs(mean - linked.Average()) <= MeanTolerance, $"{band}: {mean} vs {linked.Average()}");
            Assert.Equal(inner.Value(inner.RowOf(band), "mean(balance)"), mean);
            Assert.Equal(Round(linked.Count), release.Value(row, "count"));
        }
        Assert.True(released >= 3, "most disability bands should be released");
    }

    [Fact]
    public void Left_join_median_and_ols_use_the_linked_rows_only()
    {
        var linked = f.Rows.Where(r => r.Linked).ToList();
        var balances = linked.Select(r => r.Balance).ToList();
        Assert.Equal(0, Plain.Quantile(f.Rows.Where(r => !r.Linked).Select(r => r.Balance).ToList(), 0.5));

        // The bank's terms do not allow quantiles; the engine-level query runs under them plus 'quantile', to check the rows used.
        var d = f.Secure.Dataset("vbl");
        var analysis = new SecureAnalysis(d.Table, d.Terms with { AllowedOperations = [.. d.Terms.AllowedOperations, "quantile"] }, analyst: f.Secure.Analyst);
        var median = (double)analysis.GroupBy().Median("balance").Table.Columns["value"][0];
        double expected = Plain.Quantile(balances, 0.5);
        Assert.True(Math.Abs(median - expected) <= Plain.Gap(balances, 0.5) * Math.ScaleB(1.0, -16) + Math.ScaleB(1.0, -8), $"median {median} vs {expected}");

        var fit = f.Secure.Ols("vbl", "balance", "monthly_benefit", "age");
        var b = Plain.Ols(balances, linked.Select(r => r.Benefit).ToArray(), linked.Select(r => r.Age).ToArray());
        var zeroFilled = Plain.Ols(f.Rows.Select(r => r.Balance).ToArray(), f.Rows.Select(r => r.Benefit).ToArray(), f.Rows.Select(r => r.Age).ToArray());
        string[] terms = ["(intercept)", "monthly_benefit", "age"];
        var se = terms.Select(t => fit.Cell("std_error", t)!.Value).ToArray();
        for (int j = 0; j < 3; j++)
        {
            double coefficient = fit.Cell("coefficient", terms[j])!.Value;
            Assert.True(Math.Abs(coefficient - b[j]) < 0.01 * se[j], $"{terms[j]}: {coefficient} vs {b[j]} (se {se[j]})");
        }
        Assert.Contains(Enumerable.Range(0, 3), j => Math.Abs(zeroFilled[j] - b[j]) > se[j]);   // the bug's fit is off by more than a standard error
    }

    [Fact]
    public void A_cell_with_enough_veterans_but_few_bank_customers_is_suppressed_and_small_differences_are_withheld()
    {
        var release = f.Secure.Mean("vbl", "balance", "state");
        var states = f.Rows.GroupBy(r => r.State).Select(g => (State: g.Key, Rows: g.Count(), Linked: g.Count(r => r.Linked))).ToList();
        // The attack of the issue: rows pass the cell-size rule, the linked customers do not, and count × mean was their exact sum.
        var exposed = states.Where(s => s.Rows >= MinCell && s.Linked is > 0 and < MinCell).ToList();
        Assert.NotEmpty(exposed);
        foreach (var s in exposed)
        {
            int row = release.RowOf(s.State);
            Assert.True(release.IsSuppressed(row), $"{s.State}: {s.Rows} veterans, {s.Linked} bank customers");
            Assert.Equal($"cell size < {MinCell}", release.Rule(row));
        }
        int released = 0;
        foreach (var s in states)
        {
            int row = release.RowOf(s.State);
            bool fewMissing = s.Rows - s.Linked is > 0 and < MinCell;
            if (s.Linked >= MinCell && fewMissing)
                Assert.Contains(release.Rule(row), new[] { $"rows without the value < {MinCell}", "dominance (p% rule, p = 10)" });
            if (release.IsSuppressed(row)) continue;
            released++;
            Assert.True(s.Linked >= MinCell && !fewMissing, $"{s.State} released with {s.Rows} rows, {s.Linked} linked");
            Assert.Equal(Round(s.Linked), release.Value(row, "count"));
            Assert.Equal(Round(s.Rows), release.Value(row, QueryResult.RowsColumn));
            double truth = f.Rows.Where(r => r.State == s.State && r.Linked).Average(r => r.Balance);
            Assert.True(Math.Abs(release.Value(row, "mean(balance)")!.Value - truth) <= MeanTolerance, s.State);
        }
        Assert.True(released > 0);
    }

    [Fact]
    public void The_released_join_sizes_are_rounded_to_the_banks_base_and_the_parties_keep_the_exact_length()
    {
        // The issue: 3,516 rows and 3,355 + 161 per pass released exactly while the bank rounds counts to 5.
        int exact = f.Secure.Dataset("vb").RowCount;
        Assert.Equal(f.Plain.Dataset("vb").RowCount, exact);
        Assert.Equal((int)Round(exact), f.Inner.JoinedRows);
        Assert.Equal(5, f.Inner.RoundingBase);
        Assert.Equal(f.Inner.JoinedRows, f.Secure.Dataset("vb").ReleasedRows);
        Assert.All(f.Inner.MatchCounts, c => Assert.Equal(0, c.Count!.Value % Base));
        Assert.Equal((int)Round(f.Rows.Count), f.Left.JoinedRows);
        Assert.Equal(f.Rows.Count, f.Secure.Dataset("vbl").RowCount);
        Assert.Contains($"{Round(exact):N0} rows (rounded to a multiple of 5)", f.Inner.Summary);
        Assert.Contains(f.Inner.Cost.ToAnalyst, r => r.Purpose.Contains("rounded to a multiple of 5"));
        if (exact % Base != 0) Assert.DoesNotContain($"{exact:N0}", f.Inner.Summary + f.Secure.Dataset("vb").ToString());
    }

    /// <summary>The plaintext rows of a joined dataset on the plaintext engine.</summary>
    public static List<Row> Reveal(SecureStudy plain, string dataset)
    {
        var t = plain.Dataset(dataset).Table;
        var e = plain.Engine;
        ulong[] Raw(SecretVector v) => e.Reveal(v, "test: plaintext reference");
        double[] Number(string c) => Raw(t[c].Values!).Select(x => (long)x * Math.ScaleB(1.0, -t[c].Spec.Scale)).ToArray();
        string[] Label(string c)
        {
            var hot = t[c].OneHot!.Select(Raw).ToArray();
            return Enumerable.Range(0, t.RowCount).Select(i => Enumerable.Range(0, hot.Length).Where(k => hot[k][i] == 1).Select(k => t[c].Spec.Domain![k]).FirstOrDefault() ?? "").ToArray();
        }
        var present = Raw(t["balance"].Present!);
        var matched = Raw(t["matched"].Values!);
        var balance = Number("balance"); var benefit = Number("monthly_benefit"); var age = Number("age");
        var band = Label("disability_band"); var state = Label("state");
        return Enumerable.Range(0, t.RowCount).Select(i => new Row(present[i] == 1, matched[i] == 1, balance[i], benefit[i], age[i], band[i], state[i])).ToList();
    }
}
