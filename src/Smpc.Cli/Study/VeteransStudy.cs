using System.Globalization;
using Smpc.Analytics.Reporting;
using Smpc.Analytics.Studies;
using StudyChartKind = Smpc.Analytics.Studies.ChartKind;

namespace Smpc.Cli.Study;

/// <summary>
/// The veterans' financial well-being study on the study API: the veterans' file on its own, then linked with the
/// bank (SSN pass, then surname + given name + date of birth) and with the graduate survey; counts, means, a
/// cross-tab with margins, a histogram, quantiles and an OLS fit. Every query runs under the terms of every dataset
/// its rows came from (the study API combines them: the strictest rule wins).
/// </summary>
internal static class VeteransStudy
{
    public const string VeteransBank = "veterans_bank";
    public const string VeteransSurvey = "veterans_survey";
    public static readonly double[] BenefitBins = [0, 250, 500, 1000, 1500, 2000, 3000, 4000, 6000];
    public static readonly double[] SalaryProbabilities = [0.1, 0.25, 0.5, 0.75, 0.9];

    public static void Run(StudySteps s)
    {
        var study = s.Study;

        // The veterans' file alone (VA terms: minimum cell size 11).
        s.Query("Veterans by service era", "veterans", "count by service_era", () => study.Count("veterans", "service_era"));
        s.Query("Veterans by state", "veterans", "count by state", () => study.Count("veterans", "state"));
        s.Query("Monthly benefit by disability band", "veterans", "count, mean(monthly_benefit) by disability_band",
            () => study.Query("veterans").GroupBy("disability_band").Aggregate([StatisticKind.Count, StatisticKind.Mean], "monthly_benefit"),
            value: "mean(monthly_benefit)");
        s.Query("Distribution of the monthly benefit", "veterans", $"histogram of monthly_benefit over [{string.Join(", ", BenefitBins)}]",
            () => study.Histogram("veterans", "monthly_benefit", BenefitBins));

        // Veterans linked with the bank (bank terms: cell size 20, p% rule 10, counts rounded to 5, no quantiles).
        s.Link(new JoinRequest { Datasets = ["veterans", "bank"], Name = VeteransBank });
        s.Query("Linked veterans and their mean balance by disability band", VeteransBank, "count, mean(balance) by disability_band",
            () => study.Query(VeteransBank).GroupBy("disability_band").Aggregate([StatisticKind.Count, StatisticKind.Mean], "balance"),
            value: "mean(balance)",
            narrative: t => Compare(t, "mean(balance)", "70-100", "none", "Linked veterans with a 70–100% rating hold a mean balance of {0}, against {1} for veterans without a service-connected rating."));
        s.Query("Median balance by disability band", VeteransBank, "median(balance) by disability_band",
            () => study.Median(VeteransBank, "balance", "disability_band"));
        s.Query("Mean monthly deposits of all linked veterans", VeteransBank, "mean(monthly_deposits)",
            () => study.Mean(VeteransBank, "monthly_deposits"), StudyChartKind.None);
        s.Query("Delinquency rate by service era", VeteransBank, "count, mean(delinquent) by service_era",
            () => study.Query(VeteransBank).GroupBy("service_era").Aggregate([StatisticKind.Count, StatisticKind.Mean], "delinquent"),
            value: "mean(delinquent)",
            narrative: t => Compare(t, "mean(delinquent)", "Post-9/11", "Gulf War", "Post-9/11 veterans are delinquent on a bank product at a rate of {0}, against {1} for Gulf War veterans.") is { } text
                ? text + (t.SuppressedCount > 0 ? " Rates over few delinquent people fail the bank's p% rule and are withheld." : "") : null);
        s.Query("Service era × disability band (with margins)", VeteransBank, "crosstab service_era × disability_band",
            () => study.CrossTab(VeteransBank, "service_era", "disability_band"),
            narrative: t => t.SuppressedCount == 0 ? null
                : $"{t.SuppressedCount} cells are suppressed: cells under the bank's minimum cell size of 20, and the complementary cells that would let them be recomputed from the margins.");
        s.Query("Balance on monthly benefit and age (OLS)", VeteransBank, "ols(balance ~ monthly_benefit + age)",
            () => study.Ols(VeteransBank, "balance", "monthly_benefit", "age"), custom: t => FitChart(t, "balance"),
            narrative: t => Coefficients(t) is { } c
                ? string.Format(CultureInfo.InvariantCulture, "Holding age fixed, each extra dollar of monthly benefit goes with {0} dollars more balance; holding the benefit fixed, each year of age with {1}.", Html.Number(c.Benefit), Html.Number(c.Age))
                : null);

        // Veterans linked with the graduate survey (survey terms: counts rounded to 10; quantiles allowed).
        s.Link(new JoinRequest { Datasets = ["veterans", "survey"], Name = VeteransSurvey },
            ["the veterans' pseudonyms were opened (in a fresh shuffled order) in both linkages under the same study key, so the compute parties " +
             "can also count veterans who are in both the bank and the survey — what a three-way join would reveal"]);
        s.Query("Linked veterans by employment sector", VeteransSurvey, "count by employment_sector",
            () => study.Count(VeteransSurvey, "employment_sector"));
        s.Query("Salary quantiles of linked veterans", VeteransSurvey, "quantiles(salary; 0.1, 0.25, 0.5, 0.75, 0.9)",
            () => study.Quantiles(VeteransSurvey, "salary", SalaryProbabilities));

        // The survey on its own (survey terms).
        s.Query("Salary quantiles of all graduates", "survey", "quantiles(salary; 0.1, 0.25, 0.5, 0.75, 0.9)",
            () => study.Quantiles("survey", "salary", SalaryProbabilities));
        s.Query("Mean salary by degree field", "survey", "mean(salary) by degree_field",
            () => study.Mean("survey", "salary", "degree_field"));
    }

    static string? Compare(ReportTable t, string column, string a, string b, string format)
    {
        var x = t.Value(column, a);
        var y = t.Value(column, b);
        return x is { } p && y is { } q ? string.Format(CultureInfo.InvariantCulture, format, Html.Number(p), Html.Number(q)) : null;
    }

    static (double Intercept, double Benefit, double Age)? Coefficients(ReportTable fit)
    {
        double? Coef(string term) => fit.Value("coefficient", term);
        return Coef("(intercept)") is { } i && Coef("monthly_benefit") is { } m && Coef("age") is { } g ? (i, m, g) : null;
    }

    /// <summary>Fitted response against the monthly benefit at three ages, from the released coefficients only.</summary>
    static ChartRequest? FitChart(ReportTable fit, string response)
    {
        if (Coefficients(fit) is not { } c) return null;
        int[] ages = [35, 55, 75];
        return new ChartRequest(ReportChartKind.Regression, $"Fitted {response} against the monthly benefit, at three ages", "monthly benefit, USD", $"{response}, USD")
        {
            Lines = ages.Select(age => new FittedLine($"age {age}", c.Intercept + c.Age * age, c.Benefit)).ToArray(),
            XMin = 0, XMax = 4000,
        };
    }
}
