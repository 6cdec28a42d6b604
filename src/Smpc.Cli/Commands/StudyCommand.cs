using System.CommandLine;

namespace Smpc.Cli.Commands;

/// <summary>`smpc study …`: run a study on the embedded default and write its report.</summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var study = new Command("study", "Run and inspect studies.");
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the report, the disclosure-review packet and the SHA256SUMS manifest.", DefaultValueFactory = _ => new DirectoryInfo("out/study") };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Folder of the synthetic agencies (veterans, bank, survey with schemas, terms and truth/); default: data/synthetic found by walking up from the working directory." };
        var config = new Option<FileInfo?>("--config")
        {
            Description = "Run on the three `smpc party --serve` processes of this study.json (TLS 1.3, the analyst's certificate) instead of in this process; this process contributes the agencies' shares.",
        };
        var run = new Command("run", "Run the veterans' financial well-being study over the synthetic agencies on the embedded default (three compute parties in this process), " +
                                     "check its key numbers against the ground truth, and write an HTML report with charts and a disclosure-review packet.")
        {
            output, data, config,
        };
        run.SetAction(result => StudyRun.Execute(result.GetValue(output)!, result.GetValue(data), result.Tokens.Select(t => t.Value).ToArray(), result.GetValue(config)));
        study.Subcommands.Add(run);
        return study;
    }
}
