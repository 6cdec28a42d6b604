using System.Globalization;
using System.Text.Json;

namespace Smpc.Analytics.Synthetic.Tests;

/// <summary>
/// The committed ground truth, recomputed here from the committed CSV files and the true linkage with
/// separate code (decimal money sums; OLS by normal equations instead of the generator's centred solve).
/// Counts and medians must match exactly; means within 1e-12 relative; OLS within 1e-7 relative.
/// </summary>
public class GroundTruthTests(Samples s) : IClassFixture<Samples>
{
    const double Mean = 1e-12, Ols = 1e-7;
    static decimal Dec(string v) => decimal.Parse(v, CultureInfo.InvariantCulture);
    static readonly string[] Eras = ["Korea", "Vietnam", "Peacetime", "Gulf War", "Post-9/11"];
    static readonly string[] Bands = ["none", "0-20", "30-60", "70-100"];

    void Counts(string path, IEnumerable<string> values)
    {
        var expected = s.At(path).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        var actual = values.GroupBy(v => v).ToDictionary(g => g.Key, g => (long)g.Count());
        foreach (var (key, n) in expected) Assert.True(actual.GetValueOrDefault(key) == n, $"{path}.{key}: expected {n}, recomputed {actual.GetValueOrDefault(key)}");
        Assert.Equal(actual.Values.Sum(), expected.Values.Sum());
    }

    void Means(string path, IEnumerable<(string Key, decimal Value)> values)
    {
        var groups = values.GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Sum(x => x.Value) / g.Count());
        foreach (var p in s.At(path).EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Null) { Assert.False(groups.ContainsKey(p.Name)); continue; }
            Check.Close(p.Value.GetDouble(), (double)groups[p.Name], Mean, $"{path}.{p.Name}");
        }
    }

    double Num(string path) => s.At(path).GetDouble();

    [Fact]
    public void Veterans_file_aggregates()
    {
        var t = s.Veterans;
        const string a = "aggregates.veterans";
        Assert.Equal(t.Rows.Count, s.At($"{a}.rows").GetInt32());
        Counts($"{a}.rows_by_state", t.Column("state"));
        Counts($"{a}.rows_by_service_era", t.Column("service_era"));
        foreach (var era in Eras)
            Counts($"{a}.rows_by_service_era_and_sex.{era}", t.Rows.Where(r => t.Get(r, "service_era") == era).Select(r => t.Get(r, "sex")));
        Counts($"{a}.rows_by_disability_band", t.Column("disability_band"));
        Means($"{a}.mean_monthly_benefit_by_disability_band", t.Rows.Select(r => (t.Get(r, "disability_band"), Dec(t.Get(r, "monthly_benefit")))));
        Check.Close(Num($"{a}.mean_monthly_benefit"), (double)t.Column("monthly_benefit").Average(Dec), Mean, "mean benefit");
        Check.Close(Num($"{a}.healthcare_enrolled_rate"), t.Column("healthcare_enrolled").Count(v => v == "true") / (double)t.Rows.Count, Mean, "enrolled rate");
        Check.Close(Num($"{a}.mean_age"), (double)t.Column("age").Average(Dec), Mean, "mean age");
    }

    [Fact]
    public void Bank_file_aggregates()
    {
        var t = s.Bank;
        const string a = "aggregates.bank";
        Assert.Equal(t.Rows.Count, s.At($"{a}.rows").GetInt32());
        Counts($"{a}.rows_by_state", t.Column("state"));
        Check.Close(Num($"{a}.mean_monthly_deposits"), (double)t.Column("monthly_deposits").Average(Dec), Mean, "mean deposits");
        Check.Close(Num($"{a}.mean_balance"), (double)t.Column("balance").Average(Dec), Mean, "mean balance");
        Check.Close(Num($"{a}.delinquency_rate"), t.Column("delinquent").Count(v => v == "true") / (double)t.Rows.Count, Mean, "delinquency");
        foreach (var p in s.At($"{a}.mean_spend").EnumerateObject())
            Check.Close(p.Value.GetDouble(), (double)t.Column(p.Name).Average(Dec), Mean, p.Name);
    }

    [Fact]
    public void Survey_file_aggregates()
    {
        var t = s.Survey;
        const string a = "aggregates.survey";
        Assert.Equal(t.Rows.Count, s.At($"{a}.rows").GetInt32());
        Assert.Equal(t.Column("veteran").Count(v => v == "true"), s.At($"{a}.rows_veteran").GetInt32());
        Check.Close(Num($"{a}.mean_age"), (double)t.Column("age").Where(v => v != "").Average(Dec), Mean, "mean age");
        Counts($"{a}.rows_by_employment_sector", t.Column("employment_sector"));
        foreach (var p in s.At($"{a}.weighted_count_by_employment_sector").EnumerateObject())
            Check.Close(p.Value.GetDouble(), (double)t.Rows.Where(r => t.Get(r, "employment_sector") == p.Name).Sum(r => Dec(t.Get(r, "survey_weight"))), Mean, p.Name);

        var paid = t.Rows.Where(r => t.Get(r, "salary") != "").Select(r => (Salary: Dec(t.Get(r, "salary")), Weight: Dec(t.Get(r, "survey_weight")), Field: t.Get(r, "degree_field"))).ToList();
        Assert.Equal(paid.Count, s.At($"{a}.rows_with_salary").GetInt32());
        var sorted = paid.Select(p => p.Salary).Order().ToList();
        Assert.Equal((double)sorted[(sorted.Count - 1) / 2], Num($"{a}.median_salary"));
        Check.Close(Num($"{a}.mean_salary"), (double)sorted.Average(), Mean, "mean salary");
        Check.Close(Num($"{a}.weighted_mean_salary"), (double)(paid.Sum(p => p.Salary * p.Weight) / paid.Sum(p => p.Weight)), Mean, "weighted mean salary");
        decimal half = paid.Sum(p => p.Weight) / 2, cumulative = 0;
        var weightedMedian = paid.OrderBy(p => p.Salary).First(p => (cumulative += p.Weight) >= half).Salary;
        Assert.Equal((double)weightedMedian, Num($"{a}.weighted_median_salary"));
        Means($"{a}.mean_salary_by_degree_field", paid.Select(p => (p.Field, p.Salary)));
    }

    [Fact]
    public void Linked_veterans_and_bank_aggregates_and_regression()
    {
        var (v, b, vet, bank) = (s.Veterans, s.Bank, s.Primary("veterans"), s.Primary("bank"));
        var both = vet.Keys.Where(bank.ContainsKey).Select(p => (V: vet[p], B: bank[p])).ToList();
        const string a = "aggregates.linked.veterans_bank";
        Assert.Equal(both.Count, s.At($"{a}.persons").GetInt32());
        Assert.Equal(both.Count, s.At("overlap.persons.veterans_bank").GetInt32());
        Check.Close(Num($"{a}.mean_balance"), (double)both.Average(x => Dec(b.Get(x.B, "balance"))), Mean, "mean balance");
        Check.Close(Num($"{a}.mean_monthly_deposits"), (double)both.Average(x => Dec(b.Get(x.B, "monthly_deposits"))), Mean, "mean deposits");
        Counts($"{a}.persons_by_disability_band", both.Select(x => v.Get(x.V, "disability_band")));
        Means($"{a}.mean_balance_by_disability_band", both.Select(x => (v.Get(x.V, "disability_band"), Dec(b.Get(x.B, "balance")))));
        Counts($"{a}.persons_by_service_era", both.Select(x => v.Get(x.V, "service_era")));
        Means($"{a}.delinquency_rate_by_service_era", both.Select(x => (v.Get(x.V, "service_era"), b.Get(x.B, "delinquent") == "true" ? 1m : 0m)));

        // OLS balance ~ 1 + monthly_benefit + age by the normal equations (XᵀX) β = Xᵀy, solved by Gaussian elimination.
        var X = both.Select(x => new[] { 1.0, (double)Dec(v.Get(x.V, "monthly_benefit")), double.Parse(v.Get(x.V, "age"), CultureInfo.InvariantCulture) }).ToArray();
        var y = both.Select(x => (double)Dec(b.Get(x.B, "balance"))).ToArray();
        var xtx = new double[3, 3];
        var xty = new double[3];
        for (int i = 0; i < y.Length; i++)
            for (int j = 0; j < 3; j++) { xty[j] += X[i][j] * y[i]; for (int k = 0; k < 3; k++) xtx[j, k] += X[i][j] * X[i][k]; }
        var inverse = Invert(xtx);
        var beta = Enumerable.Range(0, 3).Select(j => Enumerable.Range(0, 3).Sum(k => inverse[j, k] * xty[k])).ToArray();
        double rss = 0, mean = y.Average(), tss = 0;
        for (int i = 0; i < y.Length; i++) { double r = y[i] - beta[0] - beta[1] * X[i][1] - beta[2] * X[i][2]; rss += r * r; tss += (y[i] - mean) * (y[i] - mean); }
        double sigma2 = rss / (y.Length - 3);
        var ols = s.At($"{a}.ols_balance_on_monthly_benefit_and_age");
        Assert.Equal(y.Length, ols.GetProperty("n").GetInt32());
        var coefficients = ols.GetProperty("coefficients").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var errors = ols.GetProperty("standard_errors").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int j = 0; j < 3; j++)
        {
            Check.Close(beta[j], coefficients[j], Ols, $"coefficient {j}");
            Check.Close(Math.Sqrt(sigma2 * inverse[j, j]), errors[j], Ols, $"standard error {j}");
        }
        Check.Close(1 - rss / tss, ols.GetProperty("r_squared").GetDouble(), Ols, "R²");
        Assert.True(coefficients[1] > 0 && coefficients[1] / errors[1] > 3, "balance should rise with the monthly benefit (the generator ties them)");
    }

    [Fact]
    public void Linked_survey_aggregates()
    {
        var (v, b, sv) = (s.Primary("veterans"), s.Primary("bank"), s.Primary("survey"));
        var t = s.Survey;
        long? Salary(string[] r) => t.Get(r, "salary") is var x && x != "" ? long.Parse(x, CultureInfo.InvariantCulture) : null;

        var vs = v.Keys.Where(sv.ContainsKey).Select(p => sv[p]).ToList();
        const string a = "aggregates.linked.veterans_survey";
        Assert.Equal(vs.Count, s.At($"{a}.persons").GetInt32());
        Check.Close(Num($"{a}.self_reported_veteran_rate"), vs.Count(r => t.Get(r, "veteran") == "true") / (double)vs.Count, Mean, "self-reported");
        Counts($"{a}.persons_by_employment_sector", vs.Select(r => t.Get(r, "employment_sector")));
        var salaries = vs.Select(Salary).OfType<long>().Order().ToList();
        Assert.Equal(salaries.Count, s.At($"{a}.persons_with_salary").GetInt32());
        Check.Close(Num($"{a}.mean_salary"), salaries.Average(), Mean, "mean salary");
        Assert.Equal(salaries[(salaries.Count - 1) / 2], Num($"{a}.median_salary"));

        var bs = b.Keys.Where(sv.ContainsKey).Select(p => (B: b[p], S: sv[p])).ToList();
        const string c = "aggregates.linked.bank_survey";
        Assert.Equal(bs.Count, s.At($"{c}.persons").GetInt32());
        Counts($"{c}.persons_by_highest_degree", bs.Select(x => t.Get(x.S, "highest_degree")));
        Means($"{c}.mean_balance_by_highest_degree", bs.Select(x => (t.Get(x.S, "highest_degree"), Dec(s.Bank.Get(x.B, "balance")))));
        var pairs = bs.Where(x => Salary(x.S) is not null).Select(x => ((double)Salary(x.S)!.Value, (double)Dec(s.Bank.Get(x.B, "monthly_deposits")))).ToList();
        Assert.Equal(pairs.Count, s.At($"{c}.persons_with_salary").GetInt32());
        double mx = pairs.Average(p => p.Item1), my = pairs.Average(p => p.Item2);
        double r = pairs.Sum(p => (p.Item1 - mx) * (p.Item2 - my)) / Math.Sqrt(pairs.Sum(p => (p.Item1 - mx) * (p.Item1 - mx)) * pairs.Sum(p => (p.Item2 - my) * (p.Item2 - my)));
        Check.Close(Num($"{c}.correlation_salary_monthly_deposits"), r, 1e-10, "correlation");

        var all = v.Keys.Where(p => b.ContainsKey(p) && sv.ContainsKey(p)).ToList();
        const string d = "aggregates.linked.all_three";
        Assert.Equal(all.Count, s.At($"{d}.persons").GetInt32());
        Check.Close(Num($"{d}.mean_balance"), (double)all.Average(p => Dec(s.Bank.Get(b[p], "balance"))), Mean, "mean balance");
        Check.Close(Num($"{d}.mean_monthly_benefit"), (double)all.Average(p => Dec(s.Veterans.Get(v[p], "monthly_benefit"))), Mean, "mean benefit");
        var allSalaries = all.Select(p => Salary(sv[p])).OfType<long>().Order().ToList();
        Assert.Equal(allSalaries.Count, s.At($"{d}.persons_with_salary").GetInt32());
        Assert.Equal(allSalaries[(allSalaries.Count - 1) / 2], Num($"{d}.median_salary"));
    }

    static double[,] Invert(double[,] m)
    {
        int n = m.GetLength(0);
        var a = new double[n, 2 * n];
        for (int i = 0; i < n; i++) { for (int j = 0; j < n; j++) a[i, j] = m[i, j]; a[i, n + i] = 1; }
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(a[r, col]));
            for (int j = 0; j < 2 * n; j++) (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            double p = a[col, col];
            for (int j = 0; j < 2 * n; j++) a[col, j] /= p;
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double f = a[r, col];
                for (int j = 0; j < 2 * n; j++) a[r, j] -= f * a[col, j];
            }
        }
        var inverse = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) inverse[i, j] = a[i, n + j];
        return inverse;
    }
}
