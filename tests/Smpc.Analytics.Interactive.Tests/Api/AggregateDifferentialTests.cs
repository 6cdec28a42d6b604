using Smpc.Analytics.Engine;
using Smpc.Analytics.Interactive.Api;
using Smpc.Analytics.Interactive.Demo;

namespace Smpc.Analytics.Interactive.Tests.Api;

/// <summary>Secure aggregates equal plaintext LINQ over the demo's ground truth (exact for counts; within the
/// fixed-point encoding error for sums and means), and suppression happens exactly where the plaintext count is
/// below the minimum cell size.</summary>
public sealed class AggregateDifferentialTests(StudyFixture fixture) : IClassFixture<StudyFixture>
{
    const int K = 11;
    // Each value is encoded within 2^-17 of itself; a mean of such values is within 2^-17 of the true mean.
    static readonly double MeanTolerance = Math.ScaleB(1.0, -17) + 1e-9;

    IReadOnlyList<VeteranRecord> Vets => fixture.Secure.GroundTruth!.Veterans;

    static void AssertCells<T>(Release release, IEnumerable<IGrouping<T, VeteranRecord>> groups, Func<T, string[]> keys, Func<IReadOnlyList<VeteranRecord>, double[]> expected, double tolerance)
    {
        var byKey = groups.ToDictionary(g => string.Join("|", keys(g.Key)), g => (IReadOnlyList<VeteranRecord>)g.ToList());
        foreach (var row in release.Table.Rows)
        {
            var rows = byKey.GetValueOrDefault(string.Join("|", row.Keys)) ?? [];
            if (rows.Count < K)
            {
                Assert.True(row.Suppressed, $"{string.Join("·", row.Keys)} has {rows.Count} rows and should be suppressed");
                Assert.Null(row.Values);
                continue;
            }
            Assert.False(row.Suppressed, $"{string.Join("·", row.Keys)} has {rows.Count} rows and should be released");
            var want = expected(rows);
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(row.Values![i] - want[i]) <= tolerance, $"{string.Join("·", row.Keys)} column {i}: {row.Values![i]} vs {want[i]}");
        }
    }

    [Fact]
    public void Count_by_two_columns_equals_plaintext_and_suppresses_exactly_the_small_cells()
    {
        var release = fixture.Secure.Count("veterans", "state", "era");
        Assert.Equal(DemoData.States.Count * DemoData.Eras.Count, release.Table.RowCount);
        AssertCells(release, Vets.GroupBy(v => (v.State, v.Era)), k => [k.State, k.Era], rows => [rows.Count], 0);
        Assert.True(release.Table.SuppressedCount > 0, "the demo should have small cells");
    }

    [Fact]
    public void Mean_by_one_column_equals_plaintext_within_the_encoding_error()
    {
        var release = fixture.Secure.Mean("veterans", "monthly_benefit", "era");
        AssertCells(release, Vets.GroupBy(v => v.Era), k => [k], rows => [rows.Count, rows.Average(v => v.MonthlyBenefit)], MeanTolerance);
    }

    [Fact]
    public void Sum_without_groups_equals_plaintext()
    {
        var release = fixture.Secure.Sum("veterans", "disability_rating");
        var row = Assert.Single(release.Table.Rows);
        Assert.Equal([Vets.Count, Vets.Sum(v => v.DisabilityRating)], row.Values);
    }

    [Fact]
    public void Mean_of_a_boolean_is_a_proportion()
    {
        var release = fixture.Secure.Mean("veterans", "health_care", "sex");
        AssertCells(release, Vets.GroupBy(v => v.Sex), k => [k], rows => [rows.Count, rows.Count(v => v.HealthCare) / (double)rows.Count], 1e-12);
    }

    [Fact]
    public void Histogram_counts_equal_plaintext_per_bin_and_group()
    {
        double[] edges = [0, 500, 1000, 2000, 3000, 6000];
        var release = fixture.Secure.Histogram("veterans", "monthly_benefit", edges, "era");
        Assert.Equal(DemoData.Eras.Count * (edges.Length - 1), release.Table.RowCount);
        int Bin(double x) { for (int k = 0; k < edges.Length - 1; k++) if (x >= edges[k] && x < edges[k + 1]) return k; return -1; }
        string Label(int k) => $"[{edges[k]:N0}, {edges[k + 1]:N0})";
        AssertCells(release, Vets.Where(v => Bin(v.MonthlyBenefit) >= 0).GroupBy(v => (v.Era, Bin(v.MonthlyBenefit))), k => [k.Era, Label(k.Item2)], rows => [rows.Count], 0);
    }

    [Fact]
    public void Regression_coefficients_match_plaintext_least_squares()
    {
        var release = fixture.Secure.Regression("veterans", "monthly_benefit", "disability_rating");
        var row = Assert.Single(release.Table.Rows);
        double n = Vets.Count, mx = Vets.Average(v => (double)v.DisabilityRating), my = Vets.Average(v => v.MonthlyBenefit);
        double sxy = Vets.Sum(v => (v.DisabilityRating - mx) * (v.MonthlyBenefit - my)), sxx = Vets.Sum(v => Math.Pow(v.DisabilityRating - mx, 2));
        double slope = sxy / sxx, intercept = my - slope * mx;
        Assert.Equal(n, row.Values![0]);
        Assert.True(Math.Abs(row.Values[1] - intercept) < 1e-3, $"intercept {row.Values[1]} vs {intercept}");
        Assert.True(Math.Abs(row.Values[2] - slope) < 1e-5, $"slope {row.Values[2]} vs {slope}");
        Assert.Equal((0.0, 100.0), release.PredictorRange);
    }

    [Fact]
    public void The_join_links_exactly_the_plaintext_matches_and_keeps_payloads_aligned()
    {
        var bank = fixture.Secure.GroundTruth!.Bank.ToDictionary(c => c.Ssn!);
        var linked = Vets.Where(v => v.Ssn is not null && bank.ContainsKey(v.Ssn)).Select(v => (v, c: bank[v.Ssn!])).ToList();
        Assert.Equal(linked.Count, fixture.SecureJoin.MatchedRows);
        Assert.Contains("bank.state", fixture.SecureJoin.Columns);

        // Payload columns from both sides stay aligned: balance summed by the veteran's era.
        var release = fixture.Secure.Mean("linked", "balance", "era");
        foreach (var row in release.Table.Released)
        {
            var rows = linked.Where(x => x.v.Era == row.Keys[0]).ToList();
            Assert.Equal(rows.Count, row.Values![0]);
            Assert.True(Math.Abs(row.Values[1] - rows.Average(x => x.c.Balance)) <= MeanTolerance, $"{row.Keys[0]}: {row.Values[1]}");
        }
    }

    [Fact]
    public void Secure_and_plaintext_engines_release_the_same_tables()
    {
        foreach (var (secure, plain) in new[]
                 {
                     (fixture.Secure.Count("linked", "era", "bank.state"), fixture.Plain.Count("linked", "era", "bank.state")),
                     (fixture.Secure.Mean("linked", "monthly_deposits", "state"), fixture.Plain.Mean("linked", "monthly_deposits", "state")),
                 })
        {
            Assert.Equal(plain.Table.Rows.Select(r => r.Suppressed), secure.Table.Rows.Select(r => r.Suppressed));
            foreach (var (s, p) in secure.Table.Rows.Zip(plain.Table.Rows).Where(x => !x.First.Suppressed))
                Assert.Equal(p.Values!, s.Values!);
        }
    }

    [Fact]
    public void Suppressed_values_are_never_revealed_only_the_suppression_bits_and_released_cells()
    {
        var release = fixture.Secure.Mean("veterans", "monthly_benefit", "state", "era");
        var toAnalyst = release.Cost.Reveals.Where(r => r.Audience == RevealAudience.Analyst).ToList();
        int cells = release.Table.RowCount, released = release.Table.Released.Count();
        Assert.True(release.Table.SuppressedCount > 0);
        Assert.Equal(2, toAnalyst.Count);
        Assert.Equal(cells, toAnalyst[0].Elements);          // one "n < k" bit per cell
        Assert.Equal(2 * released, toAnalyst[1].Elements);    // n and sum of released cells only
        Assert.DoesNotContain(release.Cost.Reveals, r => r.Audience == RevealAudience.ComputeParties);
    }

    [Fact]
    public void Costs_are_measured()
    {
        var release = fixture.Secure.Count("veterans", "state", "era");
        Assert.Equal(Vets.Count, release.Cost.RowsUsed);
        Assert.True(release.Cost.Rounds > 0 && release.Cost.Bytes > 0, $"{release.Cost.Summary}");
        Assert.True(release.Cost.Elapsed > TimeSpan.Zero);
    }
}
