using Smpc.Analytics.Disclosure;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// The study conformance suite: the study API (joins, filters, weights, differential privacy, the p% rule, order
/// statistics, OLS, group-by with suppression) on the committed synthetic agencies, each release compared with
/// plaintext — exact for counts (against truth/ground-truth.json and LINQ over the files), within stated bounds for
/// fixed-point results, and equal to the plaintext reference engine on joined data. The same tests run on every form
/// of the study: three parties in this process (<see cref="EmbeddedStudyConformance"/>) and three party services as
/// separate processes over TLS with data uploaded by contributor processes (Smpc.EndToEnd.Tests).
/// </summary>
public abstract partial class StudyConformance(IConformanceStudy f)
{
    // Money has 8 fraction bits: each value is encoded within 2^-9 of itself, so a mean is within 2^-9 of the exact mean;
    // the secure division adds at most a few units of its last place (2^-16 relative to the value's scale).
    static readonly double MeanTolerance = Math.ScaleB(1.0, -9) + 1e-3;

    [Fact]
    public void Counts_by_service_era_equal_the_ground_truth()
    {
        var release = f.Secure.Count("veterans", "service_era");
        var truth = f.Truth.Numbers("aggregates.veterans.rows_by_service_era");
        foreach (var (era, n) in truth) Assert.Equal(n, release.Cell("count", era));
        Assert.Equal(8000, release.Cell("count", Release.AllLabel));
        Assert.Equal(0, release.SuppressedCount);
    }

    [Fact]
    public void Mean_benefit_by_disability_band_equals_the_ground_truth_within_the_encoding_error()
    {
        var release = f.Secure.Mean("veterans", "monthly_benefit", "disability_band");
        foreach (var (band, mean) in f.Truth.Numbers("aggregates.veterans.mean_monthly_benefit_by_disability_band"))
        {
            var got = release.Cell("mean(monthly_benefit)", band)!.Value;
            Assert.True(Math.Abs(got - mean) <= MeanTolerance, $"{band}: {got} vs {mean}");
        }
        Assert.Contains(release.Notes, n => n.Contains("error at most"));
    }

    [Fact]
    public void A_cross_tab_suppresses_the_small_cell_with_a_rectangle_of_complements_and_releases_the_rest_exactly()
    {
        var release = f.Secure.CrossTab("veterans", "service_era", "sex");
        var truth = f.Truth.Element("aggregates.veterans.rows_by_service_era_and_sex");
        var suppressed = new List<(string, string)>();
        for (int r = 0; r < release.RowCount; r++)
        {
            string era = release.Key(r, "service_era")!, sex = release.Key(r, "sex")!;
            if (release.IsSuppressed(r)) { suppressed.Add((era, sex)); Assert.Null(release.Value(r, "count")); continue; }
            double expected = era == Release.AllLabel && sex == Release.AllLabel ? 8000
                : era == Release.AllLabel ? truth.EnumerateObject().Sum(e => e.Value.GetProperty(sex).GetDouble())
                : sex == Release.AllLabel ? truth.GetProperty(era).EnumerateObject().Sum(p => p.Value.GetDouble())
                : truth.GetProperty(era).GetProperty(sex).GetDouble();
            Assert.Equal(expected, release.Value(r, "count"));
        }
        // Korea × F has 8 < 11 rows; protecting it exactly takes a rectangle of four interior cells, margins stay published.
        Assert.Contains(("Korea", "F"), suppressed);
        Assert.Equal(4, suppressed.Count);
        Assert.DoesNotContain(suppressed, s => s.Item1 == Release.AllLabel || s.Item2 == Release.AllLabel);
        Assert.Equal(2, suppressed.Select(s => s.Item1).Distinct().Count());
        Assert.Equal(2, suppressed.Select(s => s.Item2).Distinct().Count());
        var layout = new CellLayout(["service_era", "sex"], [["Korea", "Vietnam", "Peacetime", "Gulf War", "Post-9/11"], ["F", "M"]]);
        var pattern = Enumerable.Range(0, release.RowCount).Select(release.IsSuppressed).ToArray();
        Assert.Empty(ComplementarySuppression.Recoverable(layout.Count, layout.Relations, pattern));
        Assert.Equal("cell size < 11", release.Rule(release.RowOf("Korea", "F")));
    }

    [Fact]
    public void Histogram_counts_equal_plaintext_per_bin()
    {
        double[] edges = [0, 500, 1000, 2000, 3000, 5000];
        var release = f.Secure.Histogram("veterans", "monthly_benefit", edges);
        var benefit = Plain.Column<double>(f.Truth.File("veterans"), "monthly_benefit");
        for (int b = 0; b < edges.Length - 1; b++)
        {
            bool last = b == edges.Length - 2;
            int expected = benefit.Count(x => x >= edges[b] && (last ? x <= edges[b + 1] : x < edges[b + 1]));
            Assert.Equal(expected, release.Value(b, "count"));
        }
    }

    [Fact]
    public void A_filter_runs_on_shares_and_equals_plaintext()
    {
        var release = f.Secure.Query("veterans").Where("age >= 65 and service_era in (Vietnam, Korea)").GroupBy("sex").Count();
        var file = f.Truth.File("veterans");
        var age = Plain.Column<long>(file, "age"); var era = Plain.Text(file, "service_era"); var sex = Plain.Text(file, "sex");
        foreach (var s in new[] { "F", "M" })
            Assert.Equal(Enumerable.Range(0, age.Length).Count(i => age[i] >= 65 && era[i] is "Vietnam" or "Korea" && sex[i] == s), release.Cell("count", s));
    }

    [Fact]
    public void Median_salary_equals_plaintext_type_7_and_the_weighted_median_equals_the_ground_truth()
    {
        var salary = Plain.Column<long>(f.Truth.File("survey"), "salary").Where(x => x is not null).Select(x => (double)x!.Value).ToList();
        var median = f.Secure.Median("survey", "salary").Cell("median(salary)")!.Value;
        Assert.True(Math.Abs(median - Plain.Quantile(salary, 0.5)) <= Plain.Gap(salary, 0.5) * Math.ScaleB(1.0, -16) + 1e-9, $"{median}");
        // The ground truth's median is the lower median; type 7 lies between it and the next order statistic.
        double lower = f.Truth.Number("aggregates.survey.median_salary");
        Assert.InRange(median, lower, lower + Plain.Gap(salary, 0.5));

        var weighted = f.Secure.Query("survey").Weighted("survey_weight", WeightKind.Probability).Median("salary").Cell("median(salary)");
        Assert.Equal(f.Truth.Number("aggregates.survey.weighted_median_salary"), weighted);
    }

    [Fact]
    public void Weighted_mean_salary_equals_the_ground_truth()
    {
        var release = f.Secure.Query("survey").Weighted("survey_weight", WeightKind.Probability).Mean("salary");
        double expected = f.Truth.Number("aggregates.survey.weighted_mean_salary");
        Assert.True(Math.Abs(release.Cell("mean(salary)")!.Value - expected) < 0.01, $"{release}");
    }

    [Fact]
    public void Quantiles_per_group_equal_plaintext_per_group()
    {
        var release = f.Secure.Quantiles("veterans", "age", [0.25, 0.5, 0.75], "disability_band");
        var file = f.Truth.File("veterans");
        var age = Plain.Column<long>(file, "age"); var band = Plain.Text(file, "disability_band");
        Assert.Equal(["disability_band"], release.KeyColumns);
        Assert.Equal(["quantile(age, 0.25)", "median(age)", "quantile(age, 0.75)"], release.ValueColumns);
        for (int r = 0; r < release.RowCount; r++)
        {
            var values = Enumerable.Range(0, age.Length).Where(i => band[i] == release.Key(r, "disability_band")).Select(i => (double)age[i]!.Value).ToList();
            foreach (var (q, column) in new[] { (0.25, "quantile(age, 0.25)"), (0.5, "median(age)"), (0.75, "quantile(age, 0.75)") })
                Assert.True(Math.Abs(release.Value(r, column)!.Value - Plain.Quantile(values, q)) <= Plain.Gap(values, q) * Math.ScaleB(1.0, -16) + 1e-9,
                            $"{release.Key(r, "disability_band")} q={q}: {release.Value(r, column)} vs {Plain.Quantile(values, q)}");
        }
    }

    [Fact]
    public void Ols_equals_plaintext_least_squares()
    {
        var release = f.Secure.Ols("veterans", "monthly_benefit", "disability_rating", "age");
        var file = f.Truth.File("veterans");
        var y = Plain.Column<double>(file, "monthly_benefit"); var x1 = Plain.Column<long>(file, "disability_rating"); var x2 = Plain.Column<long>(file, "age");
        var rows = Enumerable.Range(0, y.Length).Where(i => y[i] is not null && x1[i] is not null && x2[i] is not null).ToArray();
        var b = Plain.Ols(rows.Select(i => y[i]!.Value).ToArray(), rows.Select(i => (double)x1[i]!.Value).ToArray(), rows.Select(i => (double)x2[i]!.Value).ToArray());
        string[] terms = ["(intercept)", "disability_rating", "age"];
        for (int j = 0; j < 3; j++)
        {
            var r = release.RowOf(terms[j]);
            double se = release.Value(r, "std_error")!.Value;
            Assert.True(Math.Abs(release.Value(r, "coefficient")!.Value - b[j]) < 0.01 * se, $"{terms[j]}: {release.Value(r, "coefficient")} vs {b[j]} (se {se})");
        }
    }

    [Fact]
    public void Differential_privacy_noise_is_drawn_by_the_parties_and_stays_within_its_bound()
    {
        var release = f.Secure.Query("veterans").GroupBy("service_era").WithEpsilon(0.2).Count();
        var truth = f.Truth.Numbers("aggregates.veterans.rows_by_service_era");
        Assert.Equal(0.2, release.EpsilonSpent);
        Assert.Contains(release.RulesApplied, r => r.Contains("differential privacy"));
        // Three discrete Laplace draws with α = exp(−0.2): standard deviation √(3·2α/(1−α)²) ≈ 12.3; 100 is over 8 of them.
        foreach (var (era, n) in truth) Assert.InRange(release.Cell("count", era)!.Value, n - 100, n + 100);
        // Noise was added: the chance that all five cells drew zero is below 10^-7.
        Assert.Contains(truth, t => release.Cell("count", t.Key) != t.Value);
    }

    [Fact]
    public void Bank_counts_are_rounded_to_its_base_of_5()
    {
        var release = f.Secure.Count("bank", "state");
        var truth = f.Truth.Numbers("aggregates.bank.rows_by_state");
        foreach (var r in release.ReleasedRows.Where(r => !release.IsMargin(r)))
        {
            double n = release.Value(r, "count")!.Value, exact = truth[release.Key(r, "state")!];
            Assert.Equal(0, n % 5);
            Assert.True(Math.Abs(n - exact) <= 2.5, $"{release.Label(r)}: {n} vs {exact}");
        }
        Assert.Contains(release.RulesApplied, r => r.Contains("multiple of 5"));
    }

    [Fact]
    public void The_p_percent_rule_runs_on_absolute_balances()
    {
        // Balances may be negative (overdrafts): the bank's p% rule (p = 10) is applied to |balance|.
        var release = f.Secure.Sum("bank", "balance", "state");
        var file = f.Truth.File("bank");
        var state = Plain.Text(file, "state"); var balance = Plain.Column<double>(file, "balance");
        bool Sensitive(string s)
        {
            var x = Enumerable.Range(0, state.Length).Where(i => state[i] == s).Select(i => Math.Abs(balance[i]!.Value)).OrderDescending().ToArray();
            return x.Sum() - x[0] - (x.Length > 1 ? x[1] : 0) < 0.10 * x[0];
        }
        foreach (var r in Enumerable.Range(0, release.RowCount).Where(r => !release.IsMargin(r)))
        {
            var s = release.Key(r, "state")!;
            if (release.Rule(r).StartsWith("dominance")) Assert.True(Sensitive(s), $"{s} suppressed by the p% rule but not sensitive");
            if (!release.IsSuppressed(r)) Assert.False(Sensitive(s), $"{s} released but sensitive");
        }
        Assert.Contains(release.RulesApplied, r => r.Contains("p% dominance rule"));
    }

    [Fact]
    public void Suppressed_values_are_never_revealed()
    {
        var release = f.Secure.Count("veterans", "state", "sex");
        Assert.True(release.SuppressedCount > 0);
        int released = release.ReleasedRows.Count();
        var toAnalyst = release.Cost.ToAnalyst.ToList();
        // Only the released cells' values went to the analyst; the rule bits went to the parties (and show as status).
        Assert.Equal(released, toAnalyst.Sum(r => r.Elements));
        Assert.All(release.Cost.ToComputeParties, r => Assert.Contains("rule", r.Purpose));
    }

    [Fact]
    public void Costs_are_measured()
    {
        var release = f.Secure.Count("veterans", "service_era");
        Assert.Equal(8000, release.Cost.RowsUsed);
        Assert.True(release.Cost.Rounds > 0 && release.Cost.Bytes > 0 && release.Cost.Elapsed > TimeSpan.Zero, release.Cost.Summary);
        Assert.True(f.SecureJoin.Cost.Bytes > 0 && f.SecureJoin.Cost.Rounds > 0);
        // Contributors that pseudonymise when the join asks take measurable time; after an upload the pseudonyms are ready.
        if (f.UploadScheme is null) Assert.True(f.SecureJoin.Preparation > TimeSpan.Zero);
    }
}
