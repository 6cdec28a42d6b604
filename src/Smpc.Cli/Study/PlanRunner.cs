using Smpc.Analytics.Reporting;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Plans;
using StudyChartKind = Smpc.Analytics.Studies.ChartKind;

namespace Smpc.Cli.Study;

/// <summary>
/// Runs a study plan's joins and queries on the study API through <see cref="StudySteps"/> (which records each release
/// or refusal): queries in plan order, each join just before the first query on it (a join no query uses runs at the
/// end), so the report, the transparency log and the disclosure ledger see the operations in the order a hand-written
/// study would run them. Narratives are filled from the released cells only.
/// </summary>
internal static class PlanRunner
{
    public static void Run(StudySteps steps, StudyPlanFile file)
    {
        var plan = file.Plan;
        var linked = new HashSet<int>();
        void Link(int j)
        {
            if (!linked.Add(j)) return;
            steps.Link(file.Join(j), plan.Joins[j].Notes.Count > 0 ? plan.Joins[j].Notes : null);
        }

        for (int i = 0; i < plan.Queries.Count; i++)
        {
            var q = plan.Queries[i];
            for (int j = 0; j < plan.Joins.Count; j++)
                if (file.Join(j).ResultName == q.Dataset) Link(j);
            var request = file.Request(i);
            int index = i;
            steps.Query(q.Title, q.Dataset, request.Describe(), () => steps.Study.Aggregate(request), ChartKinds.Parse(q.Chart), q.Value,
                custom: q.FitChart is { } fit ? t => FitChart(t, request.Columns[0], fit) : null,
                narrative: q.Narrative.Count == 0 ? null : t => Narrative(file, index, t),
                id: q.Id);
        }
        for (int j = 0; j < plan.Joins.Count; j++) Link(j);
    }

    /// <summary>The query's narrative sentences filled from its released cells; sentences over suppressed cells are left out.</summary>
    static string? Narrative(StudyPlanFile file, int query, ReportTable table)
    {
        var sentences = new List<string>();
        var narrative = file.Plan.Queries[query].Narrative;
        for (int k = 0; k < narrative.Count; k++)
        {
            try
            {
                if (NarrativeTemplate.Fill(narrative[k], (column, keys) => table.Value(column, keys), table.SuppressedCount, Html.Number) is { } text)
                    sentences.Add(text);
            }
            catch (KeyNotFoundException e) { throw new PlanException(file.Path, $"$.queries[{query}].narrative[{k}]", e.Message); }
        }
        return sentences.Count == 0 ? null : string.Join(" ", sentences);
    }

    /// <summary>Fitted response against one covariate at chosen values of another, from the released coefficients only.</summary>
    static ChartRequest? FitChart(ReportTable fit, string response, PlanFitChart chart)
    {
        double? Coefficient(string term) => fit.Value("coefficient", term);
        if (Coefficient("(intercept)") is not { } intercept || Coefficient(chart.X) is not { } slope || Coefficient(chart.At) is not { } at) return null;
        return new ChartRequest(ReportChartKind.Regression, chart.Title ?? $"Fitted {response} against {chart.X}", chart.XTitle ?? chart.X, chart.YTitle ?? response)
        {
            Lines = chart.Values.Select(v => new FittedLine($"{chart.At} {Html.Number(v)}", intercept + at * v, slope)).ToArray(),
            XMin = chart.XMin, XMax = chart.XMax,
        };
    }
}
