using System.Globalization;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Reporting;
using Smpc.Analytics.Statistics;

namespace Smpc.Cli.Study;

/// <summary>
/// The veterans' financial well-being study: the veterans' file on its own, then linked with the bank (SSN pass,
/// then surname + given name + date of birth) and with the graduate survey; counts, means, a cross-tab with margins,
/// a histogram, quantiles and an OLS fit. Every query runs under the terms of every dataset its rows came from.
/// </summary>
internal static class VeteransStudy
{
    public const string VeteransBank = "veterans × bank";
    public const string VeteransSurvey = "veterans × survey";
    public static readonly double[] BenefitBins = [0, 250, 500, 1000, 1500, 2000, 3000, 4000, 6000];
    public static readonly double[] SalaryProbabilities = [0.1, 0.25, 0.5, 0.75, 0.9];

    public static void Run(StudySteps s, Agency vets, Agency bank, Agency survey, LinkagePass[] passes, string pseudonymisation)
    {
        // The veterans' file alone (VA terms).
        var v = s.Analysis(vets.Table, vets.Terms);
        s.Query("Veterans by service era", "veterans", "count by service_era", () => v.GroupBy("service_era").Count(),
            ChartRequest.BarOf("count", "Veterans by service era (VA file)", "service era", "veterans"));
        s.Query("Veterans by state", "veterans", "count by state", () => v.GroupBy("state").Count(),
            ChartRequest.BarOf("count", "Veterans by state (VA file)", "state", "veterans"));
        s.Query("Monthly benefit by disability band", "veterans", "count, mean(monthly_benefit) by disability_band",
            () => v.GroupBy("disability_band").Aggregate(Measure.Count(), Measure.Mean("monthly_benefit")),
            ChartRequest.BarOf("mean(monthly_benefit)", "Mean monthly VA benefit by disability band", "disability band", "USD per month"));
        s.Query("Distribution of the monthly benefit", "veterans", $"histogram of monthly_benefit over [{string.Join(", ", BenefitBins)}]",
            () => v.Histogram("monthly_benefit", BenefitBins),
            new ChartRequest(ReportChartKind.Histogram, "Monthly VA benefit (USD)", "monthly benefit, USD", "veterans") { ValueColumn = "count" });

        // Veterans linked with the bank (bank terms: cell size 20, p% rule 10, counts rounded to 5, no quantiles).
        var vb = s.Link(VeteransBank, [vets, bank], new JoinOptions { Passes = passes, ResultName = VeteransBank }, pseudonymisation,
            ["each agency's duplicate records are reduced to one per key inside the computation (DuplicatePolicy.KeepFirst)"]);
        var vbTerms = JoinedTerms.Of(vb.Table, [("veterans", vets.Terms, vets.Table), ("bank", bank.Terms, bank.Table)]);
        var a = s.Analysis(vb.Table, vbTerms);
        string bankState = Column(vb.Table, "bank", "state");
        s.Query("Linked veterans and their mean monthly deposits by disability band", VeteransBank, "count, mean(monthly_deposits) by disability_band",
            () => a.GroupBy("disability_band").Aggregate(Measure.Count(), Measure.Mean("monthly_deposits")),
            ChartRequest.BarOf("mean(monthly_deposits)", "Mean monthly deposits of linked veterans by disability band", "disability band", "USD per month"),
            t => Compare(t, "mean(monthly_deposits)", "70-100", "none", "Linked veterans with a 70–100% rating deposit {0} a month on average, against {1} for veterans without a rating (the benefit is paid into the bank for most)."));
        s.Query("Mean balance by disability band", VeteransBank, "mean(balance) by disability_band",
            () => a.GroupBy("disability_band").Mean("balance"));
        s.Query("Mean monthly deposits of all linked veterans", VeteransBank, "mean(monthly_deposits)",
            () => a.Mean("monthly_deposits"));
        s.Query("Median balance of veterans rated 70–100%", VeteransBank, "median(balance) where disability_band in (70-100)",
            () => a.Where("disability_band in ('70-100')").Median("balance"));
        s.Query("Delinquency rate by service era", VeteransBank, "count, mean(delinquent) by service_era",
            () => a.GroupBy("service_era").Aggregate(Measure.Count(), Measure.Mean("delinquent")),
            ChartRequest.BarOf("mean(delinquent)", "Share of linked veterans delinquent on a bank product, by service era", "service era", "delinquency rate"),
            t => Compare(t, "mean(delinquent)", "Post-9/11", "Vietnam", "Post-9/11 veterans are delinquent at a rate of {0}, against {1} for Vietnam-era veterans."));
        s.Query("Service era × disability band (with margins)", VeteransBank, "crosstab service_era × disability_band: count",
            () => a.CrossTab("service_era", "disability_band"),
            ChartRequest.HeatmapOf("count", "Linked veterans: service era × disability band", "disability band", "service era"),
            t => t.SuppressedCount == 0 ? null
                : $"{t.SuppressedCount} cells are suppressed: small cells under the bank's minimum cell size of {vbTerms.MinCellSize}, and complementary cells so that no suppressed cell can be recomputed from the margins.");
        s.Query("Balance on monthly benefit and age (OLS)", VeteransBank, "ols(balance ~ monthly_benefit + age)",
            () => a.Ols("balance", "monthly_benefit", "age"), chartFrom: t => FitChart(t, "balance"),
            narrative: t => Coefficients(t) is { } c
                ? string.Format(CultureInfo.InvariantCulture, "Each extra dollar of monthly benefit goes with {0} dollars more balance, and each year of age with {1}, holding the other fixed.", Html.Number(c.Benefit), Html.Number(c.Age))
                : null);
        s.Query("Monthly deposits on monthly benefit and age (OLS)", VeteransBank, "ols(monthly_deposits ~ monthly_benefit + age)",
            () => a.Ols("monthly_deposits", "monthly_benefit", "age"), chartFrom: t => FitChart(t, "monthly deposits"),
            narrative: t => Coefficients(t) is { } c
                ? string.Format(CultureInfo.InvariantCulture, "Each extra dollar of monthly benefit goes with {0} dollars more in monthly deposits, and each year of age with {1}, holding the other fixed.", Html.Number(c.Benefit), Html.Number(c.Age))
                : null);

        // Veterans linked with the graduate survey (survey terms: counts rounded to 10; quantiles allowed).
        var vs = s.Link(VeteransSurvey, [vets, survey], new JoinOptions { Passes = passes, ResultName = VeteransSurvey }, pseudonymisation,
            ["the veterans' pseudonyms were opened (in a fresh shuffled order) in both linkages under the same study key, so the compute parties " +
             "can also count veterans who are in both the bank and the survey — what a three-way join would reveal; use a fresh key per linkage to avoid it"]);
        var vsTerms = JoinedTerms.Of(vs.Table, [("veterans", vets.Terms, vets.Table), ("survey", survey.Terms, survey.Table)]);
        var b = s.Analysis(vs.Table, vsTerms);
        s.Query("Linked veterans by employment sector", VeteransSurvey, "count by employment_sector",
            () => b.GroupBy("employment_sector").Count(),
            ChartRequest.BarOf("count", "Veterans who answered the graduate survey, by employment sector", "employment sector", "veterans (rounded to 10)"));
        s.Query("Salary quantiles of linked veterans", VeteransSurvey, "quantile(salary; 0.1, 0.25, 0.5, 0.75, 0.9)",
            () => b.Quantile("salary", SalaryProbabilities), chartFrom: t => QuantileChart("veterans in the survey"));

        // The survey on its own (survey terms).
        var g = s.Analysis(survey.Table, survey.Terms);
        s.Query("Salary quantiles of all graduates", "survey", "quantile(salary; 0.1, 0.25, 0.5, 0.75, 0.9)",
            () => g.Quantile("salary", SalaryProbabilities), chartFrom: t => QuantileChart("all graduates"));
        s.Query("Mean salary by degree field", "survey", "mean(salary) by degree_field",
            () => g.GroupBy("degree_field").Mean("salary"),
            ChartRequest.BarOf("mean(salary)", "Mean salary by degree field (graduate survey)", "degree field", "USD per year"));
    }

    /// <summary>The joined table's name for a right-hand column (renamed "&lt;table&gt;.&lt;column&gt;" when the left has one of the same name).</summary>
    static string Column(SecretTable joined, string table, string column) => joined.Has($"{table}.{column}") ? $"{table}.{column}" : column;

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

    /// <summary>A box from released quantiles: whiskers at the 10th and 90th percentiles (no minimum or maximum is released).</summary>
    static ChartRequest QuantileChart(string who) =>
        new(ReportChartKind.Box, $"Salary of {who}: 10th, 25th, 50th, 75th and 90th percentiles", "", "USD per year")
        {
            ValueColumn = "value",
            BoxRows = ["quantile(salary, 0.1)", "quantile(salary, 0.25)", "median(salary)", "quantile(salary, 0.75)", "quantile(salary, 0.9)"],
            BoxLabel = who,
        };
}
