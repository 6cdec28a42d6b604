using System.CommandLine;
using Smpc.Analytics;
using Smpc.Analytics.Transport;

namespace Smpc.Cli.Commands;

/// <summary>`smpc certs`: generate a study's CA, party and analyst certificates and its study.json.</summary>
internal static class CertsCommand
{
    public static Command Create()
    {
        var study = new Option<string>("--study") { Description = "Study name (letters, digits, '.', '_', '-').", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the certificates, keys and study.json.", Required = true };
        var host = new Option<string>("--host") { Description = "Host every party listens on.", DefaultValueFactory = _ => "127.0.0.1" };
        var ports = new Option<string>("--ports") { Description = "Ports of parties 0,1,2, comma-separated.", DefaultValueFactory = _ => "47000,47001,47002" };
        var contributors = new Option<string?>("--contributors") { Description = "Contributors (data stewards) to issue certificates for, comma-separated names; they upload with `smpc contribute`." };
        var pseudonymiser = new Option<string>("--pseudonymiser")
        {
            Description = "How contributors pseudonymise identifiers: keyed-hash (a key for the contributors, contributors.key) or oprf (the threshold OPRF of the three parties; no contributors' key).",
            DefaultValueFactory = _ => "keyed-hash",
        };
        pseudonymiser.AcceptOnlyFromAmong("keyed-hash", "oprf");
        var uploadPorts = new Option<string?>("--upload-ports") { Description = "Ports of parties 0,1,2's store services for uploads (default: each party port + 100, when there are contributors)." };
        var command = new Command("certs", "Create a study's certificate authority, one certificate per compute party, one for the analyst and one per contributor, and a study.json with the parties' endpoints.")
        {
            study, output, host, ports, contributors, uploadPorts, pseudonymiser,
        };
        command.SetAction(result =>
        {
            try
            {
                var portList = ParsePorts(result.GetValue(ports)!);
                var dir = result.GetValue(output)!;
                var names = (result.GetValue(contributors) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var upload = result.GetValue(uploadPorts) is { } u ? ParsePorts(u, "--upload-ports") : null;
                var config = StudyCertificates.Create(result.GetValue(study)!, dir.FullName, portList, result.GetValue(host)!, contributors: names, uploadPorts: upload);
                if (result.GetValue(pseudonymiser) == "oprf")
                {
                    if (config.ContributorKey is { } key) File.Delete(config.Resolve(key));   // the OPRF's key is split across the parties
                    config = config with { Pseudonymiser = "oprf", ContributorKey = null };
                    config.Save(Path.Combine(dir.FullName, "study.json"));
                }
                Console.WriteLine($"Study '{config.Study}': CA, parties 0-2 and analyst certificates written to {dir.FullName}");
                foreach (var p in config.Parties)
                    Console.WriteLine($"  party {p.Id}: {p.Host}:{p.Port}{(p.UploadPort is { } up ? $", uploads on {up}" : "")}  ({p.Certificate}, {p.Key})");
                foreach (var c in config.Contributors)
                    Console.WriteLine($"  contributor {c.Name}: ({c.Certificate}, {c.Key}) with {config.ContributorKey ?? "the parties' OPRF (no contributors' key)"}");
                Console.WriteLine($"  config: {Path.Combine(dir.FullName, "study.json")}");
                Console.WriteLine("Keys (*.key) are secret: give each party only its own key; keep ca.key offline" +
                    (config.ContributorKey is null ? "." : "; contributors.key goes to the contributors only, never to a compute party."));
                return 0;
            }
            catch (SmpcException e)
            {
                Console.Error.WriteLine($"certs: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    static int[] ParsePorts(string text, string option = "--ports")
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3) throw new SmpcException($"{option} needs three comma-separated ports (parties 0, 1, 2); got '{text}'.");
        return [.. parts.Select(p => int.TryParse(p, out var port) ? port : throw new SmpcException($"{option}: '{p}' is not a port number."))];
    }
}
