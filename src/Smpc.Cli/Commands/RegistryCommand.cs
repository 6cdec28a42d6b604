using System.CommandLine;
using Smpc.Registry.Hosting;

namespace Smpc.Cli.Commands;

/// <summary>`smpc registry`: the study registry web app on loopback (SQLite in --data by default, PostgreSQL with --db);
/// `smpc registry studies|actions --registry URL` list my studies and actions from a running one.</summary>
internal static class RegistryCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen, loopback only (port 0: any free port).", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder for registry.db (SQLite) and the sign-in keys.", DefaultValueFactory = _ => new DirectoryInfo("out/registry") };
        var db = new Option<string?>("--db") { Description = "Database connection string: PostgreSQL (Host=…;Database=…;Username=…;Password=…) or SQLite (Data Source=…). Default: SQLite at DIR/registry.db." };
        var publicUrl = new Option<string?>("--public-url") { Description = "The address people reach the registry at (the TLS reverse proxy's): used in mailed links and as the only origin for passkeys." };
        var demo = new Option<bool>("--demo") { Description = "Seed the three synthetic agencies, their people and the veterans' study at its real stage, and (once) run the pilot study between the veterans' administration and the statistics office through registry-gated compute parties, so that the transparency log holds its uploads, queries, releases, ε spends and a refusal." };
        var command = new Command("registry", "Start the study registry: accounts, organisations, studies and their lifecycle, data-use terms, approvals and each person's actions. Prints the URL and a generated administrator password.")
        {
            urls, data, db, demo, publicUrl,
        };
        foreach (var sub in RegistryListCommands.Create()) command.Subcommands.Add(sub);
        command.Subcommands.Add(RegistryLoginCommand.Create());
        command.SetAction((result, cancel) => RegistryLauncher.RunAsync(new RegistryOptions
        {
            Urls = result.GetValue(urls)!,
            DataDirectory = result.GetValue(data)!.FullName,
            Connection = result.GetValue(db),
            Demo = result.GetValue(demo),
            DemoStarted = DemoPilotRun.RunAsync,
            PublicUrl = result.GetValue(publicUrl),
        }, Console.Out, cancel));
        return command;
    }
}
