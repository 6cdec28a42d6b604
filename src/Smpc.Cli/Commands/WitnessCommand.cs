using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using Smpc.Governance.Transparency;

namespace Smpc.Cli.Commands;

/// <summary>
/// A compute party (or a steward) as a witness of the registry's log. `smpc audit witness-key --key FILE --name N`
/// creates the witness's Ed25519 key (owner-only file) and prints the public key for the registry's administrator to
/// register; `smpc audit witness --registry URL --token T --key FILE --state FILE --keys LOGKEYS` fetches the latest
/// head, checks its signature and a consistency proof from the head kept in FILE, countersigns it, posts the
/// cosignature and keeps the head (<see cref="RegistryWitness"/>, the round each registry-gated compute party also runs).
/// A rewritten, truncated or forked history: exit 1 naming both heads, state kept.
/// </summary>
internal static class WitnessCommand
{
    public static Command Key()
    {
        var key = new Option<FileInfo>("--key") { Description = "Where to keep the witness's private key (created if missing, readable by its owner only).", Required = true };
        var name = new Option<string>("--name") { Description = "The witness's name, e.g. party-0.", Required = true };
        var command = new Command("witness-key", "Create (or show) a witness key and print its public key for the registry's administrator.") { key, name };
        command.SetAction(result =>
        {
            var k = LogKey.LoadOrCreate(result.GetValue(key)!.FullName, result.GetValue(name)!);
            Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = k.Name, ["keyId"] = k.Public.KeyId, ["publicKey"] = Convert.ToBase64String(k.Public.Key) }));
            return 0;
        });
        return command;
    }

    public static Command Cosign()
    {
        var registry = new Option<string>("--registry") { Description = "The registry's URL.", Required = true };
        var token = new Option<string>("--token") { Description = "A personal access token (or set SMPC_REGISTRY_TOKEN).", };
        var key = new Option<FileInfo>("--key") { Description = "The witness's key (from witness-key).", Required = true };
        var name = new Option<string>("--name") { Description = "The witness's name.", Required = true };
        var state = new Option<FileInfo>("--state") { Description = "The last head this witness countersigned (kept here).", Required = true };
        var keys = new Option<FileInfo>("--keys") { Description = "The log's public key as this witness knows it (JSON with 'log').", Required = true };
        var command = new Command("witness", "Check the registry's latest tree head against the last one countersigned here, countersign and post it.") { registry, token, key, name, state, keys };
        command.SetAction(async (result, ct) =>
        {
            try
            {
                var (log, _) = AuditCommand.LoadKeys(result.GetValue(keys));
                var witnessKey = LogKey.LoadOrCreate(result.GetValue(key)!.FullName, result.GetValue(name)!);
                using var http = new HttpClient { BaseAddress = new Uri(result.GetValue(registry)!), Timeout = TimeSpan.FromSeconds(30) };
                var pat = result.GetValue(token) ?? Environment.GetEnvironmentVariable("SMPC_REGISTRY_TOKEN")
                    ?? throw new LogFormatException("--token or SMPC_REGISTRY_TOKEN: the registry needs a credential.");
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pat);
                var witness = new RegistryWitness(http, witnessKey, log!, result.GetValue(state)!.FullName);
                try
                {
                    Console.Out.WriteLine(await witness.CosignLatestAsync(ct));
                    return 0;
                }
                catch (LogVerificationException e)
                {
                    Console.Out.WriteLine($"REFUSED: {e.Message}");
                    return 1;
                }
            }
            catch (Exception e) when (e is LogFormatException or IOException or HttpRequestException or JsonException or TaskCanceledException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }
}
