using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies.Plans;

/// <summary>The checks of a plan's fields and of the names it uses; the first problem is thrown as a
/// <see cref="PlanException"/> naming the file and the JSON path.</summary>
internal sealed class PlanChecks(string file, StudyPlan plan)
{
    PlanException Problem(string path, string problem) => new(file, path, problem);

    /// <summary>Everything that can be checked without the data: required fields, names, statistics, charts, templates.</summary>
    public void Fields()
    {
        if (plan.Format != StudyPlan.CurrentFormat) throw Problem("$.format", $"'{plan.Format}' is not a plan format this version reads ({StudyPlan.CurrentFormat})");
        if (plan.Name.Length == 0 || !plan.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw Problem("$.name", "the study needs a name of letters, digits, '-' and '_'");
        if (string.IsNullOrWhiteSpace(plan.Title)) throw Problem("$.title", "the study needs a title");
        if (plan.Datasets.Count == 0) throw Problem("$.datasets", "the plan names no dataset");
        var contributed = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < plan.Datasets.Count; i++)
        {
            var d = plan.Datasets[i];
            if (d.Name.Length == 0) throw Problem($"$.datasets[{i}].name", "the dataset needs a name");
            if (!contributed.Add(d.Name)) throw Problem($"$.datasets[{i}].name", $"the dataset '{d.Name}' is named twice");
            if (d.Identifiers.Count > 0 && !d.InferSchema) throw Problem($"$.datasets[{i}].identifiers", "identifiers are for a drafted schema (inferSchema: true); a schema file declares its own");
        }
        var known = new HashSet<string>(contributed, StringComparer.Ordinal);
        for (int i = 0; i < plan.Joins.Count; i++)
        {
            var j = plan.Joins[i];
            string at = $"$.joins[{i}]";
            if (j.Datasets.Count < 2) throw Problem($"{at}.datasets", "a join links at least two datasets");
            for (int k = 0; k < j.Datasets.Count; k++)
                if (!contributed.Contains(j.Datasets[k]))
                    throw Problem($"{at}.datasets[{k}]", $"'{j.Datasets[k]}' is not a contributed dataset of the plan ({string.Join(", ", contributed)})");
            var request = Request(j, at);
            if (!known.Add(request.ResultName)) throw Problem($"{at}.name", $"the name '{request.ResultName}' is already taken by a dataset or join");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < plan.Queries.Count; i++)
        {
            var q = plan.Queries[i];
            string at = $"$.queries[{i}]";
            if (string.IsNullOrWhiteSpace(q.Title)) throw Problem($"{at}.title", "the query needs a title");
            if (q.Id is { } id && !ids.Add(id)) throw Problem($"{at}.id", $"the id '{id}' is used twice");
            if (!known.Contains(q.Dataset)) throw Problem($"{at}.dataset", $"'{q.Dataset}' is neither a dataset nor a join of the plan ({string.Join(", ", known)})");
            var stats = Parse(q.Statistics, StatisticKinds.Parse, $"{at}.statistics");
            if (stats.Count == 0) throw Problem($"{at}.statistics", "the query asks for no statistic");
            if (stats.Select(s => s.Family()).Distinct().Count() > 1) throw Problem($"{at}.statistics", "statistics of different families (table, order, correlation, OLS) cannot be asked together");
            Parse([q.Chart], ChartKinds.Parse, $"{at}.chart", single: true);
            if (q.WeightKind is { } wk) Parse([wk], WeightKinds.Parse, $"{at}.weightKind", single: true);
            if (q.Weight is not null && q.WeightKind is null) throw Problem($"{at}.weightKind", "a weight column needs its kind (frequency, analytic or probability)");
            for (int k = 1; k < q.Bins.Count; k++)
                if (!(q.Bins[k] > q.Bins[k - 1])) throw Problem($"{at}.bins[{k}]", "bin edges must ascend");
            for (int k = 0; k < q.Probabilities.Count; k++)
                if (!(q.Probabilities[k] is > 0 and < 1)) throw Problem($"{at}.probabilities[{k}]", "a probability lies strictly between 0 and 1");
            if (q.FitChart is { } fit)
            {
                if (!stats.Contains(StatisticKind.Ols)) throw Problem($"{at}.fitChart", "fitted lines are drawn from an OLS release");
                var covariates = q.AllColumns.Skip(1).ToList();
                if (!covariates.Contains(fit.X)) throw Problem($"{at}.fitChart.x", $"'{fit.X}' is not a covariate of the fit ({string.Join(", ", covariates)})");
                if (!covariates.Contains(fit.At) || fit.At == fit.X) throw Problem($"{at}.fitChart.at", $"'{fit.At}' is not another covariate of the fit ({string.Join(", ", covariates)})");
                if (fit.Values.Count == 0) throw Problem($"{at}.fitChart.values", "give the values of the covariate to draw lines at");
                if (!(fit.XMax > fit.XMin)) throw Problem($"{at}.fitChart.xMax", "xMax must exceed xMin");
            }
            for (int k = 0; k < q.Narrative.Count; k++)
                if (NarrativeTemplate.Problem(q.Narrative[k]) is { } problem) throw Problem($"{at}.narrative[{k}]", problem);
        }
        if (plan.Truth is not null && !File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, plan.Truth)))
            throw Problem("$.truth", $"the truth file '{plan.Truth}' does not exist (relative to the plan file)");
    }

    /// <summary>Every column a query names exists in its dataset (a join's columns: its base's, then each other's,
    /// renamed "dataset.column" when the name is taken, as the join names them).</summary>
    public void Columns(IReadOnlyDictionary<string, IReadOnlyList<string>> contributed)
    {
        var columns = contributed.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var j in plan.Joins)
        {
            var names = new List<string>();
            foreach (var d in j.Datasets)
                foreach (var c in contributed[d]) names.Add(names.Contains(c) ? $"{d}.{c}" : c);
            columns[j.Name ?? string.Join("_", j.Datasets)] = names;
        }
        for (int i = 0; i < plan.Queries.Count; i++)
        {
            var q = plan.Queries[i];
            var have = columns[q.Dataset];
            void Check(string? column, string path)
            {
                if (column is not null && !have.Contains(column))
                    throw Problem(path, $"dataset '{q.Dataset}' has no column '{column}' (columns: {string.Join(", ", have)})");
            }
            Check(q.Column, $"$.queries[{i}].column");
            for (int k = 0; k < q.Columns.Count; k++) Check(q.Columns[k], $"$.queries[{i}].columns[{k}]");
            for (int k = 0; k < q.GroupBy.Count; k++) Check(q.GroupBy[k], $"$.queries[{i}].groupBy[{k}]");
            Check(q.Weight, $"$.queries[{i}].weight");
        }
    }

    JoinRequest Request(PlanJoin j, string at) => new()
    {
        Datasets = j.Datasets, Name = j.Name,
        Passes = Parse(j.Passes, LinkageKeyKinds.Parse, $"{at}.passes"),
        FuzzyThreshold = j.Threshold is { } t && !(t > 0 && t <= 1) ? throw Problem($"{at}.threshold", $"{t} is not a Dice coefficient above 0 and at most 1") : j.Threshold,
        Kind = j.Kind.ToLowerInvariant() switch { "inner" => JoinKind.Inner, "left" => JoinKind.Left, _ => throw Problem($"{at}.kind", $"'{j.Kind}' is not a join kind (inner, left)") },
        Pseudonymiser = Parse([j.Pseudonymiser], PseudonymiserKinds.Parse, $"{at}.pseudonymiser", single: true)[0],
        Duplicates = j.Duplicates.ToLowerInvariant() switch
        {
            "keep-first" or "keepfirst" => DuplicatePolicy.KeepFirst,
            "reject" => DuplicatePolicy.Reject,
            _ => throw Problem($"{at}.duplicates", $"'{j.Duplicates}' is not a duplicate policy (keep-first, reject)"),
        },
    };

    /// <summary>The join request of <paramref name="j"/> (checked by <see cref="Fields"/>).</summary>
    public static JoinRequest JoinRequest(string file, StudyPlan plan, int index) => new PlanChecks(file, plan).Request(plan.Joins[index], $"$.joins[{index}]");

    List<T> Parse<T>(IReadOnlyList<string> items, Func<string, T> parse, string path, bool single = false)
    {
        var list = new List<T>();
        for (int k = 0; k < items.Count; k++)
        {
            try { list.Add(parse(items[k])); }
            catch (SmpcException e) { throw Problem(single ? path : $"{path}[{k}]", e.Message); }
        }
        return list;
    }
}
