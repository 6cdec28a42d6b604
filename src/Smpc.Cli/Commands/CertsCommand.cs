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
        var command = new Command("certs", "Create a study's certificate authority, one certificate per compute party and one for the analyst, and a study.json with the parties' endpoints.")
        {
            study, output, host, ports,
        };
        command.SetAction(result =>
        {
            try
            {
                var portList = ParsePorts(result.GetValue(ports)!);
                var dir = result.GetValue(output)!;
                var config = StudyCertificates.Create(result.GetValue(study)!, dir.FullName, portList, result.GetValue(host)!);
                Console.WriteLine($"Study '{config.Study}': CA, parties 0-2 and analyst certificates written to {dir.FullName}");
                foreach (var p in config.Parties)
                    Console.WriteLine($"  party {p.Id}: {p.Host}:{p.Port}  ({p.Certificate}, {p.Key})");
                Console.WriteLine($"  config: {Path.Combine(dir.FullName, "study.json")}");
                Console.WriteLine("Keys (*.key) are secret: give each party only its own key; keep ca.key offline.");
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

    static int[] ParsePorts(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3) throw new SmpcException($"--ports needs three comma-separated ports (parties 0, 1, 2); got '{text}'.");
        return [.. parts.Select(p => int.TryParse(p, out var port) ? port : throw new SmpcException($"--ports: '{p}' is not a port number."))];
    }
}
