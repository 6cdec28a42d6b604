using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Analysis;
using Smpc.Analytics;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Session;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Transport;

namespace Smpc.Cli.Commands;

/// <summary>
/// `smpc analyze --config study.json (--dataset D | --join A,B[,C] [--passes ssn,demographic[,fuzzy]] [--threshold 0.85] [--kind inner|left])
/// --stat count,mean,… [--column …] [--group-by …] [--filter …] [--format table|csv|json]`: the analyst's scriptable
/// client of the three compute party services (SecureStudy.Connect). This process holds no data: it sends the join and
/// the aggregate to the parties, which check the terms and run disclosure control, and prints the release. csv: one
/// header row with the release DataFrame's column names, one row per cell; a suppressed value is an empty field.
/// Exit codes: 0 released, 2 bad arguments, 3 refused by the parties (the rule is printed), 1 any other error.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "The study configuration (study.json: the parties' endpoints, the study CA, the analyst certificate).", Required = true };
        var certificate = new Option<FileInfo?>("--certificate") { Description = "Your analyst certificate (default: the one study.json names)." };
        var key = new Option<FileInfo?>("--key") { Description = "Its private key (with --certificate)." };
        var dataset = new Option<string?>("--dataset") { Description = "A dataset the parties hold." };
        var join = new Option<string?>("--join") { Description = "Datasets to link first, base first: A,B[,C]." };
        var passes = new Option<string?>("--passes") { Description = $"Linkage passes in order (default ssn,demographic): {string.Join(", ", LinkageKeyKinds.All)}." };
        var threshold = new Option<double?>("--threshold") { Description = $"For a fuzzy pass: the Dice coefficient a pair of Bloom filters must reach (default {JoinRequest.DefaultFuzzyThreshold})." };
        var kind = new Option<string>("--kind") { Description = "Join kind: inner or left.", DefaultValueFactory = _ => "inner" };
        var name = new Option<string?>("--name") { Description = "Name of the joined dataset (default: the names joined by '_')." };
        var stat = new Option<string>("--stat") { Description = "Statistics of one family: count,sum,mean,variance,std | median,quantiles,min,max | correlation | ols.", Required = true };
        var column = new Option<string?>("--column") { Description = "Columns the statistics summarise (for ols: the response, then the covariates)." };
        var groupBy = new Option<string?>("--group-by") { Description = "Categorical columns defining the cells (one or two)." };
        var filter = new Option<string?>("--filter") { Description = "A row filter evaluated on shares, e.g. \"age >= 65 and state in (CA, TX)\"." };
        var probabilities = new Option<string?>("--probabilities") { Description = "For quantiles: probabilities in (0, 1), e.g. 0.25,0.5,0.75." };
        var workToken = new Option<string?>("--work-token") { Description = "The registry's work token, for a registry-gated study (default: the SMPC_WORK_TOKEN environment variable)." };
        var format = new Option<string>("--format") { Description = "Output: table, csv or json.", DefaultValueFactory = _ => "table" };
        var explain = new Option<bool>("--explain") { Description = "Show what the join and the aggregate would do — allowed or the rule that refuses them, the rules that apply, what would be revealed to whom, rounds, bytes per party and the expected time on the parties' links — without running them (exit 3 when refused)." };
        var timeout = new Option<int>("--connect-timeout") { Description = "Seconds to wait for the three parties.", DefaultValueFactory = _ => 30 };
        var command = new Command("analyze", "Run a join and an aggregate at the three compute party services and print the release (the analyst holds no data).")
        {
            config, certificate, key, dataset, join, passes, threshold, kind, name, stat, column, groupBy, filter, probabilities, format, timeout, workToken, explain,
        };
        command.SetAction(r =>
        {
            string fmt = r.GetValue(format)!.ToLowerInvariant();
            if (fmt is not ("table" or "csv" or "json")) return Usage($"--format must be table, csv or json; got '{fmt}'.");
            if ((r.GetValue(dataset) is null) == (r.GetValue(join) is null)) return Usage("Give exactly one of --dataset D or --join A,B[,C].");
            if ((r.GetValue(certificate) is null) != (r.GetValue(key) is null)) return Usage("--certificate and --key go together.");
            try
            {
                var statistics = Split(r.GetValue(stat)).Select(StatisticKinds.Parse).ToArray();
                var joinRequest = r.GetValue(join) is { } list ? new JoinRequest
                {
                    Datasets = Split(list),
                    Passes = r.GetValue(passes) is { } p ? Split(p).Select(LinkageKeyKinds.Parse).ToArray() : [LinkageKeyKind.Ssn, LinkageKeyKind.Demographic],
                    FuzzyThreshold = r.GetValue(threshold),
                    Kind = r.GetValue(kind)!.ToLowerInvariant() switch
                    {
                        "inner" => JoinKind.Inner,
                        "left" => JoinKind.Left,
                        var k => throw new ArgumentException($"--kind must be inner or left; got '{k}'."),
                    },
                    Name = r.GetValue(name),
                } : null;
                var aggregate = new AggregateRequest
                {
                    Dataset = joinRequest?.ResultName ?? r.GetValue(dataset)!,
                    Statistics = statistics,
                    Columns = Split(r.GetValue(column)),
                    GroupBy = Split(r.GetValue(groupBy)),
                    Filter = r.GetValue(filter),
                    Probabilities = Split(r.GetValue(probabilities)).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray(),
                };
                var path = r.GetValue(config)!.FullName;
                var studyConfig = StudyConfig.Load(path);
                var credentials = r.GetValue(certificate) is { } cert
                    ? StudyCredentials.Load(studyConfig.Study, StudyMember.Analyst, studyConfig.Resolve(studyConfig.Ca), cert.FullName, r.GetValue(key)!.FullName, studyConfig.RevokedCertificates)
                    : StudyCredentials.Load(studyConfig, StudyMember.Analyst);
                using var study = SecureStudy.Connect(path, credentials, TimeSpan.FromSeconds(r.GetValue(timeout)), r.GetValue(workToken));
                if (r.GetValue(explain)) return Explain(study, joinRequest, aggregate, fmt);
                if (joinRequest is not null && UnknownColumn(study, joinRequest, aggregate) is { } problem)
                    return Usage(problem);                                   // found before the join runs, not after
                if (joinRequest is not null) Console.Error.WriteLine(study.Join(joinRequest).Summary);
                var release = study.Aggregate(aggregate);
                Console.Out.Write(fmt switch { "csv" => Csv(release.Table), "json" => Json(release), _ => release + Environment.NewLine });
                return 0;
            }
            catch (StudyRefusedException e)
            {
                Console.Error.WriteLine($"refused ({e.Rule}): {e.Message}");
                return 3;
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                return Usage(e.Message);
            }
            catch (Exception e) when (e is SmpcException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>--explain: the join's explanation (if any), then the aggregate's — or, when it runs on a join not made yet,
    /// a line saying so. Nothing is computed at the parties.</summary>
    static int Explain(SecureStudy study, JoinRequest? join, AggregateRequest aggregate, string format)
    {
        var explanations = new List<Explanation>();
        if (join is not null) explanations.Add(study.Explain(join));
        bool joinPending = join is not null && !study.RemoteDatasets.Any(d => d.Name == join.ResultName) && !study.Joins.Any(j => j.Dataset == join.ResultName);
        if (!joinPending) explanations.Add(study.Explain(aggregate));
        if (format == "json")
            Console.Out.WriteLine(JsonSerializer.Serialize(explanations.ToArray(), PartyWire.Json));
        else
        {
            Console.Out.WriteLine(string.Join(Environment.NewLine + Environment.NewLine, explanations));
            if (joinPending)
                Console.Out.WriteLine($"{Environment.NewLine}explain: {aggregate.Describe()}{Environment.NewLine}runs on the join's result, which does not exist yet: explain it once the join has run.");
        }
        return explanations.Any(e => e.Refused) ? 3 : 0;
    }

    /// <summary>A column the aggregate names that the join's result will not have (named as the join names them:
    /// <see cref="SecureJoin.ColumnNames"/>), or null; a clash of names is left for the parties to report.</summary>
    static string? UnknownColumn(SecureStudy study, JoinRequest join, AggregateRequest aggregate)
    {
        if (study.Joins.Any(j => j.Dataset == join.ResultName) || study.RemoteDatasets.Any(d => d.Name == join.ResultName)) return null;
        var inputs = join.Datasets.Select(n => study.RemoteDatasets.FirstOrDefault(d => d.Name == n)).ToArray();
        if (inputs.Any(d => d is null)) return null;                     // the parties name an unknown dataset themselves
        IReadOnlyList<string> columns;
        try { columns = SecureJoin.ColumnNames([.. inputs.Select(d => (d!.Name, (IReadOnlyList<string>)[.. d.Columns.Select(c => c.Name)]))], join.Kind); }
        catch (LinkageException) { return null; }
        var named = aggregate.Columns.Concat(aggregate.GroupBy).Concat(aggregate.Weight is { } w ? [w] : []);
        return named.FirstOrDefault(c => !columns.Contains(c)) is { } missing
            ? $"the join of {string.Join(", ", join.Datasets)} will have no column '{missing}' (its columns: {string.Join(", ", columns)}); nothing was run."
            : null;
    }

    static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }

    /// <summary>One header row (the DataFrame's column names), one row per cell; null (suppressed) is an empty field.</summary>
    public static string Csv(DataFrame table)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", table.Columns.Select(c => Field(c.Name))));
        for (long r = 0; r < table.Rows.Count; r++)
            sb.AppendLine(string.Join(",", table.Columns.Select(c => c[r] switch
            {
                null => "",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                var v => Field(Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""),
            })));
        return sb.ToString();
    }

    static string Field(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;

    static string Json(Release release)
    {
        var rows = Enumerable.Range(0, release.RowCount).Select(r =>
            release.Table.Columns.ToDictionary(c => c.Name, c => c[r])).ToArray();
        return JsonSerializer.Serialize(new { query = release.Query, rulesApplied = release.RulesApplied, notes = release.Notes, rows },
                                        new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }) + Environment.NewLine;
    }

    static string[] Split(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
