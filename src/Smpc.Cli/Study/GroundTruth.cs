using System.Text.Json;
using Smpc.Analytics.Reporting;

namespace Smpc.Cli.Study;

/// <summary>
/// Checks the study's key numbers against the plan's truth file (the veterans' plan: <c>truth/ground-truth.json</c>);
/// checks are keyed by release title and linkage name, so a release the plan does not ask for is not checked. The veterans' file alone is checked
/// exactly (counts) or within the fixed-point error bound (means). Linked numbers are checked against the aggregates
/// of the <em>true</em> linkage, so they allow for the pairs a linkage on noisy identifiers misses (a few percent; the
/// linkage tests measure recall above 97%) and for the rounding the terms impose.
/// </summary>
internal sealed class GroundTruth(JsonElement root)
{

    public JsonElement this[string path] => path.Split('.').Aggregate(root, (e, p) => e.GetProperty(p));
    public double Number(string path) => this[path].GetDouble();

    /// <summary>The value at <paramref name="path"/> as text (a string as it is, anything else as JSON); null when absent.</summary>
    public string? Text(string path)
    {
        var e = root;
        foreach (var p in path.Split('.'))
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return null;
        return e.ValueKind == JsonValueKind.String ? e.GetString() : e.ToString();
    }

    /// <summary>The generator's recorded SHA-256 of a data file (relative to the data folder); null when the truth file
    /// records none for it.</summary>
    public string? FileHash(string file) =>
        root.TryGetProperty("files", out var files) && files.ValueKind == JsonValueKind.Object && files.TryGetProperty(file, out var entry)
        && entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("sha256", out var sha) ? sha.GetString() : null;

    public List<GroundTruthCheck> Check(IReadOnlyList<ReleaseEntry> releases, IReadOnlyList<LinkageEntry> linkages, IReadOnlyList<DatasetEntry> datasets)
    {
        var checks = new List<GroundTruthCheck>();
        ReportTable? T(string title) => releases.FirstOrDefault(r => r.Title == title)?.Table;

        foreach (var f in datasets.SelectMany(d => d.Files))
        {
            var name = Path.GetFileName(f.Path);
            if (FileHash(name) is not { } recorded) continue;
            bool same = recorded == f.Sha256;
            checks.Add(new GroundTruthCheck($"SHA-256 of {name} equals the generator's record", 1, same ? 1 : 0, 0, "the input files are the committed samples, byte for byte"));
        }

        if (T("Veterans by service era") is { } era)
            foreach (var p in this["aggregates.veterans.rows_by_service_era"].EnumerateObject())
                checks.Add(new("veterans, " + p.Name + ": count", p.Value.GetDouble(), era.Value("count", p.Name), 0, "exact: a count of the file's rows"));
        if (T("Veterans by state") is { } state)
            checks.Add(new("veterans: count over all states (margin)", Number("aggregates.veterans.rows"), state.Value("count", "(all)"), 0, "exact: a count of the file's rows"));
        if (T("Monthly benefit by disability band") is { } benefit)
            foreach (var p in this["aggregates.veterans.mean_monthly_benefit_by_disability_band"].EnumerateObject())
                checks.Add(new($"veterans, {p.Name}: mean monthly benefit", p.Value.GetDouble(), benefit.Value("mean(monthly_benefit)", p.Name), 0.01,
                               "fixed-point mean (8 fraction bits); the stated error bound is below one cent"));

        var vb = linkages.FirstOrDefault(l => l.Name == "veterans_bank");
        if (vb is not null)
        {
            double truth = Number("overlap.persons.veterans_bank");
            checks.Add(new("veterans × bank: linked people", truth, vb.JoinedRows, 0.04 * truth,
                           "secure linkage on noisy identifiers: recall above 96%, no more links than true pairs"));
        }
        if (T("Linked veterans and their mean balance by disability band") is { } band)
        {
            foreach (var p in this["aggregates.linked.veterans_bank.persons_by_disability_band"].EnumerateObject())
                checks.Add(new($"veterans × bank, {p.Name}: linked people", p.Value.GetDouble(), band.Value("count", p.Name), 0.05 * p.Value.GetDouble() + 5,
                               "the true linkage's count; the secure linkage misses a few percent of pairs, and counts are rounded to 5 (5% + 5)"));
            foreach (var p in this["aggregates.linked.veterans_bank.mean_balance_by_disability_band"].EnumerateObject())
                checks.Add(new($"veterans × bank, {p.Name}: mean balance", p.Value.GetDouble(), band.Value("mean(balance)", p.Name), 0.05 * p.Value.GetDouble(),
                               "the true linkage's mean; missed pairs move a group mean by a few percent (5%)"));
        }
        if (T("Mean monthly deposits of all linked veterans") is { } dep)
            checks.Add(new("veterans × bank: mean monthly deposits", Number("aggregates.linked.veterans_bank.mean_monthly_deposits"), dep.Value("mean(monthly_deposits)"),
                           0.03 * Number("aggregates.linked.veterans_bank.mean_monthly_deposits"), "the true linkage's mean; missed pairs (3%)"));
        if (T("Delinquency rate by service era") is { } del)
            foreach (var p in this["aggregates.linked.veterans_bank.delinquency_rate_by_service_era"].EnumerateObject())
                checks.Add(new($"veterans × bank, {p.Name}: delinquency rate", p.Value.GetDouble(), del.Value("mean(delinquent)", p.Name), 0.015,
                               "rate over the true linkage; missed pairs move a rate by about a point (±0.015)"));
        if (T("Balance on monthly benefit and age (OLS)") is { } ols)
        {
            var fit = this["aggregates.linked.veterans_bank.ols_balance_on_monthly_benefit_and_age"];
            var coef = fit.GetProperty("coefficients").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var se = fit.GetProperty("standard_errors").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            string[] terms = ["(intercept)", "monthly_benefit", "age"];
            for (int i = 1; i < terms.Length; i++)
                checks.Add(new($"veterans × bank: OLS coefficient of {terms[i]}", coef[i], ols.Value("coefficient", terms[i]), se[i],
                               "the true linkage's coefficient; the linked sample differs by the missed pairs: within one standard error"));
            checks.Add(new("veterans × bank: OLS number of rows", fit.GetProperty("n").GetDouble(), vb?.JoinedRows, 0.04 * fit.GetProperty("n").GetDouble(), "the linked rows the fit ran over (recall above 96%)"));
        }
        if (T("Salary quantiles of all graduates") is { } sal)
            checks.Add(new("survey: median salary", Number("aggregates.survey.median_salary"), sal.Value("median(salary)"), 0.005 * Number("aggregates.survey.median_salary"),
                           "type-7 median interpolates the two middle salaries; the ground truth is the lower one (0.5%)"));
        if (T("Salary quantiles of linked veterans") is { } vsal)
            checks.Add(new("veterans × survey: median salary", Number("aggregates.linked.veterans_survey.median_salary"), vsal.Value("median(salary)"),
                           0.03 * Number("aggregates.linked.veterans_survey.median_salary"), "the true linkage's lower median; missed pairs and interpolation (3%)"));
        if (T("Mean salary by degree field") is { } field)
            foreach (var p in this["aggregates.survey.mean_salary_by_degree_field"].EnumerateObject())
                checks.Add(new($"survey, {p.Name}: mean salary", p.Value.GetDouble(), field.Value("mean(salary)", p.Name), 0.01,
                               "fixed-point mean of integer salaries; the stated error bound is below one cent"));
        return checks;
    }
}
