using System.CommandLine;

namespace Smpc.Cli.Commands;

/// <summary>`smpc study …`: run a study plan on the embedded default or on three party processes and write its report.</summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var study = new Command("study", "Run and inspect studies.");
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the report, the disclosure-review packet and the SHA256SUMS manifest.", DefaultValueFactory = _ => new DirectoryInfo("out/study") };
        var plan = new Option<FileInfo?>("--plan") { Description = $"The study plan (JSON: datasets, joins, queries, narrative; see docs/plans.md); default: data/synthetic/{StudyRun.DefaultPlan} found by walking up from the working directory (the veterans' study)." };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Folder of the plan's data files instead of the one the plan names (the veterans' plan: the synthetic agencies of data/synthetic)." };
        var config = new Option<FileInfo?>("--config") { Description = "study.json of three compute party processes (smpc party --serve) to run on instead of the embedded default; this process contributes the data as the plan's stewards." };
        var connect = new Option<FileInfo?>("--connect") { Description = "study.json of three compute party services (smpc party serve --store …): this process uploads the plan's datasets as their stewards (smpc contribute, with the contributor certificates of study.json; an upload already committed is not repeated), then runs the plan as the analyst, receiving releases only." };
        var run = new Command("run", "Run a study plan — by default the veterans' financial well-being study over the synthetic agencies — on the embedded default (three compute parties in this process) " +
                                     "or on three party processes, check its key numbers against the ground truth when the plan names one, and write an HTML report with charts, a disclosure-review packet and SHA256SUMS.")
        {
            output, plan, data, config, connect,
        };
        run.SetAction(result => StudyRun.Execute(result.GetValue(output)!, result.GetValue(data), result.Tokens.Select(t => t.Value).ToArray(), result.GetValue(plan), result.GetValue(config), result.GetValue(connect)));
        study.Subcommands.Add(run);
        return study;
    }
}
