using System.CommandLine;

namespace Smpc.Cli.Commands;

/// <summary>`smpc party`: run one compute party of a study over TLS (one process per party).</summary>
internal static class PartyCommand
{
    public static Command Create()
    {
        var id = new Option<int>("--id") { Description = "This party's id: 0, 1 or 2.", Required = true };
        var config = new Option<FileInfo>("--config") { Description = "The study's study.json (from `smpc certs`).", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the demo results as JSON (default out/party-<id>.json)." };
        var rows = new Option<int>("--rows") { Description = "Rows of each demo input column.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the demo input columns.", DefaultValueFactory = _ => 2026 };
        var connectTimeout = new Option<int>("--connect-timeout") { Description = "Seconds to wait for the other parties to connect.", DefaultValueFactory = _ => 60 };
        var receiveTimeout = new Option<int>("--receive-timeout") { Description = "Seconds to wait for a peer's next message before giving up on it.", DefaultValueFactory = _ => 600 };
        var serve = new Option<bool>("--serve") { Description = "Instead of the demo, serve an analyst's RemoteEngine: keep secret handles and run each operation on command." };
        var command = new Command("party", "Run one compute party: connect to the other two over TLS 1.3 (mutual certificates), run the demo program (dot product, fixed-point product, comparison) and write the results.")
        {
            id, config, output, rows, seed, connectTimeout, receiveTimeout, serve,
        };
        command.Subcommands.Add(PartyServeCommand.Create());
        command.SetAction(result => PartyRun.Execute(new PartyRun.Arguments(
            result.GetValue(id), result.GetValue(config)!, result.GetValue(output), result.GetValue(rows), result.GetValue(seed),
            TimeSpan.FromSeconds(result.GetValue(connectTimeout)), TimeSpan.FromSeconds(result.GetValue(receiveTimeout)), result.GetValue(serve))));
        return command;
    }
}
