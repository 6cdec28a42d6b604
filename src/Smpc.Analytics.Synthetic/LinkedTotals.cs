using System.Text.Json;

namespace Smpc.Analytics.Synthetic;

/// <summary>
/// Plaintext aggregates over the true linkage: each distinct person in two (or three) files counted once,
/// with the values of their records (identical across a person's duplicate records). These are what a
/// perfect linkage would give; a linkage on noisy identifiers finds fewer pairs, and the study compares
/// the two.
/// </summary>
internal static class LinkedTotals
{
    public static void Write(Utf8JsonWriter w, Population pop, ulong seed)
    {
        w.WriteStartObject("linked");
        VeteransBank(w, pop, seed);
        VeteransSurvey(w, pop, seed);
        BankSurvey(w, pop, seed);
        AllThree(w, pop, seed);
        w.WriteEndObject();
    }

    static IEnumerable<Person> People(Population pop, params Population.Block[] blocks) =>
        blocks.SelectMany(pop.In).Order().Select(pop.Person);

    static void VeteransBank(Utf8JsonWriter w, Population pop, ulong seed)
    {
        var bands = VeteranModel.DisabilityBands;
        long[] byBand = new long[bands.Count], byEra = new long[5], lateByEra = new long[5];
        double[] balanceByBand = new double[bands.Count];
        List<double> balance = [], benefit = [], age = [], deposits = [];
        foreach (var p in People(pop, Population.Block.All, Population.Block.VeteransBank))
        {
            var v = VeteranModel.For(p, seed);
            var b = BankModel.For(p, seed);
            int band = bands.IndexOf(v.DisabilityBand), era = (int)p.Era!.Value;
            byBand[band]++; balanceByBand[band] += b.BalanceCents / 100.0;
            byEra[era]++; if (b.Delinquent) lateByEra[era]++;
            balance.Add(b.BalanceCents / 100.0); deposits.Add(b.DepositsCents / 100.0);
            benefit.Add(v.BenefitCents / 100.0); age.Add(v.Age);
        }
        w.WriteStartObject("veterans_bank");
        w.WriteNumber("persons", balance.Count);
        w.NumberOrNull("mean_balance", balance.Count == 0 ? null : Statistics.Mean(balance));
        w.NumberOrNull("mean_monthly_deposits", deposits.Count == 0 ? null : Statistics.Mean(deposits));
        w.Counts("persons_by_disability_band", bands, byBand);
        w.Ratios("mean_balance_by_disability_band", bands, balanceByBand, byBand);
        w.Counts("persons_by_service_era", ServiceEras.Domain, byEra);
        w.Ratios("delinquency_rate_by_service_era", ServiceEras.Domain, lateByEra.Select(x => (double)x).ToArray(), byEra);
        w.WriteStartObject("ols_balance_on_monthly_benefit_and_age");
        w.WriteString("response", "balance (bank)");
        w.WriteStartArray("terms");
        foreach (var t in new[] { "intercept", "monthly_benefit (veterans)", "age (veterans)" }) w.WriteStringValue(t);
        w.WriteEndArray();
        if (Statistics.Regress(balance, benefit, age) is { } ols)
        {
            w.WriteNumber("n", ols.N);
            w.WriteStartArray("coefficients"); foreach (var c in ols.Coefficients) w.WriteNumberValue(c); w.WriteEndArray();
            w.WriteStartArray("standard_errors"); foreach (var s in ols.StandardErrors) w.WriteNumberValue(s); w.WriteEndArray();
            w.WriteNumber("r_squared", ols.RSquared);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    static void VeteransSurvey(Utf8JsonWriter w, Population pop, ulong seed)
    {
        long persons = 0, selfReported = 0;
        long[] bySector = new long[SurveyModel.Sectors.Count];
        List<long> salaries = [];
        foreach (var p in People(pop, Population.Block.All, Population.Block.VeteransSurvey))
        {
            var s = SurveyModel.For(p, seed);
            persons++;
            if (s.Veteran) selfReported++;
            bySector[SurveyModel.Sectors.IndexOf(s.Sector)]++;
            if (s.Salary is { } x) salaries.Add(x);
        }
        w.WriteStartObject("veterans_survey");
        w.WriteNumber("persons", persons);
        w.NumberOrNull("self_reported_veteran_rate", persons == 0 ? null : (double)selfReported / persons);
        w.Counts("persons_by_employment_sector", SurveyModel.Sectors, bySector);
        w.WriteNumber("persons_with_salary", salaries.Count);
        w.NumberOrNull("mean_salary", salaries.Count == 0 ? null : salaries.Average());
        w.NumberOrNull("median_salary", Statistics.LowerMedian(salaries));
        w.WriteEndObject();
    }

    static void BankSurvey(Utf8JsonWriter w, Population pop, ulong seed)
    {
        long persons = 0;
        var degrees = SurveyModel.Degrees;
        long[] byDegree = new long[degrees.Count];
        double[] balanceByDegree = new double[degrees.Count];
        List<double> salary = [], deposits = [];
        foreach (var p in People(pop, Population.Block.All, Population.Block.BankSurvey))
        {
            var s = SurveyModel.For(p, seed);
            var b = BankModel.For(p, seed);
            persons++;
            int d = degrees.IndexOf(s.Degree);
            byDegree[d]++; balanceByDegree[d] += b.BalanceCents / 100.0;
            if (s.Salary is { } x) { salary.Add(x); deposits.Add(b.DepositsCents / 100.0); }
        }
        w.WriteStartObject("bank_survey");
        w.WriteNumber("persons", persons);
        w.Counts("persons_by_highest_degree", degrees, byDegree);
        w.Ratios("mean_balance_by_highest_degree", degrees, balanceByDegree, byDegree);
        w.WriteNumber("persons_with_salary", salary.Count);
        w.NumberOrNull("correlation_salary_monthly_deposits", Statistics.Correlation(salary, deposits));
        w.WriteEndObject();
    }

    static void AllThree(Utf8JsonWriter w, Population pop, ulong seed)
    {
        List<double> balance = [], benefit = [];
        List<long> salaries = [];
        foreach (var p in People(pop, Population.Block.All))
        {
            balance.Add(BankModel.For(p, seed).BalanceCents / 100.0);
            benefit.Add(VeteranModel.For(p, seed).BenefitCents / 100.0);
            if (SurveyModel.For(p, seed).Salary is { } x) salaries.Add(x);
        }
        w.WriteStartObject("all_three");
        w.WriteNumber("persons", balance.Count);
        w.NumberOrNull("mean_balance", balance.Count == 0 ? null : Statistics.Mean(balance));
        w.NumberOrNull("mean_monthly_benefit", benefit.Count == 0 ? null : Statistics.Mean(benefit));
        w.WriteNumber("persons_with_salary", salaries.Count);
        w.NumberOrNull("median_salary", Statistics.LowerMedian(salaries));
        w.WriteEndObject();
    }
}
