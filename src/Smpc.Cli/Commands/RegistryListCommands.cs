using System.CommandLine;
using System.Text.Json;
using Smpc.Analytics.Studies.Registry;

namespace Smpc.Cli.Commands;

/// <summary>`smpc registry studies|actions --registry URL --token PAT [--format table|json]`: the person's studies (status
/// per organisation) and the actions waiting on them, read from a running registry's API.</summary>
internal static class RegistryListCommands
{
    public const string TokenVariable = "SMPC_REGISTRY_TOKEN";

    public static IEnumerable<Command> Create()
    {
        yield return List("studies", "List my studies in the registry: stage, my roles, each organisation's commitment, approvals and what it still owes.",
            (c, ct) => c.StudiesAsync(ct), RegistryTables.Studies);
        yield return List("actions", "List the actions waiting on me in the registry, longest-waiting first, with how long each has waited.",
            (c, ct) => c.ActionsAsync(ct), RegistryTables.Actions);
    }

    static Command List<T>(string name, string description, Func<RegistryClient, CancellationToken, Task<IReadOnlyList<T>>> read, Func<IReadOnlyList<T>, string> table)
    {
        var registry = new Option<string>("--registry") { Description = "URL of the registry (e.g. http://127.0.0.1:5080); https unless on loopback.", Required = true };
        var token = new Option<string?>("--token") { Description = $"A personal access token of the registry (smpc_pat_…) or your identity provider's token; default: the {TokenVariable} environment variable (which keeps it out of the shell history), else the token `smpc registry login` saved." };
        var format = new Option<string>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command(name, description) { registry, token, format };
        command.SetAction(async (result, cancel) =>
        {
            try
            {
                using var client = new RegistryClient(result.GetValue(registry)!, result.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable) ?? RegistryClient.SavedToken() ?? "");
                var items = await read(client, cancel);
                Console.Out.Write(result.GetValue(format) == "json"
                    ? JsonSerializer.Serialize(items, new JsonSerializerOptions(RegistryClient.Json) { WriteIndented = true }) + "\n"
                    : table(items));
                return 0;
            }
            catch (RegistryException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }
        });
        return command;
    }
}
