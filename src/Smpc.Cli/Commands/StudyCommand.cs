using System.CommandLine;

namespace Smpc.Cli.Commands;

/// <summary>`smpc study …`: run a study on the embedded default and write its report.</summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var study = new Command("study", "Run and inspect studies.");
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the report and the disclosure-review packet.", DefaultValueFactory = _ => new DirectoryInfo("out/study") };
        var run = new Command("run", "Run the veterans' financial well-being study over the synthetic agencies on the embedded default (three parties in this process).") { output };
        run.SetAction(result => StudyRun.Execute(result.GetValue(output)!));
        study.Subcommands.Add(run);
        return study;
    }
}
